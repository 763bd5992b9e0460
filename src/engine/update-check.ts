import type { ParameterRecord } from './evaluate/parameters.ts';
import type { PreparedTemplate } from './prepared-template.ts';
import type { EngineRuntime } from './runtime.ts';
import type { StackRecord } from './state.ts';

/**
 * Whether an update would change nothing: the same template (as parsed, so formatting alone is
 * no change), the same parameter values and the same tags. CloudFormation refuses such an
 * update ("No updates are to be performed.") even when a nested template behind an unchanged
 * TemplateURL has changed. The template's own Metadata section is no change either: AWS fails a
 * change set that changes only it.
 */
export function sameUpdate(runtime: EngineRuntime, stack: StackRecord, template: PreparedTemplate, parameters: ParameterRecord[], tags: { Key: string; Value: string }[]): boolean {
  const current = runtime.template(stack.templateBody);
  if (JSON.stringify(withoutMetadata(current.body)) !== JSON.stringify(withoutMetadata(template.body))) return false;
  const values = (records: ParameterRecord[]) => JSON.stringify(records.map((p) => [p.key, p.value, p.resolvedValue ?? null]).sort());
  if (values(stack.parameters) !== values(parameters)) return false;
  return JSON.stringify(stack.tags) === JSON.stringify(tags);
}

const withoutMetadata = (body: Record<string, unknown>) => ({ ...body, Metadata: undefined });
