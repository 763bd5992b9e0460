import { matchesWildcards } from '../template/user-pattern.ts';
import type { S3Client } from '@aws-sdk/client-s3';
import { EngineError } from './api.ts';
import { readTemplateUrl } from './template-source.ts';

/**
 * Stack policies: which update actions a stack update may take on which resources
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/protect-stack-resources.html).
 * Once a policy with statements is set, an action no statement allows is refused, and a Deny
 * overrides any Allow.
 */

export type UpdateAction = 'Update:Modify' | 'Update:Replace' | 'Update:Delete';

interface Statement {
  effect: 'Allow' | 'Deny';
  /** Action patterns, or (`not`) the patterns it does not cover. */
  actions: { patterns: string[]; not: boolean };
  /** Resource patterns (`*`, `LogicalResourceId/Name*`); none: the statement matches nothing. */
  resources: { patterns: string[]; not: boolean } | undefined;
  /** ResourceType conditions: every one must hold. */
  conditions: { like: boolean; values: string[] }[];
}

export interface StackPolicy {
  /** No statements (`{}`): nothing is restricted. */
  statements: Statement[];
}

/** The API's limit on a policy body (API_SetStackPolicy: "Maximum length of 16384"). */
const POLICY_BODY_LIMIT = 16_384;
const invalid = () => new EngineError('ValidationError', 'Error validating stack policy: Invalid stack policy');
const ACTION = /^Update:[A-Za-z*]+$/;
const ACTIONS: UpdateAction[] = ['Update:Modify', 'Update:Replace', 'Update:Delete'];

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((v): v is string => typeof v === 'string')) throw invalid();
  return list;
}

/** Whether text matches a `*` wildcard pattern (matched in linear time, as every pattern from input is). */
function wildcardMatches(pattern: string, text: string): boolean {
  if (!pattern.includes('*')) return pattern === text;
  return matchesWildcards(pattern.split('*').flatMap((literal, i) => (i === 0 ? [literal] : [null, literal])), text);
}

function either(raw: Record<string, unknown>, key: string): { patterns: string[]; not: boolean } | undefined {
  const positive = Object.hasOwn(raw, key);
  const negative = Object.hasOwn(raw, `Not${key}`);
  if (positive && negative) throw invalid();
  if (!positive && !negative) return undefined;
  return { patterns: strings(raw[positive ? key : `Not${key}`]), not: negative };
}

function readStatement(raw: unknown): Statement {
  if (!isRecord(raw)) throw invalid();
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') throw invalid();
  if (raw.Principal !== '*') throw invalid(); // the only principal stack policies know
  const actions = either(raw, 'Action');
  if (!actions || !actions.patterns.every((a) => ACTION.test(a) && ACTIONS.some((known) => wildcardMatches(a, known)))) throw invalid();
  const resources = either(raw, 'Resource');
  if (resources && !resources.patterns.every((r) => r === '*' || r.startsWith('LogicalResourceId/'))) throw invalid();
  const conditions: Statement['conditions'] = [];
  if (raw.Condition !== undefined) {
    if (!isRecord(raw.Condition)) throw invalid();
    for (const [operator, block] of Object.entries(raw.Condition)) {
      if ((operator !== 'StringEquals' && operator !== 'StringLike') || !isRecord(block)) throw invalid();
      for (const [key, values] of Object.entries(block)) {
        if (key !== 'ResourceType') throw invalid();
        conditions.push({ like: operator === 'StringLike', values: strings(values) });
      }
    }
  }
  return { effect: raw.Effect, actions, resources, conditions };
}

/** Reads a policy document as SetStackPolicy (or StackPolicyBody) receives it; AWS's ValidationError when it is not one. */
export function parseStackPolicy(text: string): StackPolicy {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw invalid();
  }
  if (!isRecord(document)) throw invalid();
  if (document.Statement === undefined) return { statements: [] };
  const raw = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  return { statements: raw.map(readStatement) };
}

function matches(statement: Statement, action: UpdateAction, logicalId: string, resourceType: string): boolean {
  const { actions, resources, conditions } = statement;
  if (actions.patterns.some((p) => wildcardMatches(p, action)) === actions.not) return false;
  if (!resources) return false;
  const resource = `LogicalResourceId/${logicalId}`;
  if (resources.patterns.some((p) => wildcardMatches(p, resource)) === resources.not) return false;
  return conditions.every((c) => c.values.some((v) => (c.like ? wildcardMatches(v, resourceType) : v === resourceType)));
}

/** Why the policy refuses an update action on a resource, in CloudFormation's words; undefined when it allows it. */
export function policyDenial(policy: StackPolicy, action: UpdateAction, logicalId: string, resourceType: string): string | undefined {
  if (policy.statements.length === 0) return undefined;
  const resource = `LogicalResourceId/${logicalId}`;
  const deny = policy.statements.findIndex((s) => s.effect === 'Deny' && matches(s, action, logicalId, resourceType));
  if (deny >= 0) return `Action denied by stack policy: Statement [#${deny + 1}] does not allow [${action}] for resource [${resource}];`;
  if (policy.statements.some((s) => s.effect === 'Allow' && matches(s, action, logicalId, resourceType))) return undefined;
  return `Action not allowed by stack policy: No statement allows [${action}] for resource [${resource}];`;
}

/**
 * The policy document of a call that takes a body or a URL (`StackPolicy`, `StackPolicyDuringUpdate`),
 * checked; undefined when neither is given.
 */
export async function stackPolicyText(input: { body?: string; url?: string }, which: 'StackPolicy' | 'StackPolicyDuringUpdate', s3: S3Client): Promise<string | undefined> {
  if (input.body !== undefined && input.url !== undefined) throw new EngineError('ValidationError', `You cannot specify both ${which}URL and ${which}Body`);
  if (input.body !== undefined && input.body.length > POLICY_BODY_LIMIT) {
    const member = `${which[0].toLowerCase()}${which.slice(1)}Body`;
    throw new EngineError('ValidationError', `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${POLICY_BODY_LIMIT}`);
  }
  const text = input.url !== undefined ? await readTemplateUrl(input.url, s3) : input.body;
  if (text !== undefined) parseStackPolicy(text);
  return text;
}
