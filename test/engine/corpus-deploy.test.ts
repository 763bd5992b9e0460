import { CloudFormationClient, CreateStackCommand, DeleteStackCommand, DescribeStacksCommand, paginateDescribeStackEvents, type StackEvent } from '@aws-sdk/client-cloudformation';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { templatesInFolder } from '../../src/project/project.ts';
import { TEMPLATE_BODY_LIMIT_BYTES } from '../../src/template/limits.ts';
import { describeTemplate } from '../../src/template/model.ts';
import { parseTemplate } from '../../src/template/parse.ts';
import { rainDirectives } from '../../src/template/rain.ts';
import { CORPUS } from '../helpers.ts';

/**
 * Corpus templates that need something from outside beyond their parameter defaults, by name,
 * with what they need. (Templates with a Transform, parameters without a Default, or Rain
 * constructs that don't parse are left out by rule below.) Each must still fail to deploy
 * alone, so the list cannot go stale.
 */
const NEEDS_OUTSIDE_INPUT: Record<string, string> = {
  'CloudFormation/CustomResources/getfromjson/example-templates/getfromjson-consumer.yml': 'imports an export of the getfromjson module stack',
  'CloudFormation/MacrosExamples/DateFunctions/date_example.json': 'Fn::Transform of the Date macro, which must be deployed first',
  'CloudFormation/MacrosExamples/DateFunctions/date_example.yaml': 'Fn::Transform of the Date macro',
  'CloudFormation/MacrosExamples/DatetimeNow/datetimenow_example.json': 'Fn::Transform of the DatetimeNow macro',
  'CloudFormation/MacrosExamples/DatetimeNow/datetimenow_example.yaml': 'Fn::Transform of the DatetimeNow macro',
  'CloudFormation/MacrosExamples/StringFunctions/string_example.json': 'Fn::Transform of the String macro',
  'CloudFormation/MacrosExamples/StringFunctions/string_example.yaml': 'Fn::Transform of the String macro',
  'CloudFormation/StackSets/common-resources.json': 'a Rain module as a resource Type',
  'DMS/DMSAuroraToS3FullLoadAndOngoingReplication.json': 'reads a Secrets Manager secret that must already exist',
  'DMS/DMSAuroraToS3FullLoadAndOngoingReplication.yaml': 'reads a Secrets Manager secret that must already exist',
  'ECS/EC2LaunchType/services/private-service.json': 'imports the exports of the ECS cluster stack',
  'ECS/EC2LaunchType/services/private-service.yaml': 'imports the exports of the ECS cluster stack',
  'ECS/EC2LaunchType/services/public-service.json': 'imports the exports of the ECS cluster stack',
  'ECS/EC2LaunchType/services/public-service.yaml': 'imports the exports of the ECS cluster stack',
  'ECS/FargateLaunchType/services/private-subnet-private-service.json': 'imports the exports of the Fargate cluster stack',
  'ECS/FargateLaunchType/services/private-subnet-private-service.yaml': 'imports the exports of the Fargate cluster stack',
  'ECS/FargateLaunchType/services/private-subnet-public-service.json': 'imports the exports of the Fargate cluster stack',
  'ECS/FargateLaunchType/services/private-subnet-public-service.yaml': 'imports the exports of the Fargate cluster stack',
  'ECS/FargateLaunchType/services/public-service.json': 'imports the exports of the Fargate cluster stack',
  'ECS/FargateLaunchType/services/public-service.yaml': 'imports the exports of the Fargate cluster stack',
  'ServiceCatalog/Product.json': 'imports the exports of the portfolio stack',
  'ServiceCatalog/Product.yaml': 'imports the exports of the portfolio stack',
  'Solutions/GitLab/GitLabServer.json': 'Rain modules as resource Types (the -pkg template deploys)',
  'Solutions/GitLabAndVSCode/GitLabAndVSCode.json': 'Rain modules as resource Types',
  'Solutions/Gitea/Gitea.json': 'Rain modules as resource Types (the -pkg template deploys)',
  'Solutions/VSCode/VSCodeServer.json': 'Rain modules as resource Types (the -pkg template deploys)',
};

type Verdict = { deploy: true } | { deploy: false; why: string };

function verdict(name: string, text: string): Verdict {
  const template = parseTemplate(text, name);
  if (!template.body || template.problems.length > 0) return { deploy: false, why: 'not plain CloudFormation' };
  if (rainDirectives(template.body).length > 0) return { deploy: false, why: 'Rain directives (rain pkg first)' };
  const model = describeTemplate(template.body);
  if (model.transforms.length > 0) return { deploy: false, why: `Transform ${model.transforms.join(', ')}` };
  const needed = [...model.parameters.values()].filter((p) => p.default === undefined).map((p) => p.name);
  if (needed.length > 0) return { deploy: false, why: `parameters without a Default: ${needed.join(', ')}` };
  if (name in NEEDS_OUTSIDE_INPUT) return { deploy: false, why: NEEDS_OUTSIDE_INPUT[name] };
  return { deploy: true };
}

describe('the public corpus on the local engine', () => {
  let local: LocalAws;
  let cfn: CloudFormationClient;
  let s3: S3Client;
  before(async () => {
    local = await LocalAws.open();
    cfn = new CloudFormationClient(local.clientConfig());
    s3 = new S3Client(local.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'corpus-templates' }));
  });
  after(async () => {
    cfn.destroy();
    s3.destroy();
    await local.close();
  });

  /** The template as CloudFormation takes it: a body up to 51,200 bytes, from S3 past that. */
  const templateOf = async (name: string, text: string) => {
    if (Buffer.byteLength(text) <= TEMPLATE_BODY_LIMIT_BYTES) return { TemplateBody: text };
    await s3.send(new PutObjectCommand({ Bucket: 'corpus-templates', Key: name, Body: text }));
    return { TemplateURL: `https://corpus-templates.s3.amazonaws.com/${name}` };
  };

  const settle = async (stack: string) => {
    for (;;) {
      const found = (await cfn.send(new DescribeStacksCommand({ StackName: stack }))).Stacks![0];
      if (!found.StackStatus!.endsWith('_IN_PROGRESS')) return found;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
  const firstFailure = async (stack: string) => {
    const events: StackEvent[] = [];
    for await (const page of paginateDescribeStackEvents({ client: cfn }, { StackName: stack })) events.push(...(page.StackEvents ?? []));
    const failed = events.filter((e) => e.ResourceStatus?.endsWith('_FAILED')).at(-1);
    return failed ? `${failed.LogicalResourceId}: ${failed.ResourceStatusReason}` : 'no failed resource';
  };
  const capabilities = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'] as const;

  it('creates every template that needs nothing from outside, and deletes it without a trace', async () => {
    const templates = templatesInFolder(CORPUS).map((file) => ({ name: relative(CORPUS, file), text: readFileSync(file, 'utf8') }));
    const deployable = templates.filter((t) => verdict(t.name, t.text).deploy);
    // 46 since Rain's JSON directives (Rain::Embed in five .json samples) count as not plain CloudFormation, as the YAML tags did.
    assert.ok(deployable.length >= 45, `${deployable.length} deployable templates`);
    const problems: string[] = [];
    for (const [i, t] of deployable.entries()) {
      const name = `corpus-${i}`;
      await cfn.send(new CreateStackCommand({ StackName: name, ...(await templateOf(name, t.text)), Capabilities: [...capabilities] }));
      const created = await settle(name);
      if (created.StackStatus !== 'CREATE_COMPLETE') {
        problems.push(`${t.name}: ${created.StackStatus} (${await firstFailure(name)})`);
        continue;
      }
      await cfn.send(new DeleteStackCommand({ StackName: created.StackId }));
      const deleted = await settle(created.StackId!);
      if (deleted.StackStatus !== 'DELETE_COMPLETE') problems.push(`${t.name}: ${deleted.StackStatus} on delete (${await firstFailure(created.StackId!)})`);
    }
    assert.deepEqual(problems, []);
    const leftovers = (await cfn.send(new DescribeStacksCommand({}))).Stacks ?? [];
    assert.deepEqual(leftovers.map((s) => s.StackName), [], 'no stack is left behind');
  });

  it('fails, as real CloudFormation would, each template listed as needing outside input', async () => {
    const stale: string[] = [];
    for (const [i, [name, why]] of Object.entries(NEEDS_OUTSIDE_INPUT).entries()) {
      const stack = `outside-${i}`;
      try {
        await cfn.send(new CreateStackCommand({ StackName: stack, TemplateBody: readFileSync(`${CORPUS}/${name}`, 'utf8'), Capabilities: [...capabilities] }));
        const result = await settle(stack);
        if (result.StackStatus === 'CREATE_COMPLETE') stale.push(`${name} deployed, but is listed as: ${why}`);
      } catch (error) {
        assert.equal((error as Error).name, 'ValidationError', `${name}: ${(error as Error).message}`);
      }
    }
    assert.deepEqual(stale, []);
  });
});
