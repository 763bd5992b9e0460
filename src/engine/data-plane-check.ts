import { providerFor } from './resources/providers/index.ts';
import type { EngineRuntime } from './runtime.ts';

const isSettled = (status: string) => !status.endsWith('_IN_PROGRESS') && status !== 'DELETE_COMPLETE';

/**
 * Looks for the data of every resource the engine's settled stacks own in the data planes (a
 * bucket, a table, a parameter, a secret), as the engine starts: state folders get damaged or
 * half deleted by hand, and a stack must never look healthy over data that is gone. A resource
 * found missing is marked (drift DELETED) until a later start finds it again, which also clears
 * a DELETED a drift detection found.
 */
export async function markMissingData(runtime: EngineRuntime): Promise<void> {
  const { clients } = runtime.options;
  for (const stack of runtime.store.liveStacks()) {
    if (!isSettled(stack.status)) continue;
    for (const resource of Object.values(stack.resources)) {
      const provider = providerFor(resource.type);
      if (!provider.exists || resource.physicalId === undefined || resource.status.startsWith('DELETE_')) continue;
      const present = await provider.exists(resource.physicalId, clients);
      // Found gone at an earlier start, or by a drift detection since.
      const markedGone = resource.missingSince !== undefined || resource.drift?.status === 'DELETED';
      if (present !== markedGone) continue;
      if (present) {
        delete resource.missingSince;
        if (resource.drift?.status === 'DELETED') delete resource.drift;
      } else resource.missingSince = runtime.now();
      runtime.store.changed(stack);
    }
  }
}
