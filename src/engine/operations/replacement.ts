import type { ResourceFacts } from '../../spec/resource-facts.ts';

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
    const rule = facts?.properties[name]?.causesReplacement ?? 'no';
    changes.push({ name, requiresRecreation: rule === 'yes' ? 'Always' : rule === 'maybe' ? 'Conditionally' : 'Never' });
  }
  return changes;
}

/**
 * Whether an update replaces the resource. `yes` properties always do. For `maybe` properties
 * (AWS: "Conditional"), the rule here: a change from one value to another replaces, while
 * setting a property that was absent, or removing one, updates in place. AWS's conditional
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
