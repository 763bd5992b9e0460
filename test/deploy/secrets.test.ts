import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { deployProject, type DeployReport } from '../../src/deploy/deploy.ts';
import type { DeployEvent } from '../../src/deploy/events.ts';
import { savedOutputs, writeProject } from '../helpers.ts';
import { withProjectState } from '../project-state.ts';

const SECRET = 'Sup3rS3cretValue!';
const SECRET_BASE64 = Buffer.from(SECRET).toString('base64');

async function deploy(dir: string): Promise<{ report: DeployReport; events: DeployEvent[] }> {
  const events: DeployEvent[] = [];
  const report = await deployProject(dir, { target: 'local', concurrency: 4, yes: true }, (e) => events.push(e));
  return { report, events };
}

/** The saved outputs of dev, but when they were written. */
function readOutputs(dir: string) {
  const outputs = savedOutputs(dir, 'dev');
  delete outputs.writtenAt;
  return outputs;
}

describe('NoEcho values a template carries into a failure', () => {
  it('are masked in the failure reasons a deploy reports: an invalid table name, a mapping key, a CIDR block', async () => {
    const failing = (properties: string, type = 'AWS::SNS::Topic') => `Parameters:\n  Pw: { Type: String, NoEcho: true }\nMappings:\n  M: { a: { b: c } }\nResources:\n  Failing:\n    Type: ${type}\n    Properties:\n${properties}`;
    const dir = writeProject({
      'stackpilot.yaml': `project: leak\nstacks:\n  table: { template: table.yaml }\n  mapping: { template: mapping.yaml }\n  cidr: { template: cidr.yaml }\nenvironments:\n  dev: { parameters: { Pw: '${SECRET}' } }\n`,
      'table.yaml': failing("      TableName: !Sub '${Pw}'\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]\n      KeySchema: [{ AttributeName: id, KeyType: HASH }]\n", 'AWS::DynamoDB::Table'),
      'mapping.yaml': failing('      DisplayName: !FindInMap [M, !Ref Pw, b]\n'),
      'cidr.yaml': failing('      DisplayName: !Select [0, !Cidr [!Ref Pw, 2, 8]]\n'),
    });
    const { report, events } = await deploy(dir);
    assert.equal(report.ok, false);
    // The table fails as it is made; the mapping and the CIDR block cannot be evaluated, which fails the change set.
    const failures = Object.fromEntries(events.flatMap((e) => (e.code === 'stack-done' ? [[e.stack, e.firstFailure?.reason ?? e.reason]] : [])));
    assert.deepEqual(failures, {
      table: `Resource handler returned message: "1 validation error detected: Value '****' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"`,
      mapping: 'the change set failed: Template error: Unable to get mapping for M::****::b',
      cidr: 'the change set failed: Fn::Cidr: **** is not a CIDR block',
    });
    assert.equal(JSON.stringify(events).includes(SECRET), false, 'no event holds the value');
  });
});

describe('outputs that carry a NoEcho value', () => {
  let dir: string;
  let deployed: Awaited<ReturnType<typeof deploy>>;
  before(async () => {
    dir = writeProject({
      'stackpilot.yaml': 'project: vault\nstacks:\n  app: { template: app.yaml }\n  down: { template: down.yaml, parameters: { Value: "${stacks.app.outputs.Plain}" } }\nenvironments:\n  dev: { parameterFiles: [dev.json] }\n',
      'dev.json': JSON.stringify({ Pw: SECRET }),
      'app.yaml': [
        'Parameters:',
        '  Pw: { Type: String, NoEcho: true }',
        'Resources:',
        '  Topic: { Type: AWS::SNS::Topic }',
        'Outputs:',
        '  Plain: { Value: !Ref Pw, Export: { Name: vault-pw } }',
        '  Encoded: { Value: !Base64 { Ref: Pw } }',
        "  EncodedLonger: { Value: !Base64 { 'Fn::Sub': 'user:${Pw}' } }",
        "  Joined: { Value: !Join ['-', [x, !Ref Pw]] }",
        "  Split: { Value: !Select [1, !Split ['|', !Sub 'a|${Pw}']] }",
        '',
      ].join('\n'),
      'down.yaml': 'Parameters:\n  Value: { Type: String }\nResources:\n  Kept:\n    Type: AWS::SSM::Parameter\n    Properties: { Name: /vault/value, Type: String, Value: !Ref Value }\nOutputs:\n  Imported: { Value: !ImportValue vault-pw }\n',
    });
    deployed = await deploy(dir);
    assert.equal(deployed.report.ok, true);
  });

  it('are masked in outputs.json however the value is carried: Ref, ImportValue, Base64, Join, Split', () => {
    const outputs = readOutputs(dir);
    const { EncodedLonger, ...rest } = outputs.app;
    assert.deepEqual({ ...outputs, app: rest }, { environment: 'dev', region: 'us-east-1', account: '123456789012', target: 'local', app: { Plain: '****', Encoded: '****', Joined: 'x-****', Split: '****' }, down: { Imported: '****' } });
    assert.match(EncodedLonger, /\*\*\*\*/);
    assert.equal(Buffer.from(EncodedLonger.replace('****', ''), 'base64').toString().includes(SECRET), false, 'the Base64 of a longer text holding it is masked too');
    assert.equal(JSON.stringify(outputs).includes(SECRET_BASE64.slice(0, 12)), false);
  });

  it('reach the stack downstream as the real value, not as ****', async () => {
    const value = await withProjectState(dir, async ({ ssm }) => (await ssm.send(new GetParameterCommand({ Name: '/vault/value' }))).Parameter?.Value);
    assert.equal(value, SECRET);
    const reported = deployed.events.find((e) => e.code === 'outputs' && e.stack === 'app');
    assert.equal(reported?.code === 'outputs' && reported.outputs.Plain, SECRET, 'the library reports real values; writers mask them');
  });
});

describe('secure dynamic references', () => {
  it('are masked in outputs.json when a nested stack echoes the resolved value', async () => {
    const dir = writeProject({
      'stackpilot.yaml': 'project: refs\nstacks:\n  main: { template: main.yaml }\nenvironments:\n  dev: {}\n',
      'main.yaml': [
        'Resources:',
        '  Child:',
        '    Type: AWS::CloudFormation::Stack',
        '    Properties:',
        '      TemplateURL: https://templates.s3.amazonaws.com/child.yaml',
        "      Parameters: { Password: '{{resolve:secretsmanager:refs/db:SecretString:password}}' }",
        'Outputs:',
        '  Echoed: { Value: !GetAtt Child.Outputs.Password }',
        '',
      ].join('\n'),
      'child.yaml': 'Parameters:\n  Password: { Type: String }\nResources:\n  Topic: { Type: AWS::SNS::Topic }\nOutputs:\n  Password: { Value: !Ref Password }\n',
    });
    await withProjectState(dir, ({ secretsManager }) => secretsManager.send(new CreateSecretCommand({ Name: 'refs/db', SecretString: JSON.stringify({ password: SECRET }) })));
    const { report, events } = await deploy(dir);
    assert.equal(report.ok, true);
    const reported = events.find((e) => e.code === 'outputs');
    assert.equal(reported?.code === 'outputs' && reported.outputs.Echoed, SECRET, 'the nested stack was given the resolved value');
    assert.deepEqual(readOutputs(dir), { environment: 'dev', region: 'us-east-1', account: '123456789012', target: 'local', main: { Echoed: '****' } });
  });
});
