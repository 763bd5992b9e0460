import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { deploy, openEngine, REGION, type Harness } from './engine-harness.ts';

const topic = { Type: 'AWS::SNS::Topic' };
const withParameter = {
  Parameters: { Env: { Type: 'String' } },
  Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: { Ref: 'Env' } } } },
};
const many = (count: number, make: (i: number) => unknown) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`Item${i}`, make(i)]));

describe('input errors answered as CloudFormation answers them', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  it('UsePreviousValue on a CREATE change set, or with a value, is refused', async () => {
    // Message as AWS returns it, quoted in https://github.com/mapbox/cfn-config/issues/182 and
    // https://github.com/aws/serverless-application-model/issues/122.
    await assert.rejects(
      h.engine.createChangeSet({ StackName: 'fresh', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: JSON.stringify(withParameter), Parameters: [{ ParameterKey: 'Env', UsePreviousValue: true }] }),
      { name: 'ValidationError', message: 'Cannot specify UsePreviousValue on Parameters when ChangeSetType is CREATE' },
    );
    await assert.rejects(h.engine.describeStacks({ StackName: 'fresh' }), /does not exist/, 'nothing was created');

    // https://github.com/widdix/cfn-create-or-update/pull/15 quotes AWS's answer; the API reference
    // (API_Parameter.html): "If you specify true, do not specify a parameter value."
    assert.equal(await deploy(h.engine, 'params', withParameter, { Parameters: [{ ParameterKey: 'Env', ParameterValue: 'dev' }] }), 'CREATE_COMPLETE');
    const both = [{ ParameterKey: 'Env', ParameterValue: 'prod', UsePreviousValue: true }];
    const expected = { name: 'ValidationError', message: 'Invalid input for parameter key Env. Cannot specify usePreviousValue as true and non empty value for a parameter' };
    await assert.rejects(h.engine.updateStack({ StackName: 'params', TemplateBody: JSON.stringify(withParameter), Parameters: both }), expected);
    await assert.rejects(h.engine.createChangeSet({ StackName: 'params', ChangeSetName: 'both', TemplateBody: JSON.stringify(withParameter), Parameters: both }), expected);
  });

  it('ValidateTemplate and CreateStack refuse an export name that depends on a resource, an import or Fn::GetAZs', async () => {
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html:
    // an export name can't depend on resources; the message is CloudFormation's template format error.
    const named = (name: unknown) => ({ Resources: { Topic: topic }, Outputs: { TopicArn: { Value: { Ref: 'Topic' }, Export: { Name: name } } } });
    const message = 'Template format error: Output TopicArn is malformed. The Name field of Export must not depend on any resources, imported values, or Fn::GetAZs.';
    for (const name of [{ 'Fn::GetAtt': ['Topic', 'TopicName'] }, { 'Fn::Sub': '${Topic}-arn' }, { 'Fn::ImportValue': 'other' }, { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }]) {
      await assert.rejects(h.engine.validateTemplate({ TemplateBody: JSON.stringify(named(name)) }), { name: 'ValidationError', message }, JSON.stringify(name));
    }
    await assert.rejects(h.engine.createStack({ StackName: 'bad-export', TemplateBody: JSON.stringify(named({ 'Fn::Sub': '${Topic}-arn' })) }), { message });
    const fine = await h.engine.validateTemplate({ TemplateBody: JSON.stringify(named({ 'Fn::Sub': '${AWS::StackName}-TopicArn' })) });
    assert.ok(fine.Parameters, 'an export named from pseudo parameters is fine');
  });

  it('quotas: 500 resources, 200 parameters, outputs and mappings, with CloudFormation\'s message', async () => {
    // Quotas: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html.
    // The message for resources is CloudFormation's as users report it ("The CloudFormation template is
    // invalid: Template format error: Number of resources, 516, is greater than maximum allowed, 500",
    // the Serverless Stack guide's "common errors" page); the other sections are answered in the same form.
    const resources = (n: number) => many(n, () => topic);
    // A template with 501 resources is over 51,200 bytes: it goes by URL, as it would to AWS.
    const s3 = new S3Client(h.aws.clientConfig(REGION));
    await s3.send(new CreateBucketCommand({ Bucket: 'quota-templates' }));
    const byUrl = async (key: string, body: unknown) => {
      await s3.send(new PutObjectCommand({ Bucket: 'quota-templates', Key: key, Body: JSON.stringify(body) }));
      return `https://quota-templates.s3.amazonaws.com/${key}`;
    };
    await assert.rejects(h.engine.createStack({ StackName: 'wide', TemplateURL: await byUrl('wide.json', { Resources: resources(501) }) }), {
      name: 'ValidationError',
      message: 'Template format error: Number of resources, 501, is greater than maximum allowed, 500',
    });
    await assert.rejects(h.engine.validateTemplate({ TemplateURL: await byUrl('wide.json', { Resources: resources(501) }) }), /Number of resources, 501/);
    assert.equal(await deploy(h.engine, 'widest', '', { TemplateURL: await byUrl('widest.json', { Resources: resources(500) }), TemplateBody: undefined }), 'CREATE_COMPLETE', '500 is allowed');

    const sections: [string, Record<string, unknown>][] = [
      ['parameters', { Parameters: many(201, () => ({ Type: 'String', Default: 'x' })), Resources: { Topic: topic } }],
      ['outputs', { Resources: { Topic: topic }, Outputs: many(201, () => ({ Value: 'x' })) }],
      ['mappings', { Mappings: many(201, () => ({ Key: { Value: 'x' } })), Resources: { Topic: topic } }],
    ];
    for (const [section, template] of sections) {
      await assert.rejects(h.engine.createStack({ StackName: `too-many-${section}`, TemplateURL: await byUrl(`${section}.json`, template) }), {
        message: `Template format error: Number of ${section}, 201, is greater than maximum allowed, 200`,
      });
    }

    // Body and URL sizes: https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html
    // (TemplateBody "Maximum length of 51,200 bytes"; TemplateURL "maximum size: 1 MB").
    const body = JSON.stringify({ Resources: { Topic: topic }, Metadata: { Padding: 'x'.repeat(51_200) } });
    await assert.rejects(h.engine.createStack({ StackName: 'big-body', TemplateBody: body }), {
      message: "1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to 51200",
    });
    const huge = await byUrl('huge.json', { Resources: { Topic: topic }, Metadata: { Padding: 'x'.repeat(1_000_000) } });
    await assert.rejects(h.engine.createStack({ StackName: 'huge-url', TemplateURL: huge }), { message: 'Template may not exceed 1000000 bytes in size.' });
    s3.destroy();
  });
});
