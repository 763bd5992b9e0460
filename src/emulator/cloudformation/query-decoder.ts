import type { Shape } from './sdk-shapes.ts';

/**
 * Rebuilds an action's input object from awsQuery's flat parameters, guided by the input shape:
 * `StackName=a`, `Parameters.member.1.ParameterKey=k` (lists, 1-based), `Tags.member.1.Key`,
 * `X.entry.1.key`/`X.entry.1.value` (maps), `A.B` (nested structures), and `Capabilities=`
 * (an explicitly empty list). Parameters the shape does not name are ignored, as AWS does.
 */
export function decodeQueryInput(shape: Shape, parameters: Record<string, string>): Record<string, unknown> {
  const prefixes = new Set<string>();
  for (const name of Object.keys(parameters)) {
    for (let dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) prefixes.add(name.slice(0, dot));
    prefixes.add(name);
  }
  return (decodeValue(shape, '', parameters, prefixes) as Record<string, unknown> | undefined) ?? {};
}

function decodeValue(shape: Shape, key: string, parameters: Record<string, string>, prefixes: Set<string>): unknown {
  switch (shape.kind) {
    case 'structure': {
      if (key !== '' && !prefixes.has(key)) return undefined;
      const value: Record<string, unknown> = {};
      for (const [name, member] of shape.members) {
        const decoded = decodeValue(member, key ? `${key}.${name}` : name, parameters, prefixes);
        if (decoded !== undefined) value[name] = decoded;
      }
      return value;
    }
    case 'list': {
      if (!prefixes.has(key)) return undefined;
      const items: unknown[] = [];
      for (let i = 1; prefixes.has(`${key}.member.${i}`); i++) items.push(decodeValue(shape.member, `${key}.member.${i}`, parameters, prefixes));
      return items;
    }
    case 'map': {
      if (!prefixes.has(key)) return undefined;
      const entries: Record<string, unknown> = {};
      for (let i = 1; prefixes.has(`${key}.entry.${i}`); i++) {
        const entryKey = parameters[`${key}.entry.${i}.key`];
        if (entryKey !== undefined) entries[entryKey] = decodeValue(shape.value, `${key}.entry.${i}.value`, parameters, prefixes);
      }
      return entries;
    }
    default:
      return key in parameters ? decodeScalar(shape.kind, parameters[key]) : undefined;
  }
}

function decodeScalar(kind: Shape['kind'], text: string): unknown {
  switch (kind) {
    case 'number':
      return Number(text);
    case 'boolean':
      return text === 'true';
    case 'timestamp':
      return /^\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
    default:
      return text;
  }
}
