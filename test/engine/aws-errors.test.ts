import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { deploy, openEngine, type Harness } from './engine-harness.ts';

/**
 * Errors with the code and the words AWS answers with. Every expected value is a response recorded
 * on AWS, in localstack/localstack tests/aws/services/cloudformation/api/:
 * - test_stacks.snapshot.json: test_describe_stack_events_errors, test_name_conflicts,
 *   test_non_existing_stack_message, test_stack_resource_not_found, test_linting_error_during_creation,
 *   test_update_stack_with_same_template_withoutchange
 * - test_templates.snapshot.json: test_create_stack_invalid_yaml_template_should_fail,
 *   test_validate_invalid_json_template_should_fail, test_get_template_no_arguments,
 *   test_get_template_missing_resources_stack, test_get_template_missing_resources_change_set,
 *   test_get_template_missing_resources_change_set_id, test_get_template_summary_non_executed_change_set,
 *   test_create_stack_from_s3_template_url[s3_url], [http_invalid]
 * - test_validations.snapshot.json: test_invalid_output_structure, test_missing_resources_block,
 *   test_resources_blocks
 * - test_changesets.snapshot.json: test_using_pseudoparameters_in_places
 * - test_update_stack.snapshot.json: test_no_template_error
 */

const topic = { Foo: { Type: 'AWS::SNS::Topic' } };

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string; status: number }> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { Code?: string; $metadata: { httpStatusCode?: number } };
    return { code: e.Code ?? e.name, message: e.message, status: e.$metadata.httpStatusCode ?? 0 };
  }
  assert.fail('the call was accepted');
}

describe('errors as AWS words them', () => {
  let h: Harness;
  before(async () => (h = await openEngine()));
  after(() => h.close());

  const create = (template: unknown) => h.engine.createStack({ StackName: 'refused', TemplateBody: typeof template === 'string' ? template : JSON.stringify(template) });

  it('a stack that is not there: "Stack [X] does not exist" for its events, "Stack with id X does not exist" elsewhere', async () => {
    assert.deepEqual(await refusal(h.engine.describeStackEvents({ StackName: 'does-not-exist' })), { code: 'ValidationError', message: 'Stack [does-not-exist] does not exist', status: 400 });
    assert.deepEqual(await refusal(h.engine.describeStacks({ StackName: 'does-not-exist' })), { code: 'ValidationError', message: 'Stack with id does-not-exist does not exist', status: 400 });
    assert.deepEqual(await refusal(h.engine.getTemplate({ StackName: 'does-not-exist' })), { code: 'ValidationError', message: 'Stack with id does-not-exist does not exist', status: 400 });

    assert.equal(await deploy(h.engine, 'gone', { Resources: topic }), 'CREATE_COMPLETE');
    await h.engine.deleteStack({ StackName: 'gone' });
    await h.engine.settled();
    assert.equal((await refusal(h.engine.describeStacks({ StackName: 'gone' }))).message, 'Stack with id gone does not exist');
    assert.equal((await refusal(h.engine.describeStackEvents({ StackName: 'gone' }))).message, 'Stack [gone] does not exist');
  });

  it('AlreadyExistsException for CreateStack, "No updates are to be performed." for an update that changes nothing', async () => {
    assert.equal(await deploy(h.engine, 'twice', { Resources: topic }), 'CREATE_COMPLETE');
    assert.deepEqual(await refusal(h.engine.createStack({ StackName: 'twice', TemplateBody: JSON.stringify({ Resources: topic }) })), { code: 'AlreadyExistsException', message: 'Stack [twice] already exists', status: 400 });
    assert.deepEqual(await refusal(h.engine.updateStack({ StackName: 'twice', TemplateBody: JSON.stringify({ Resources: topic }) })), { code: 'ValidationError', message: 'No updates are to be performed.', status: 400 });
    assert.deepEqual(await refusal(h.engine.updateStack({ StackName: 'twice' })), { code: 'ValidationError', message: 'Either Template URL or Template Body must be specified.', status: 400 });
    assert.equal((await refusal(h.engine.describeStackResource({ StackName: 'twice', LogicalResourceId: 'NonExistentResource' }))).message, 'Resource NonExistentResource does not exist for stack twice');
  });

  it('templates that are not well-formed', async () => {
    const yaml = 'Resources:\n  MyBucket:\n    Type: AWS::S3::Bucket\n    Properties:\n        BucketName: test\n      VersioningConfiguration:\n        Status: Enabled\n';
    const badYaml = await refusal(create(yaml));
    assert.equal(badYaml.code, 'ValidationError');
    // AWS adds where it stopped reading: "(line L, column C)".
    assert.match(badYaml.message, /^Template format error: YAML not well-formed\. \(line \d+, column \d+\)$/);
    assert.match((await refusal(h.engine.validateTemplate({ TemplateBody: '{"this is invalid JSON"="bobbins"}' }))).message, /^Template format error: JSON not well-formed\. \(line 1, column \d+\)$/);
    assert.equal((await refusal(create({}))).message, 'Template format error: At least one Resources member must be defined.');
    assert.equal((await refusal(create({ Resources: '', Outputs: '' }))).message, 'Template format error: Any Resources member must be an object.');
  });

  it('resources without a Type, with a key a resource cannot have, or named like a pseudo parameter', async () => {
    assert.deepEqual(await refusal(create({ Resources: { A: { Properties: {} } } })), { code: 'ValidationError', message: 'Template format error: [/Resources/A] Every Resources object must contain a Type member.', status: 400 });
    assert.deepEqual(await refusal(create({ Resources: { A: { Type: 'AWS::SNS::Topic', Invalid: 10 } } })), { code: 'ValidationError', message: "Invalid template resource property 'Invalid'", status: 400 });
    assert.equal((await refusal(create({ Resources: { 'AWS::NoValue': { Type: 'AWS::SNS::Topic' } } }))).message, 'Template format error: Resource name AWS::NoValue is non alphanumeric.');
    assert.equal((await refusal(create({ Parameters: { 'AWS::NoValue': { Type: 'String' } }, Resources: topic }))).message, 'Template format error: Parameter name AWS::NoValue is non alphanumeric.');
  });

  it('outputs without a value', async () => {
    assert.deepEqual(await refusal(create({ Resources: topic, Outputs: { MyOutput: { Value: null } } })), { code: 'ValidationError', message: "[/Outputs/MyOutput/Value] 'null' values are not allowed in templates", status: 400 });
    assert.equal((await refusal(create({ Resources: topic, Outputs: { MyOutput: { Value: null, AnotherValue: null } } }))).message, "[/Outputs/MyOutput/Value] 'null' values are not allowed in templates");
    assert.equal((await refusal(create({ Resources: topic, Outputs: { MyOutput: {} } }))).message, 'Template format error: Every Outputs member must contain a Value object');
  });

  it('GetTemplate without what it needs, and GetTemplateSummary of a stack under review', async () => {
    assert.deepEqual(await refusal(h.engine.getTemplate({})), { code: 'ValidationError', message: 'StackName is required if ChangeSetName is not specified.', status: 400 });
    assert.deepEqual(await refusal(h.engine.getTemplate({ ChangeSetName: 'does-not-exist' })), { code: 'ValidationError', message: 'StackName is a required parameter.', status: 400 });
    const missing = 'arn:aws:cloudformation:us-east-1:000000000000:changeSet/change-set-926829fe/d065e78c';
    assert.deepEqual(await refusal(h.engine.getTemplate({ ChangeSetName: missing })), { code: 'ChangeSetNotFound', message: `ChangeSet [${missing}] does not exist`, status: 404 });

    await h.engine.createChangeSet({ StackName: 'in-review', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: JSON.stringify({ Resources: topic }) });
    await h.engine.settled();
    assert.deepEqual(await refusal(h.engine.getTemplateSummary({ StackName: 'in-review' })), { code: 'ValidationError', message: 'GetTemplateSummary cannot be called on REVIEW_IN_PROGRESS stacks.', status: 400 });
  });

  it('a TemplateURL that is not an https S3 URL', async () => {
    await h.aws.clients.s3.send(new CreateBucketCommand({ Bucket: 'template-bucket' }));
    await h.aws.clients.s3.send(new PutObjectCommand({ Bucket: 'template-bucket', Key: 'test/template.yml', Body: JSON.stringify({ Resources: topic }) }));
    assert.deepEqual(await refusal(h.engine.createStack({ StackName: 'by-url', TemplateURL: 's3://template-bucket/test/template.yml' })), {
      code: 'ValidationError',
      message: 'S3 error: Domain name specified in template-bucket is not a valid S3 domain',
      status: 400,
    });
    assert.equal((await refusal(h.engine.createStack({ StackName: 'by-url', TemplateURL: 'https://example.com/dummy.yml' }))).message, 'TemplateURL must be a supported URL.');
    await h.engine.createStack({ StackName: 'by-url', TemplateURL: 'https://template-bucket.s3.amazonaws.com/test/template.yml' });
    await h.engine.settled();
  });
});
