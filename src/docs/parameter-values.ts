import { listStackParameters, MASK } from '../project/parameter-listing.ts';
import type { Project } from '../project/project.ts';
import { isObject, references } from '../template/intrinsics.ts';
import { parameterValueToString } from '../template/parameter-constraints.ts';
import { deploymentLabel, projectRelative, type Deployment } from './environments.ts';
import { showValue } from './markdown.ts';
import type { StackPage } from './stack-pages.ts';

/** The value one parameter of a page gets in one deployment, and where it is written. */
export interface ParameterValue {
  key: string;
  deployment: string;
  /** As shown: `****` for a secret. */
  value: string;
  /** The file (relative to the project root) and line the value is written at; none for a template default. */
  file?: string;
  line?: number;
  /** The region whose overrides gave the value. */
  region?: string;
}

/**
 * The parameters of a page that hold secrets: NoEcho ones, and in a nested stack those its
 * parent passes a secret to (`Password: !Ref DbPassword`), NoEcho or not.
 */
export function secretParameters(page: StackPage): Set<string> {
  const secrets = new Set([...page.template.model.parameters.values()].filter((p) => p.noEcho).map((p) => p.name));
  if (page.parent && page.link) {
    const parentSecrets = secretParameters(page.parent);
    for (const [name, passed] of Object.entries(passedParameters(page))) {
      if (references(passed).some((r) => parentSecrets.has(r.name))) secrets.add(name);
    }
  }
  return secrets;
}

/** What the parent's resource passes in `Parameters` to a nested stack. */
function passedParameters(page: StackPage): Record<string, unknown> {
  const resource = page.parent && page.link ? page.parent.template.model.resources.get(page.link.logicalId) : undefined;
  return resource && isObject(resource.properties.Parameters) ? resource.properties.Parameters : {};
}

/** Each parameter's value in each deployment, in template order then deployment order. */
export function parameterValues(project: Project, page: StackPage, deployments: Deployment[]): ParameterValue[] {
  const perDeployment = deployments.map((d) => (page.parent ? nestedValues(project, page, d) : topValues(project, page, d)));
  return [...page.template.model.parameters.keys()].flatMap((key) => perDeployment.flatMap((values) => values.filter((v) => v.key === key)));
}

function topValues(project: Project, page: StackPage, deployment: Deployment): ParameterValue[] {
  return listStackParameters(project, deployment.resolved, page.stackId).map((p) => ({
    key: p.key,
    deployment: deploymentLabel(deployment),
    value: p.value,
    ...(p.file !== undefined ? { file: projectRelative(project, p.file), line: p.line } : {}),
    ...(p.region ? { region: p.region } : {}),
  }));
}

function nestedValues(project: Project, page: StackPage, deployment: Deployment): ParameterValue[] {
  const passed = passedParameters(page);
  const secrets = secretParameters(page);
  const instance = deployment.instances.get(page.file);
  const parent = page.parent!.template;
  const values: ParameterValue[] = [];
  for (const declaration of page.template.model.parameters.values()) {
    const label = deploymentLabel(deployment);
    if (Object.hasOwn(passed, declaration.name)) {
      const known = instance?.scope.parameters.get(declaration.name);
      const { line } = parent.map.locate(['Resources', page.link!.logicalId, 'Properties', 'Parameters', declaration.name], 'key');
      // A value known only at deploy time (an output, an attribute) is shown as the parent writes it.
      const value = secrets.has(declaration.name) ? MASK : (known ?? showValue(passed[declaration.name]));
      values.push({ key: declaration.name, deployment: label, value, file: projectRelative(project, parent.file), line });
      continue;
    }
    const fallback = declaration.default === undefined ? undefined : parameterValueToString(declaration.default);
    if (fallback !== undefined) values.push({ key: declaration.name, deployment: label, value: secrets.has(declaration.name) ? MASK : fallback });
  }
  return values;
}
