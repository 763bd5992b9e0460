import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeParametersCommand, ListTagsForResourceCommand, SSMClient } from '@aws-sdk/client-ssm';
import { LocalAws } from '../../src/emulator/local-aws.ts';

// Tags of AWS::SSM::Parameter (a map of key to value) and AWS::SecretsManager::Secret (a list of
// Key/Value), both updated without interruption:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ssm-parameter.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-secretsmanager-secret.html
function template(parameterTags: Record<string, string>, secretTags: { Key: string; Value: string }[]): string {
  return JSON.stringify({
    Resources: {
      Endpoint: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/tagged/endpoint', Type: 'String', Value: 'https://api', Tags: parameterTags } },
      Credentials: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'tagged-credentials', SecretString: 's', Tags: secretTags } },
    },
  });
}

describe('tags of the parameters and secrets a stack makes', () => {
  let local: LocalAws;
  before(async () => {
    local = await LocalAws.open();
  });
  after(() => local.close());

  it('are set when created and follow the template on update', async () => {
    const cloudformation = new CloudFormationClient(local.clientConfig());
    const ssm = new SSMClient(local.clientConfig());
    const secrets = new SecretsManagerClient(local.clientConfig());
    await cloudformation.send(new CreateStackCommand({ StackName: 'tagged', TemplateBody: template({ env: 'prod', team: 'data' }, [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'data' }]) }));
    await local.settled();
    const parameterTags = async () => (await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tagged/endpoint' }))).TagList;
    assert.deepEqual(await parameterTags(), [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'data' }]);
    const found = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'tag:team', Values: ['data'] }] }));
    assert.deepEqual(found.Parameters?.map((p) => p.Name), ['/tagged/endpoint']);

    await cloudformation.send(new UpdateStackCommand({ StackName: 'tagged', TemplateBody: template({ env: 'dev', owner: 'ana' }, [{ Key: 'env', Value: 'dev' }, { Key: 'owner', Value: 'ana' }]) }));
    await local.settled();
    assert.equal((await cloudformation.send(new DescribeStacksCommand({ StackName: 'tagged' }))).Stacks?.[0].StackStatus, 'UPDATE_COMPLETE');
    assert.deepEqual(await parameterTags(), [{ Key: 'env', Value: 'dev' }, { Key: 'owner', Value: 'ana' }]);
    assert.deepEqual((await secrets.send(new DescribeSecretCommand({ SecretId: 'tagged-credentials' }))).Tags, [{ Key: 'env', Value: 'dev' }, { Key: 'owner', Value: 'ana' }]);
  });
});
