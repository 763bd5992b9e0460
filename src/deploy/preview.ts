import { DescribeChangeSetCommand, DescribeStacksCommand, GetTemplateCommand, type Change, type CloudFormationClient, type Parameter } from '@aws-sdk/client-cloudformation';
import { resourceFacts } from '../spec/resource-facts.ts';
import { describeTemplate, type ParameterDeclaration, type TemplateModel } from '../template/model.ts';
import { parseTemplate } from '../template/parse.ts';
import { customNameFailure } from './custom-names.ts';
import type { PreviewedChange } from './events.ts';
import { propertyChanges, resolve, type ParameterValues } from './property-diff.ts';

/** DeletionPolicy / UpdateReplacePolicy values that keep a resource's data. */
export const KEEPS_DATA: ReadonlySet<string> = new Set(['Retain', 'RetainExceptOnCreate', 'Snapshot']);

/**
 * Whether the change deletes data: a stateful resource removed or replaced without Retain/Snapshot
 * (no policy is Delete). Only Modify rows carry a Replacement.
 */
function deletesData(change: Pick<PreviewedChange, 'action' | 'resourceType' | 'replacement'>, policies: { deletion?: unknown; replace?: unknown } | undefined): boolean {
  if (change.resourceType === 'AWS::CloudFormation::Stack') return false; // its own resources say
  if (!resourceFacts().resource(change.resourceType)?.isStateful) return false;
  if (change.action === 'Remove') return !KEEPS_DATA.has(String(policies?.deletion));
  if (change.replacement === 'True' || change.replacement === 'Conditional') return !KEEPS_DATA.has(String(policies?.replace));
  return false;
}

async function deployedModel(cfn: CloudFormationClient, stackId: string): Promise<TemplateModel | undefined> {
  try {
    const body = (await cfn.send(new GetTemplateCommand({ StackName: stackId, TemplateStage: 'Original' }))).TemplateBody;
    return body ? describeTemplate(parseTemplate(body, stackId).body) : undefined;
  } catch {
    return undefined;
  }
}

async function deployedParameters(cfn: CloudFormationClient, stackId: string): Promise<Parameter[]> {
  try {
    return (await cfn.send(new DescribeStacksCommand({ StackName: stackId }))).Stacks?.[0]?.Parameters ?? [];
  } catch {
    return [];
  }
}

const parameterValues = (model: TemplateModel | undefined, given: Parameter[]): ParameterValues => ({
  declarations: model?.parameters ?? new Map<string, ParameterDeclaration>(),
  values: new Map(given.filter((p) => p.ParameterKey !== undefined).map((p) => [p.ParameterKey!, p.ParameterValue ?? ''])),
});

/**
 * What a modified resource's properties become, and whether its replacement would fail (a
 * custom name kept): from the deployed template and the incoming one, parameters resolved.
 */
function modification(row: PreviewedChange, deployed: TemplateModel | undefined, incoming: TemplateModel | undefined, parameters: { before: ParameterValues; after: ParameterValues }): Pick<PreviewedChange, 'properties' | 'willFail'> {
  const old = deployed?.resources.get(row.logicalId);
  const now = incoming?.resources.get(row.logicalId);
  if (!old || !now) return {};
  const before = resolve(old.properties, parameters.before) as Record<string, unknown>;
  const after = resolve(now.properties, parameters.after) as Record<string, unknown>;
  const properties = propertyChanges(before, after);
  const willFail = row.replacement === 'True' ? customNameFailure(row.resourceType, resourceFacts().resource(row.resourceType), before, after) : undefined;
  return { properties, ...(willFail ? { willFail } : {}) };
}

/**
 * A change set's rows, nested change sets' rows included, each marked when it deletes data. The
 * policies that decide it come from the template being deployed (replacement) or the one deployed
 * now (removal), as CloudFormation applies them.
 */
export async function previewChangeSet(
  cfn: CloudFormationClient,
  changeSetId: string,
  /** The template being deployed at a nested path (`[]` for the stack itself). */
  incomingAt: (nestedPath: string[]) => TemplateModel | undefined,
  nestedPath: string[] = [],
): Promise<PreviewedChange[]> {
  const rows: PreviewedChange[] = [];
  let token: string | undefined;
  const changes: Change[] = [];
  let stackId: string | undefined;
  let incomingParameters: Parameter[] = [];
  do {
    const page = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetId, NextToken: token }));
    changes.push(...(page.Changes ?? []));
    stackId = page.StackId;
    incomingParameters = page.Parameters ?? incomingParameters;
    token = page.NextToken;
  } while (token);
  const deployedNeeded = changes.some((c) => c.ResourceChange?.Action === 'Remove' || c.ResourceChange?.Action === 'Modify');
  const current = deployedNeeded && stackId ? await deployedModel(cfn, stackId) : undefined;
  const incoming = incomingAt(nestedPath);
  const parameters = current && stackId ? { before: parameterValues(current, await deployedParameters(cfn, stackId)), after: parameterValues(incoming, incomingParameters) } : undefined;
  for (const change of changes) {
    const rc = change.ResourceChange;
    if (!rc) continue;
    const replacing = (rc.Details ?? []).filter((d) => d.Target?.RequiresRecreation === 'Always' || d.Target?.RequiresRecreation === 'Conditionally');
    const causes = (replacing.length > 0 ? replacing : (rc.Details ?? [])).flatMap((d) => d.Target?.Name ?? d.Target?.Attribute ?? []);
    const base = {
      action: (rc.Action ?? 'Modify') as PreviewedChange['action'],
      logicalId: rc.LogicalResourceId ?? '',
      resourceType: rc.ResourceType ?? '',
      ...(rc.Replacement ? { replacement: rc.Replacement } : {}),
    };
    const declared = (base.action === 'Remove' ? current : incoming)?.resources.get(base.logicalId);
    const row: PreviewedChange = {
      ...base,
      causes: [...new Set(causes)],
      nestedPath,
      dataAtRisk: deletesData(base, declared && { deletion: declared.deletionPolicy, replace: declared.updateReplacePolicy }),
    };
    // modification() finds nothing to compare for an added or removed resource.
    if (parameters && row.resourceType !== 'AWS::CloudFormation::Stack') Object.assign(row, modification(row, current, incoming, parameters));
    rows.push(row);
    // Only a nested stack's row carries a change set of its own.
    if (rc.ChangeSetId) {
      rows.push(...(await previewChangeSet(cfn, rc.ChangeSetId, incomingAt, [...nestedPath, row.logicalId])));
    }
  }
  return rows;
}
