import { dynamicReferences, isSecureReference, readReference, type SecretSources } from '../engine/evaluate/dynamic-references.ts';
import type { ParameterAssignment } from '../project/parameters.ts';
import type { ProjectTemplate } from '../project/project.ts';
import type { DeployContext } from './context.ts';

/**
 * Which values are secret in a project (what a Redactor, src/redaction.ts, learns): NoEcho values
 * given to its stacks and secure dynamic references its templates use.
 */

/** Outputs of a deployed project stack, by stack id (and region, for another region's); undefined while it is not deployed. */
export type UpstreamOutputs = (stack: string, region?: string) => Record<string, string> | undefined;

/** A parameter value as the stack gets it: as given, or another stack's output (undefined until that stack is deployed). */
export function assignedValue(assignment: ParameterAssignment, upstreamOutputs: UpstreamOutputs): string | undefined {
  if (!assignment.fromOutput) return assignment.value;
  return upstreamOutputs(assignment.fromOutput.stack, assignment.fromOutput.region)?.[assignment.fromOutput.output!];
}

/** The templates a project stack deploys: its own, and the nested ones below it. */
function templatesOf(context: DeployContext, id: string): ProjectTemplate[] {
  const { project } = context;
  const found = new Map<string, ProjectTemplate>();
  const visit = (path: string) => {
    const template = project.templates.get(path);
    if (!template || found.has(path)) return;
    found.set(path, template);
    for (const link of project.nested) if (link.parent === path && link.child) visit(link.child);
  };
  visit(project.stacks.find((s) => s.id === id)!.template);
  return [...found.values()];
}

/**
 * What the project itself holds as secret for one stack: the values given to its NoEcho
 * parameters (upstream outputs included, once known) and the NoEcho defaults of its templates.
 */
function givenSecrets(context: DeployContext, id: string, upstreamOutputs: UpstreamOutputs): string[] {
  const templates = templatesOf(context, id);
  const declared = templates[0]?.model.parameters;
  const given = [...(context.environment.stacks.get(id)?.values.values() ?? [])].filter((a) => declared?.get(a.key)?.noEcho).map((a) => assignedValue(a, upstreamOutputs));
  const defaults = templates.flatMap((t) => [...t.model.parameters.values()].filter((p) => p.noEcho && p.default !== undefined).map((p) => String(p.default)));
  return [...given, ...defaults].filter((value): value is string => value !== undefined);
}

/**
 * The values of the secure dynamic references (`{{resolve:ssm-secure:...}}`,
 * `{{resolve:secretsmanager:...}}`) in a stack's templates and parameter values, read from the
 * target as it is now. One that cannot be read (not created yet, not allowed) is left out.
 */
async function referencedSecrets(context: DeployContext, sources: SecretSources, id: string): Promise<string[]> {
  const texts = [...templatesOf(context, id).map((t) => JSON.stringify(t.body ?? {})), ...[...(context.environment.stacks.get(id)?.values.values() ?? [])].map((a) => a.value ?? '')];
  const references = texts.flatMap(dynamicReferences).filter(isSecureReference);
  const values = await Promise.all(references.map((ref) => readReference(ref, sources).catch(() => undefined)));
  return values.filter((value): value is string => value !== undefined);
}

/** Every secret stackpilot can learn for one project stack, before it is deployed or shown. */
export async function stackSecrets(context: DeployContext, sources: SecretSources, id: string, upstreamOutputs: UpstreamOutputs): Promise<string[]> {
  return [...givenSecrets(context, id, upstreamOutputs), ...(await referencedSecrets(context, sources, id))];
}

/** Every secret stackpilot can learn for the project's stacks (see stackSecrets). */
export async function projectSecrets(context: DeployContext, sources: SecretSources, upstreamOutputs: UpstreamOutputs): Promise<string[]> {
  const perStack = await Promise.all(context.project.stacks.map(({ id }) => stackSecrets(context, sources, id, upstreamOutputs)));
  return perStack.flat();
}
