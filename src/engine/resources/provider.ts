import type { ResourceFacts } from '../../spec/resource-facts.ts';
import type { AwsClients } from '../api.ts';
import type { Random } from '../ids.ts';
import type { NestedStackHost } from './nested-stack-host.ts';
import type { NamingContext } from './physical-ids.ts';

/** One resource operation, as a provider sees it. */
export interface ProviderRequest {
  logicalId: string;
  type: string;
  facts: ResourceFacts | undefined;
  stackName: string;
  stackId: string;
  region: string;
  accountId: string;
  random: Random;
  clients: AwsClients;
  nested: NestedStackHost;
  /** Evaluated properties as the engine shows them (dynamic references unresolved): names and attributes come from these. */
  properties: Record<string, unknown>;
  /** The same with dynamic references resolved: what goes to the data plane. */
  resolved: Record<string, unknown>;
  /**
   * Records the physical id a create is about to give the resource, before it touches the data
   * plane (intent before effect): should the process die before the create returns, the next
   * engine still knows what to remove. Providers whose data plane holds the resource call it.
   */
  claim(physicalId: string): void;
}

export interface UpdateRequest extends ProviderRequest {
  physicalId: string;
  attributes: Record<string, unknown>;
  previousProperties: Record<string, unknown>;
  previousResolved: Record<string, unknown>;
}

export interface DeleteRequest extends Omit<ProviderRequest, 'resolved'> {
  physicalId: string;
  /** Snapshot: keep a backup of the data before deleting (types that support it). */
  snapshot: boolean;
}

export interface Provisioned {
  physicalId: string;
  attributes: Record<string, unknown>;
}

/** Creates, updates in place and deletes one kind of resource. Throws ProviderError with the ResourceStatusReason to fail. */
export interface ResourceProvider {
  create(request: ProviderRequest): Promise<Provisioned>;
  update(request: UpdateRequest): Promise<Record<string, unknown>>;
  delete(request: DeleteRequest): Promise<void>;
  /** Whether the resource is still in its data plane; providers without one have nothing to lose and leave it out. */
  exists?(physicalId: string, clients: AwsClients): Promise<boolean>;
}

/** A resource operation that failed, with the reason CloudFormation would show. */
export class ProviderError extends Error {
  /** The resource's physical id when it exists although the operation failed (a nested stack that rolled back). */
  constructor(message: string, readonly physicalId?: string) {
    super(message);
    this.name = 'ProviderError';
  }
}

/**
 * A create that found its name taken by another resource: nothing was made, and the claim on the
 * name is dropped so that no rollback deletes what belongs to someone else.
 */
export class NameTakenError extends ProviderError {}

export const namingOf = (request: Omit<ProviderRequest, 'resolved'>): NamingContext => ({
  stackName: request.stackName,
  logicalId: request.logicalId,
  region: request.region,
  accountId: request.accountId,
  random: request.random,
});

/** An SDK error's name (`NoSuchBucket`, `ResourceNotFoundException`...). */
export const errorName = (error: unknown): string | undefined => (error as { name?: string } | null)?.name;

/** Whether a read of a resource finds it: the read fails with one of `notFound` when it is missing. */
export async function found(read: () => Promise<unknown>, notFound: string[]): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (error) {
    if (notFound.includes(errorName(error) ?? '')) return false;
    throw error;
  }
}
