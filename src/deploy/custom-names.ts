import { nameProperty } from '../engine/resources/physical-ids.ts';
import type { ResourceFacts } from '../spec/resource-facts.ts';

/**
 * Why a replacement would fail: CloudFormation cannot replace a resource whose custom name
 * (TableName, BucketName, FunctionName, RoleName...) stays the same, as the new resource would
 * need the old one's name. Values are the properties with parameters resolved (see property-diff.ts);
 * a name changed along with the replacement lets it through.
 */
export function customNameFailure(type: string, facts: ResourceFacts | undefined, before: Record<string, unknown>, after: Record<string, unknown>): string | undefined {
  const property = nameProperty(type, facts);
  if (!property || !Object.hasOwn(after, property) || !Object.hasOwn(before, property)) return undefined;
  const name = after[property];
  if (JSON.stringify(before[property]) !== JSON.stringify(name)) return undefined;
  const shown = typeof name === 'string' ? name : `the ${property} of this resource`;
  return `CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename ${shown} and update the stack again.`;
}
