import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateTableCommand, DynamoDBClient, PutItemCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { join } from 'node:path';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { writeProject } from '../helpers.ts';

export const BUCKET = 'state-bucket';
export const KEY = 'config/app.json';
export const TABLE = 'state-table';
export const STACK = 'state-stack';

/**
 * A project whose local state (in us-east-1) holds a bucket with an object, a table with an
 * item, a parameter, a secret and a stack, all made through the SDK as a deploy would.
 */
export async function projectWithLocalState(): Promise<{ project: string; dataDir: string }> {
  const project = writeProject({
    'stackpilot.yaml': 'project: state\nregion: us-east-1\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n',
    'app.yaml': 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n',
  });
  const dataDir = join(project, '.stackpilot', 'local');
  const local = await LocalAws.open({ dataDir });
  try {
    const s3 = new S3Client(local.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: '{}' }));
    const dynamodb = new DynamoDBClient(local.clientConfig());
    await dynamodb.send(new CreateTableCommand({ TableName: TABLE, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
    await waitUntilTableExists({ client: dynamodb, maxWaitTime: 5, minDelay: 0.01, maxDelay: 0.05 }, { TableName: TABLE });
    await dynamodb.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: 'k1' } } }));
    await new SSMClient(local.clientConfig()).send(new PutParameterCommand({ Name: '/state/param', Value: 'p', Type: 'String' }));
    await new SecretsManagerClient(local.clientConfig()).send(new CreateSecretCommand({ Name: 'state-secret', SecretString: 's' }));
    const template = JSON.stringify({ Resources: { Flag: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/state/flag', Type: 'String', Value: 'on' } } } });
    await new CloudFormationClient(local.clientConfig()).send(new CreateStackCommand({ StackName: STACK, TemplateBody: template }));
    await local.settled();
  } finally {
    await local.close();
  }
  return { project, dataDir };
}
