import { GetStackPolicyCommand, SetStackPolicyCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { parseStackPolicy, policyDenial, type UpdateAction } from '../engine/stack-policy.ts';
import { isNestedStackType, resourceFacts } from '../spec/resource-facts.ts';
import type { PreviewedChange } from './events.ts';
import type { LiveStack } from './live-resources.ts';

/**
 * `protect: true`: a stack policy denies replacing or removing the stack's stateful resources,
 * in each of its nested stacks too. A nested stack itself is left out: its own policy protects
 * what it holds. `--allow-replace` names a resource as `Logical` or, nested, `Child.Logical`.
 */

export const allowReplaceName = (nestedPath: string[], logicalId: string): string => [...nestedPath, logicalId].join('.');

/** The resources a protected stack's policy keeps: its stateful ones, less those let through for this deploy. */
export function protectedIds(stack: LiveStack, allowReplace: ReadonlySet<string> = new Set()): string[] {
  return stack.resources
    .filter((r) => !isNestedStackType(r.resourceType) && resourceFacts().resource(r.resourceType)?.isStateful === true)
    .map((r) => r.logicalId)
    .filter((id) => !allowReplace.has(allowReplaceName(stack.nestedPath, id)))
    .sort();
}

/** The policy document: every update allowed, except replacing or deleting the resources named. */
export function protectionPolicy(protectedLogicalIds: string[]): string {
  const statements: object[] = [{ Effect: 'Allow', Action: 'Update:*', Principal: '*', Resource: '*' }];
  if (protectedLogicalIds.length > 0) {
    statements.push({ Effect: 'Deny', Action: ['Update:Replace', 'Update:Delete'], Principal: '*', Resource: protectedLogicalIds.map((id) => `LogicalResourceId/${id}`) });
  }
  return JSON.stringify({ Statement: statements });
}

/** Sets each stack's protection policy (SetStackPolicy: ExecuteChangeSet takes none); `off`: one that protects nothing. */
export async function applyProtection(cfn: CloudFormationClient, stacks: LiveStack[], allowReplace?: ReadonlySet<string> | 'off'): Promise<void> {
  for (const stack of stacks) {
    const kept = allowReplace === 'off' ? [] : protectedIds(stack, allowReplace);
    await cfn.send(new SetStackPolicyCommand({ StackName: stack.stackId, StackPolicyBody: protectionPolicy(kept) }));
  }
}

const DENIED_RESOURCE = /^LogicalResourceId\/(.+)$/;

/** Whether a stack's policy is one protectionPolicy wrote that protects something (a policy cannot be removed, only replaced). */
export async function hasProtectionPolicy(cfn: CloudFormationClient, stackId: string): Promise<boolean> {
  const body = (await cfn.send(new GetStackPolicyCommand({ StackName: stackId }))).StackPolicyBody;
  if (body === undefined) return false;
  let denied: unknown;
  try {
    denied = (JSON.parse(body) as { Statement?: { Resource?: unknown }[] }).Statement?.[1]?.Resource ?? [];
  } catch {
    return false;
  }
  if (!Array.isArray(denied)) return false;
  const ids = denied.map((r) => (typeof r === 'string' ? DENIED_RESOURCE.exec(r)?.[1] : undefined));
  return ids.length > 0 && ids.every((id) => id !== undefined) && body === protectionPolicy(ids);
}

/** A change the protection policy would refuse in the middle of the update. */
export interface Denial {
  /** As --allow-replace takes it. */
  name: string;
  what: 'replacement' | 'removal';
}

function updateActionOf(change: PreviewedChange): UpdateAction | undefined {
  if (change.action === 'Remove') return 'Update:Delete';
  if (change.action === 'Modify' && (change.replacement === 'True' || change.replacement === 'Conditional')) return 'Update:Replace';
  return undefined;
}

/**
 * The changes of a preview that the policy (as applyProtection would set it) denies: found before
 * executing, so a protected stack stops with nothing changed rather than fail and roll back.
 */
export function deniedChanges(changes: PreviewedChange[], stacks: LiveStack[], allowReplace: ReadonlySet<string>): Denial[] {
  const denials: Denial[] = [];
  for (const stack of stacks) {
    const policy = parseStackPolicy(protectionPolicy(protectedIds(stack, allowReplace)));
    for (const change of changes.filter((c) => c.nestedPath.join('/') === stack.nestedPath.join('/'))) {
      const action = updateActionOf(change);
      if (action && policyDenial(policy, action, change.logicalId, change.resourceType) !== undefined) {
        denials.push({ name: allowReplaceName(change.nestedPath, change.logicalId), what: action === 'Update:Delete' ? 'removal' : 'replacement' });
      }
    }
  }
  return denials;
}

/** Why a protected stack stops, and how to let the changes through. */
export function denialsInWords(denials: Denial[]): { reason: string; hint: string } {
  return {
    reason: denials.map((d) => `${d.name} is protected (protect: true): its ${d.what} is denied by the stack policy`).join('; '),
    hint: `Pass ${denials.map((d) => `--allow-replace ${d.name}`).join(' ')} to let ${denials.length === 1 ? 'it' : 'them'} through for this deploy, after a backup.`,
  };
}
