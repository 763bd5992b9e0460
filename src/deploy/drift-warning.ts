import { failureInWords } from './aws-errors.ts';
import { stackTreeDrift } from './drift.ts';
import type { DriftedChange, EventSink, PreviewedChange } from './events.ts';
import type { Target } from './target.ts';

const pathKey = (nestedPath: string[], logicalId?: string) => JSON.stringify(logicalId === undefined ? nestedPath : [...nestedPath, logicalId]);

/**
 * Before an update: detects drift on the stack (and on the nested stacks the update changes,
 * one detection each) and warns, with a `drift-warning` event, of the drifted resources the
 * update modifies: CloudFormation sets them to what the template says, so the changes made
 * outside it are reverted. Resources the update leaves alone keep their drift, and are not
 * named. A detection that fails is a warning too: it never stops the deploy.
 */
export async function warnOfDrift(target: Target, context: { stack: string; stackName: string }, stackId: string, changes: PreviewedChange[], emit: EventSink): Promise<void> {
  const modified = changes.filter((c) => c.action === 'Modify');
  if (modified.length === 0) return;
  const touched = new Set(modified.map((c) => pathKey(c.nestedPath, c.logicalId)));
  const changedBelow = new Set(modified.flatMap((c) => c.nestedPath.map((_, i) => pathKey(c.nestedPath.slice(0, i + 1)))));
  let drift;
  try {
    drift = await stackTreeDrift(target.cloudformation, stackId, context.stackName, target.polling, (nestedPath) => changedBelow.has(pathKey(nestedPath)));
  } catch (error) {
    const failure = failureInWords(error);
    if (!failure) throw error;
    emit({ code: 'drift-warning', ...context, resources: [], reason: failure.message });
    return;
  }
  const resources: DriftedChange[] = drift.flatMap((stack) =>
    stack.resources
      .filter((r) => touched.has(pathKey(stack.nestedPath, r.logicalId)))
      .map((r) => ({ logicalId: r.logicalId, resourceType: r.type, nestedPath: stack.nestedPath, status: r.status, properties: r.properties.map(({ path, expected, actual }) => ({ path, expected, actual })) })),
  );
  // A nested stack's failure is named by its path; the stack's own needs no name, the event has it.
  const failed = drift.filter((s) => s.status === 'FAILED').map((s) => `${s.nestedPath.length > 0 ? `${s.nestedPath.join('/')}: ` : ''}${s.reason ?? 'drift detection failed'}`);
  if (resources.length > 0 || failed.length > 0) emit({ code: 'drift-warning', ...context, resources, ...(failed.length > 0 ? { reason: failed.join('; ') } : {}) });
}
