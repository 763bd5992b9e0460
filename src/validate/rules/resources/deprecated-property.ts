import { intrinsicName, isObject } from '../../../template/intrinsics.ts';
import type { Path } from '../../../template/source-map.ts';
import type { TemplateRule } from '../../rule.ts';
import { type DeprecatedProperty, deprecatedProperties } from './lifecycle-data.ts';

/**
 * A property AWS has deprecated: an error once AWS rejects it (the deploy fails), a warning
 * while CloudFormation still accepts it; either way with what to use instead when AWS says.
 */
export const deprecatedProperty: TemplateRule = {
  scope: 'template',
  id: 'SP3009',
  title: 'Deprecated or rejected property',
  severity: 'warning',
  docs: 'https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html',
  check({ model, macros, today, report }) {
    if (macros) return;
    for (const resource of model.resources.values()) {
      for (const property of deprecatedProperties(resource.type)) {
        const start: Path = ['Resources', resource.logicalId, 'Properties'];
        for (const path of occurrences(resource.properties, property.path.split('/'), start)) {
          const name = `${displayPath(path.slice(start.length))} of ${resource.type}`;
          const rejected = property.status === 'rejected' && (property.since === undefined || property.since <= today);
          report(path, rejected ? `${name} is no longer accepted by AWS${why(property)}: ${advice(property)}` : `${name} ${deprecation(property)}: ${advice(property)}`, {
            at: 'key',
            severity: rejected ? 'error' : 'warning',
          });
        }
      }
    }
  },
};

/** Where a template gives the property: each list item and each `Fn::If` branch on the way. */
function occurrences(value: unknown, segments: readonly string[], path: Path): Path[] {
  if (intrinsicName(value) === 'Fn::If') {
    const branches = (value as Record<string, unknown>)['Fn::If'];
    if (!Array.isArray(branches)) return [];
    return [1, 2].flatMap((i) => (i < branches.length ? occurrences(branches[i], segments, [...path, 'Fn::If', i]) : []));
  }
  const [segment, ...rest] = segments;
  if (segment === '*') return Array.isArray(value) ? value.flatMap((item, i) => occurrences(item, rest, [...path, i])) : [];
  if (segment === undefined || !isObject(value) || !Object.hasOwn(value, segment)) return [];
  return rest.length === 0 ? [[...path, segment]] : occurrences(value[segment], rest, [...path, segment]);
}

/** `TopicRulePayload.Actions[0].IotAnalytics`, branches of `Fn::If` left out. */
function displayPath(path: Path): string {
  let text = '';
  for (let i = 0; i < path.length; i++) {
    const part = path[i];
    if (part === 'Fn::If') i++;
    else text += typeof part === 'number' ? `[${part}]` : `${text ? '.' : ''}${part}`;
  }
  return text;
}

/** ` (since 2025-12-15, with the shutdown of AWS IoT Analytics)`. */
function why(property: DeprecatedProperty): string {
  const details = [property.since && `since ${property.since}`, property.reason && `with ${property.reason}`].filter(Boolean);
  return details.length > 0 ? ` (${details.join(', ')})` : '';
}

function deprecation(property: DeprecatedProperty): string {
  if (property.status === 'rejected') return `is deprecated: AWS stops accepting it on ${property.since}${property.reason ? `, with ${property.reason}` : ''}`;
  return 'is deprecated (CloudFormation still accepts it)';
}

function advice(property: DeprecatedProperty): string {
  if (property.instead) return `use ${property.instead.replaceAll('/', '.')} instead`;
  return property.status === 'rejected' ? 'remove it' : 'stop using it';
}
