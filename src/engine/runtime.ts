import { resourceFacts, type ResourceFactsIndex } from '../spec/resource-facts.ts';
import type { AwsClients, FaultRule } from './api.ts';
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
  background(work: () => Promise<void>): void {
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

  setStackStatus(stack: StackRecord, status: string, reason: string | undefined, token?: string): void {
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

  setResourceStatus(stack: StackRecord, resource: ResourceRecord, status: string, reason: string | undefined, token: string | undefined, properties?: string): void {
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
    });
  }

  private recordEvent(stack: StackRecord, event: Omit<EventRecord, 'eventId' | 'timestamp'>): void {
    const timestamp = this.now();
    const eventId = event.logicalId === stack.stackName && event.type === 'AWS::CloudFormation::Stack' ? randomUuid(this.random) : `${event.logicalId}-${event.status}-${timestamp}`;
    stack.events.push({ eventId, timestamp, ...event });
    this.store.changed(stack);
  }
}

/** NoEcho parameter values, to mask wherever the engine shows text a template produced. */
export function secretsOf(stack: StackRecord): string[] {
  return stack.parameters.filter((p) => p.noEcho && p.value !== '').flatMap((p) => [p.value, ...(p.resolvedValue ? [p.resolvedValue] : [])]);
}

/** A value as JSON text with every NoEcho value replaced by `****`. */
export function maskedJson(value: unknown, secrets: string[]): string {
  let text = JSON.stringify(value);
  for (const secret of secrets) text = text.split(JSON.stringify(secret).slice(1, -1)).join('****');
  return text;
}

export function mask(text: string, secrets: string[]): string {
  let masked = text;
  for (const secret of secrets) masked = masked.split(secret).join('****');
  return masked;
}
