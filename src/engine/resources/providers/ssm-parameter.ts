import { AddTagsToResourceCommand, DeleteParameterCommand, GetParameterCommand, PutParameterCommand, RemoveTagsFromResourceCommand, type ParameterTier, type ParameterType, type SSMClient, type Tag } from '@aws-sdk/client-ssm';
import { synthesizeAttributes } from '../attributes.ts';
import { physicalIdFor } from '../physical-ids.ts';
import { errorName, found, namingOf, NameTakenError, type ProviderRequest, type ResourceProvider, type UpdateRequest } from '../provider.ts';

/** `AWS::SSM::Parameter`: a real parameter in the local Parameter Store. */
export const ssmParameterProvider: ResourceProvider = {
  async create(request) {
    const at = namingOf(request);
    const name = physicalIdFor(request.type, request.facts, request.properties, at);
    if (await parameterExists(request.clients.ssm, name)) throw new NameTakenError(`${name} already exists`);
    request.claim(name);
    try {
      await put(request, name, false);
    } catch (error) {
      if (errorName(error) === 'ParameterAlreadyExists') throw new NameTakenError(`${name} already exists`);
      throw error;
    }
    return { physicalId: name, attributes: synthesizeAttributes(request.type, request.facts, name, request.properties, at) };
  },
  async update(request) {
    await put(request, request.physicalId, true);
    await retag(request);
    return synthesizeAttributes(request.type, request.facts, request.physicalId, request.properties, namingOf(request));
  },
  exists: (name, clients) => parameterExists(clients.ssm, name),
  async delete(request) {
    try {
      await request.clients.ssm.send(new DeleteParameterCommand({ Name: request.physicalId }));
    } catch (error) {
      if (errorName(error) !== 'ParameterNotFound') throw error;
    }
  },
};

const parameterExists = (ssm: SSMClient, name: string) => found(() => ssm.send(new GetParameterCommand({ Name: name })), ['ParameterNotFound']);

async function put(request: ProviderRequest, name: string, overwrite: boolean): Promise<void> {
  const p = request.resolved;
  const text = (v: unknown) => (v === undefined ? undefined : String(v));
  await request.clients.ssm.send(new PutParameterCommand({
    Name: name,
    Value: Array.isArray(p.Value) ? p.Value.join(',') : String(p.Value ?? ''),
    Type: String(p.Type ?? 'String') as ParameterType,
    Overwrite: overwrite,
    ...(p.Description !== undefined ? { Description: text(p.Description) } : {}),
    ...(p.AllowedPattern !== undefined ? { AllowedPattern: text(p.AllowedPattern) } : {}),
    ...(p.Tier !== undefined ? { Tier: text(p.Tier) as ParameterTier } : {}),
    ...(p.DataType !== undefined ? { DataType: text(p.DataType) } : {}),
    // Tags go with the create only: SSM refuses them beside Overwrite (see retag).
    ...(!overwrite && tagsOf(p.Tags).length > 0 ? { Tags: tagsOf(p.Tags) } : {}),
  }));
}

/** The Tags property, a map of key to value, as SSM's tag list. */
function tagsOf(tags: unknown): Tag[] {
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) return [];
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value: String(Value) }));
}

/** Brings the parameter's tags to those of the new properties: added or changed ones set, dropped ones removed. */
async function retag(request: UpdateRequest): Promise<void> {
  const before = new Map(tagsOf(request.previousResolved.Tags).map((tag) => [tag.Key!, tag.Value]));
  const after = tagsOf(request.resolved.Tags);
  const changed = after.filter((tag) => before.get(tag.Key!) !== tag.Value);
  const removed = [...before.keys()].filter((key) => !after.some((tag) => tag.Key === key));
  const resource = { ResourceType: 'Parameter' as const, ResourceId: request.physicalId };
  if (changed.length > 0) await request.clients.ssm.send(new AddTagsToResourceCommand({ ...resource, Tags: changed }));
  if (removed.length > 0) await request.clients.ssm.send(new RemoveTagsFromResourceCommand({ ...resource, TagKeys: removed }));
}
