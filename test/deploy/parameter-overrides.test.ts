import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deployProject } from '../../src/deploy/deploy.ts';
import { writeProject } from '../helpers.ts';
import { withProjectState } from '../project-state.ts';

const template = "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Stage: { Type: String, Default: beta }\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\nOutputs:\n  Stage:\n    Value: !Ref Stage\n";

describe('deploy --parameter', () => {
  it('deploys each stack with the command line\'s value: STACK.KEY to that stack, the region override to the other', async () => {
    const dir = writeProject({
      'stackpilot.yaml': 'project: shop\nstacks:\n  api: { template: app.yaml }\n  web: { template: app.yaml }\nenvironments:\n  dev: { region: us-east-1 }\nregions:\n  us-east-1:\n    parameters: { Stage: regional }\n',
      'app.yaml': template,
    });
    const report = await deployProject(dir, { target: 'local', concurrency: 2, yes: true, parameters: [{ stack: 'api', key: 'Stage', value: 'from-the-command-line' }] }, () => {});
    assert.equal(report.ok, true);
    await withProjectState(dir, async ({ cloudformation }) => {
      const stage = async (name: string) => (await cloudformation.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0].Parameters?.find((p) => p.ParameterKey === 'Stage')?.ParameterValue;
      assert.deepEqual([await stage('shop-dev-api'), await stage('shop-dev-web')], ['from-the-command-line', 'regional']);
    });
  });
});
