import { maskForms, redactText, secretForms } from '../redaction.ts';
import { resourceFacts, type ResourceFactsIndex } from '../spec/resource-facts.ts';
import type { AwsClients, FaultRule } from './api.ts';
import { resolveDynamicReferences } from './evaluate/dynamic-references.ts';
import type { ParameterRecord } from './evaluate/parameters.ts';
import { randomUuid, type Random } from './ids.ts';
import { prepareTemplate, type PreparedTemplate } from './prepared-template.ts';
import type { StackStore } from './stack-store.ts';
import type { EventRecord, ResourceRecord, StackRecord } from './state.ts';

export interface RuntimeOptions {
  region: string;
  accountId: string;
  clients: AwsClients;
  faults: FaultRule[] | undefined;
  timeScale: number;
  random: Random;
}

/**
 * What every stack operation shares: options, the store, the clock, event recording, and the
 * set of operations running in the background (for `settled()`).
 */
export class EngineRuntime {
  readonly facts: ResourceFactsIndex = resourceFacts();
  private readonly running = new Set<Promise<unknown>>();
  private readonly faults: unknown[] = [];
  private readonly templates = new Map<string, PreparedTemplate>();
  /** Secure dynamic reference values resolved for each stack (by id): in memory only, never written to state. */
  private readonly resolvedSecrets = new Map<string, Set<string>>();
  private lastTime = 0;

  constructor(readonly options: RuntimeOptions, readonly store: StackStore) {}

  get random(): Random {
    return this.options.random;
  }

  /** The current time as ISO text, strictly increasing so events keep their order. */
  now(): string {
    this.lastTime = Math.max(Date.now(), this.lastTime + 1);
    return new Date(this.lastTime).toISOString();
  }

  /** Runs work in the background, as CloudFormation does after answering the call. */
  background(work: () => Promise<unknown>): void {
    // Operations record their own failures; anything escaping is an engine fault, kept for settled() to report.
    const promise = work()
      .catch((error: unknown) => void this.faults.push(error))
      .finally(() => this.running.delete(promise));
    this.running.add(promise);
  }

  /** Waits for background work; rejects with an engine fault if one escaped an operation. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    this.store.flush();
    // Rethrown as it escaped, whatever it is (a rejection with undefined is a fault too).
    if (this.faults.length > 0) throw this.faults.shift();
  }

  /** A template parsed and checked once, shared by every operation that uses the same text. */
  template(text: string): PreparedTemplate {
    let prepared = this.templates.get(text);
    if (!prepared) {
      prepared = prepareTemplate(text);
      if (this.templates.size > 200) this.templates.clear();
      this.templates.set(text, prepared);
    }
    return prepared;
  }

  /**
   * A value with its `{{resolve:...}}` references resolved, for a provider; the secure values
   * (ssm-secure, secretsmanager) are masked in the stack's reasons from then on.
   */
  resolveReferences<T>(stack: StackRecord, value: T): Promise<T> {
    return resolveDynamicReferences(value, this.options.clients, (secret) => {
      const known = this.resolvedSecrets.get(stack.stackId) ?? new Set<string>();
      this.resolvedSecrets.set(stack.stackId, known.add(secret));
      this.store.rememberSecrets([secret]);
    });
  }

  /**
   * A reason as the engine records it: the secrets of the stack (NoEcho values, secure dynamic
   * references it resolved) masked. A template can carry them into any error message
   * (`!FindInMap [M, !Ref Password, Key]`), and reasons reach events, DescribeStacks and logs.
   */
  private shownReason(stack: StackRecord, reason: string): string {
    return redactText(reason, [...secretsOf(stack.parameters), ...(this.resolvedSecrets.get(stack.stackId) ?? [])]);
  }

  setStackStatus(stack: StackRecord, status: string, why: string | undefined, token?: string): void {
    const reason = why === undefined ? undefined : this.shownReason(stack, why);
    stack.status = status;
    stack.statusReason = reason;
    this.recordEvent(stack, {
      logicalId: stack.stackName,
      physicalId: stack.stackId,
      type: 'AWS::CloudFormation::Stack',
      status,
      ...(reason ? { reason } : {}),
      ...(token ? { clientRequestToken: token } : {}),
    });
  }

  setResourceStatus(stack: StackRecord, resource: ResourceRecord, status: string, why: string | undefined, token: string | undefined, properties?: string): void {
    const reason = why === undefined ? undefined : this.shownReason(stack, why);
    resource.status = status;
    resource.statusReason = reason;
    resource.updatedAt = this.now();
    this.recordEvent(stack, {
      logicalId: resource.logicalId,
      ...((resource.physicalId ?? resource.claimedId) !== undefined ? { physicalId: resource.physicalId ?? resource.claimedId } : {}),
      type: resource.type,
      status,
      ...(reason ? { reason } : {}),
      ...(properties !== undefined ? { properties } : {}),
      ...(token ? { clientRequestToken: token } : {}),
    }, resource.logicalId);
  }

  /** Records an event; `resource` the logical id of the one resource changed, or none when the stack itself did. */
  private recordEvent(stack: StackRecord, event: Omit<EventRecord, 'eventId' | 'timestamp'>, resource?: string): void {
    const timestamp = this.now();
    const eventId = event.logicalId === stack.stackName && event.type === 'AWS::CloudFormation::Stack' ? randomUuid(this.random) : `${event.logicalId}-${event.status}-${timestamp}`;
    stack.events.push({ eventId, timestamp, ...event });
    this.store.changed(stack, resource);
  }
}

/** NoEcho parameter values (of a stack or a change set), to mask wherever the engine shows text a template produced. */
export function secretsOf(parameters: ParameterRecord[]): string[] {
  return parameters.filter((p) => p.noEcho && p.value !== '').flatMap((p) => [p.value, ...(p.resolvedValue ? [p.resolvedValue] : [])]);
}

/** A value as JSON text with every secret in its strings replaced by `****`. */
export function maskedJson(value: unknown, secrets: string[]): string {
  const forms = secretForms(secrets);
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'string' ? maskForms(item, forms) : item));
}
