import type { ResourceFacts } from '../../spec/resource-facts.ts';
import type { ReplacementWhen } from '../../spec/update-requires.ts';

export type RequiresRecreation = 'Never' | 'Conditionally' | 'Always';

export interface PropertyChange {
  name: string;
  requiresRecreation: RequiresRecreation;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The top-level properties whose values differ between two evaluated property sets. */
export function changedProperties(before: Record<string, unknown>, after: Record<string, unknown>, facts: ResourceFacts | undefined): PropertyChange[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changes: PropertyChange[] = [];
  for (const name of names) {
    if (same(before[name], after[name])) continue;
    const property = facts?.properties[name];
    const rule = property?.causesReplacement ?? 'no';
    // A documented condition is decided here, from the two values: the change replaces or it does not.
    const decided = rule === 'maybe' && property?.replacementWhen ? conditionHolds(property.replacementWhen, before[name], after[name]) : undefined;
    const requiresRecreation = decided === undefined ? (rule === 'yes' ? 'Always' : rule === 'maybe' ? 'Conditionally' : 'Never') : decided ? 'Always' : 'Never';
    changes.push({ name, requiresRecreation });
  }
  return changes;
}

/** Whether a list element that both sides have under the same key changed. */
function elementEdited(key: string, before: unknown, after: unknown): boolean {
  if (!Array.isArray(before) || !Array.isArray(after)) return before !== undefined && after !== undefined;
  const keyOf = (element: unknown) => (element !== null && typeof element === 'object' ? JSON.stringify((element as Record<string, unknown>)[key]) : JSON.stringify(element));
  const previous = new Map(before.map((element) => [keyOf(element), element]));
  return after.some((element) => previous.has(keyOf(element)) && !same(previous.get(keyOf(element)), element));
}

/** Whether a documented replacement condition holds for a change from `was` to `is`. */
function conditionHolds(when: ReplacementWhen, was: unknown, is: unknown): boolean {
  if (when === 'removed') return was !== undefined && is === undefined;
  return elementEdited(when.slice('element-edited:'.length), was, is);
}

/**
 * Whether an update replaces the resource. `yes` properties always do, and so do conditional ones
 * whose documented condition holds (decided in changedProperties). For other `maybe` properties
 * (AWS: "Conditional"), the rule here: a change from one value to another replaces,
 * while setting a property that was absent, or removing one, updates in place. AWS's conditional
 * cases are mostly of that kind (RDS AvailabilityZone, Subnet Ipv6CidrBlock, VPC InstanceTenancy):
 * changing an existing choice rebuilds the resource, adding or dropping the setting does not.
 */
export function requiresReplacement(changes: PropertyChange[], before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  return changes.some((change) => {
    if (change.requiresRecreation === 'Always') return true;
    if (change.requiresRecreation === 'Never') return false;
    return before[change.name] !== undefined && after[change.name] !== undefined;
  });
}
