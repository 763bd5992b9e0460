import type { RollbackSkip } from '../operations/update-rollback.ts';

/**
 * What the nested-stack provider needs from the engine: running a child stack's operation and
 * waiting for its outcome. The stack operations implement it; the provider stays free of them.
 */
export interface NestedStackHost {
  /**
   * Creates the child stack and waits; resolves with its outputs, throws ProviderError when it
   * fails. `claim` gets the child's stack id the moment its record exists, before it creates anything.
   */
  create(request: NestedStackRequest, claim: (stackId: string) => void): Promise<NestedStackResult>;
  /** Updates the child stack and waits (it stays in UPDATE_COMPLETE_CLEANUP_IN_PROGRESS until its parent finishes). */
  update(stackId: string, request: NestedStackRequest): Promise<NestedStackResult>;
  /** Whether the child's template or parameters differ from these. */
  differs(stackId: string, request: NestedStackRequest): boolean;
  /**
   * Ends a child's update with its parent's: its cleanup when the parent succeeds, its rollback
   * when the parent rolls back (or continues rolling back, skipping `skip`'s resources of it).
   */
  finishUpdate(stackId: string, how: 'cleanup' | 'rollback', skip?: RollbackSkip): Promise<void>;
  /** Deletes the child stack and waits; throws ProviderError when it fails. */
  delete(stackId: string): Promise<void>;
}

export interface NestedStackRequest {
  parentStackId: string;
  logicalId: string;
  templateBody: string;
  parameters: Record<string, string>;
  tags: { Key: string; Value: string }[];
  timeoutInMinutes?: number;
}

export interface NestedStackResult {
  stackId: string;
  outputs: Record<string, string>;
}
