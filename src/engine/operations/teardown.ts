import type { Policy, ResourceRecord } from '../state.ts';
import type { StackOperation } from './operation.ts';
import { deleteResource } from './resource-steps.ts';
import { dependentsOf, runInDependencyOrder } from './scheduler.ts';

/**
 * Deletes records in reverse dependency order (a resource goes once everything that depends on
 * it has gone), each as `policy` says. Keeps going after a failure, as CloudFormation's deletes
 * do, and returns the logical ids that failed to delete.
 */
export async function deleteInReverseOrder(op: StackOperation, records: ResourceRecord[], policy: (record: ResourceRecord) => Policy): Promise<string[]> {
  const byId = new Map(records.map((r) => [r.logicalId, r]));
  const ids = [...byId.keys()];
  const dependents = dependentsOf(ids, (id) => byId.get(id)!.dependsOn);
  const failed: string[] = [];
  await runInDependencyOrder(ids, dependents, async (id) => {
    const record = byId.get(id)!;
    if (!(await deleteResource(op, record, policy(record)))) failed.push(id);
    // A failed delete doesn't stop the others: the resources that depend on it are already gone.
    return true;
  });
  return failed;
}

export const failedList = (verb: string, ids: string[]) => `The following resource(s) failed to ${verb}: [${ids.join(', ')}]. `;

/** Records a delete has not yet taken care of: an operation carried on after a crash skips those it finished. */
export const notYetDeleted = (records: ResourceRecord[]) => records.filter((r) => r.status !== 'DELETE_COMPLETE' && r.status !== 'DELETE_SKIPPED');
