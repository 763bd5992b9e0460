import { GetTemplateCommand, ListStackResourcesCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { describeStack } from '../deploy/inspect.ts';
import { describeTemplate } from '../template/model.ts';
import { parseTemplate } from '../template/parse.ts';
import type { StackInput } from './estimate.ts';

const MAX_NESTING = 10;

/**
 * A deployed stack as the estimate reads it: its template and parameter values as CloudFormation
 * holds them, nested stacks each with their own. Undefined when the stack does not exist.
 */
export async function deployedStackInput(cfn: CloudFormationClient, stackName: string, path: string, region: string, depth = 0): Promise<StackInput | undefined> {
  const stack = await describeStack(cfn, stackName);
  if (!stack || stack.StackStatus === 'REVIEW_IN_PROGRESS' || stack.StackStatus === 'ROLLBACK_COMPLETE') return undefined;
  const body = (await cfn.send(new GetTemplateCommand({ StackName: stack.StackId }))).TemplateBody ?? '{}';
  const model = describeTemplate(parseTemplate(body, stackName).body);
  const parameters = new Map((stack.Parameters ?? []).map((p) => [p.ParameterKey!, p.ResolvedValue ?? p.ParameterValue]));
  const nested = new Map<string, StackInput>();
  if (depth < MAX_NESTING) {
    let token: string | undefined;
    do {
      const page = await cfn.send(new ListStackResourcesCommand({ StackName: stack.StackId, NextToken: token }));
      for (const resource of page.StackResourceSummaries ?? []) {
        if (resource.ResourceType !== 'AWS::CloudFormation::Stack' || !resource.PhysicalResourceId) continue;
        const child = await deployedStackInput(cfn, resource.PhysicalResourceId, `${path}/${resource.LogicalResourceId}`, region, depth + 1);
        if (child) nested.set(resource.LogicalResourceId!, child);
      }
      token = page.NextToken;
    } while (token);
  }
  return { path, model, values: { region, stackName, parameters }, nested: (logicalId) => nested.get(logicalId) };
}
