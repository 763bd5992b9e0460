/**
 * The shapes of CloudFormation's inputs and outputs, read from the AWS SDK's own static schemas
 * (exported by @aws-sdk/client-cloudformation as `CreateStack$`, `Stack$`...), so the wire format
 * follows the model the SDK serializes and parses with, member for member.
 *
 * Schema encoding (from @smithy/core/schema): numbers are simple types (0 string, 1 number,
 * 2 boolean, 4-7 timestamps, 15 document, 21 blob; `64|t` a list of t, `128|t` a map of t);
 * arrays are `[3|-3, ns, name, traits, memberNames, memberSchemas]` structures and errors,
 * `[1, ns, name, traits, member]` lists, `[2, ns, name, traits, key, value]` maps,
 * `[0, ns, name, traits, ref]` named simple types, `[9, ns, name, traits, input, output]`
 * operations, and `[ref, traits]` members carrying traits; functions defer a reference.
 */
export type Shape =
  | { kind: 'string' | 'number' | 'boolean' | 'timestamp' | 'blob' | 'document' | 'unit' }
  | { kind: 'list'; member: Shape }
  | { kind: 'map'; value: Shape }
  | { kind: 'structure'; members: Map<string, Shape> };

export interface OperationShapes {
  input: Shape;
  output: Shape;
}

const SIMPLE: Record<number, Shape['kind']> = { 0: 'string', 1: 'number', 2: 'boolean', 4: 'timestamp', 5: 'timestamp', 6: 'timestamp', 7: 'timestamp', 15: 'document', 17: 'number', 19: 'number', 21: 'blob', 42: 'blob' };
const LIST_MODIFIER = 64;
const MAP_MODIFIER = 128;

// Schemas are shared and may be recursive (via deferred references): resolve each array once.
const resolved = new WeakMap<object, Shape>();

export function operationShapes(schema: unknown): OperationShapes {
  const operation = deref(schema) as unknown[];
  if (!Array.isArray(operation) || operation[0] !== 9) throw new Error('Not an operation schema');
  return { input: shapeOf(operation[4]), output: shapeOf(operation[5]) };
}

export function shapeOf(reference: unknown): Shape {
  const schema = deref(reference);
  if (typeof schema === 'number') return simpleShape(schema);
  if (schema === 'unit') return { kind: 'unit' };
  if (!Array.isArray(schema)) throw new Error(`Unknown schema reference: ${String(schema)}`);
  // A member with traits: [target, traits].
  if (schema.length === 2) return shapeOf(schema[0]);
  const cached = resolved.get(schema);
  if (cached) return cached;
  switch (schema[0]) {
    case 3:
    case -3: {
      const members = new Map<string, Shape>();
      const shape: Shape = { kind: 'structure', members };
      resolved.set(schema, shape);
      const names = schema[4] as string[];
      const targets = schema[5] as unknown[];
      // Cached before its members resolve, so a recursive shape finds itself and stops.
      names.forEach((name, i) => members.set(name, shapeOf(targets[i])));
      return shape;
    }
    // Every cycle in a model passes through a structure, so lists and maps need no early caching.
    case 1:
      return remember(schema, { kind: 'list', member: shapeOf(schema[4]) });
    case 2:
      return remember(schema, { kind: 'map', value: shapeOf(schema[5]) });
    case 0:
      return remember(schema, shapeOf(schema[4]));
    default:
      throw new Error(`Unsupported schema type ${String(schema[0])}`);
  }
}

function remember(schema: object, shape: Shape): Shape {
  resolved.set(schema, shape);
  return shape;
}

function simpleShape(code: number): Shape {
  if (code & LIST_MODIFIER) return { kind: 'list', member: simpleShape(code & ~LIST_MODIFIER) };
  if (code & MAP_MODIFIER) return { kind: 'map', value: simpleShape(code & ~MAP_MODIFIER) };
  const kind = SIMPLE[code];
  if (!kind) throw new Error(`Unsupported simple schema ${code}`);
  return { kind } as Shape;
}

function deref(reference: unknown): unknown {
  return typeof reference === 'function' ? (reference as () => unknown)() : reference;
}
