import { EngineError } from '../../api.ts';
import { readTemplateUrl } from '../../template-source.ts';
import type { NestedStackRequest, NestedStackResult } from '../nested-stack-host.ts';
import { ProviderError, type ProviderRequest, type ResourceProvider } from '../provider.ts';

/** `AWS::CloudFormation::Stack`: a child stack whose template is read from S3, with its own events and outputs. */
export const nestedStackProvider: ResourceProvider & { differs(request: ProviderRequest & { physicalId: string }): Promise<boolean> } = {
  async create(request) {
    const result = await request.nested.create(await childRequest(request), (stackId) => request.claim(stackId));
    return { physicalId: result.stackId, attributes: attributesOf(result) };
  },
  async update(request) {
    const result = await request.nested.update(request.physicalId, await childRequest(request));
    return attributesOf(result);
  },
  async delete(request) {
    await request.nested.delete(request.physicalId);
  },
  /** A child whose template at the URL or parameters changed needs an update even when the parent's properties did not. */
  async differs(request) {
    return request.nested.differs(request.physicalId, await childRequest(request));
  },
};

async function childRequest(request: ProviderRequest): Promise<NestedStackRequest> {
  const p = request.resolved;
  if (typeof p.TemplateURL !== 'string') throw new ProviderError('Property TemplateURL cannot be empty.');
  let templateBody: string;
  try {
    templateBody = await readTemplateUrl(p.TemplateURL, request.clients.s3);
  } catch (error) {
    throw new ProviderError(error instanceof EngineError ? error.message : String(error));
  }
  const parameters: Record<string, string> = {};
  const given = p.Parameters !== null && typeof p.Parameters === 'object' ? (p.Parameters as Record<string, unknown>) : {};
  for (const [key, value] of Object.entries(given)) parameters[key] = Array.isArray(value) ? value.join(',') : String(value);
  const tags = Array.isArray(p.Tags) ? (p.Tags as { Key: unknown; Value: unknown }[]).map((t) => ({ Key: String(t.Key), Value: String(t.Value) })) : [];
  return {
    parentStackId: request.stackId,
    logicalId: request.logicalId,
    templateBody,
    parameters,
    tags,
    ...(p.TimeoutInMinutes !== undefined ? { timeoutInMinutes: Number(p.TimeoutInMinutes) } : {}),
  };
}

function attributesOf(result: NestedStackResult): Record<string, unknown> {
  const attributes: Record<string, unknown> = { StackId: result.stackId };
  for (const [key, value] of Object.entries(result.outputs)) attributes[`Outputs.${key}`] = value;
  return attributes;
}
