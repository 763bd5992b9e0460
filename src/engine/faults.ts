import type { FaultPhase, FaultRule } from './api.ts';
import type { Random } from './ids.ts';

export interface FaultTarget {
  stackName: string;
  region: string;
  logicalId: string;
  type: string;
  operation: 'create' | 'update' | 'delete';
  phase: FaultPhase;
}

/**
 * The reason to fail this resource operation with, if an injected fault matches it. Rules are
 * read live, so a test may add one between operations.
 */
export function injectedFault(rules: readonly FaultRule[] | undefined, target: FaultTarget, random: Random): string | undefined {
  for (const rule of rules ?? []) {
    if (rule.logicalId !== undefined && rule.logicalId !== target.logicalId) continue;
    if (rule.type !== undefined && rule.type !== target.type) continue;
    if (rule.stackName !== undefined && rule.stackName !== target.stackName) continue;
    if (rule.region !== undefined && rule.region !== target.region) continue;
    if (rule.operation !== undefined && rule.operation !== target.operation) continue;
    if (rule.phase !== undefined && rule.phase !== target.phase) continue;
    if (rule.probability !== undefined && random() >= rule.probability) continue;
    return rule.reason ?? `Resource handler returned message: "Injected fault: ${target.operation} of ${target.logicalId} (${target.type}) failed" (stackpilot fault injection)`;
  }
  return undefined;
}
