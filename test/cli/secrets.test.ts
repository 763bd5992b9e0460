import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { Redactor } from '../../src/redaction.ts';
import { runCli, savedOutputs, savedOutputsPath, type CliRun, writeProject } from '../helpers.ts';
import { withProjectState } from '../project-state.ts';

/** A NoEcho value given in a parameter file, and a secret a template reaches by dynamic reference. */
const NO_ECHO = 'Sup3rS3cretValue!';
const REFERENCED = 'Dyn4micS3cret#42';
const SECRETS = [NO_ECHO, REFERENCED];

/**
 * A project that carries both secrets every way this issue found them leaking: outputs through
 * Ref, an export and its import, Base64 (of the value, and of a longer text), Join and Split; a
 * nested stack that echoes a resolved dynamic reference; an upstream output a downstream stack
 * stores; and, in the `broken` environment, three stacks whose failure reasons quote the value.
 */
function project(): string {
  return writeProject({
    'stackpilot.yaml': [
      'project: vault',
      'stacks:',
      '  app: { template: app.yaml }',
      '  down: { template: down.yaml, parameters: { Value: "${stacks.app.outputs.Plain}", AppStack: "${stacks.app.name}" } }',
      '  table: { template: failing.yaml, dependsOn: [down], parameters: { Failure: table } }',
      '  mapping: { template: failing.yaml, dependsOn: [down], parameters: { Failure: mapping } }',
      '  cidr: { template: failing.yaml, dependsOn: [down], parameters: { Failure: cidr } }',
      'environments:',
      "  stable: { parameterFiles: [secrets.json], parameters: { Broken: 'no' } }",
      "  broken: { parameterFiles: [secrets.json], parameters: { Broken: 'yes' } }",
      '',
    ].join('\n'),
    'secrets.json': JSON.stringify([{ ParameterKey: 'Pw', ParameterValue: NO_ECHO }]),
    'app.yaml': [
      'Parameters:',
      '  Pw: { Type: String, NoEcho: true }',
      'Resources:',
      '  Topic: { Type: AWS::SNS::Topic }',
      '  Child:',
      '    Type: AWS::CloudFormation::Stack',
      '    Properties:',
      '      TemplateURL: https://templates.s3.amazonaws.com/child.yaml',
      "      Parameters: { Password: '{{resolve:secretsmanager:vault/db:SecretString:password}}' }",
      'Outputs:',
      '  Plain: { Value: !Ref Pw, Export: { Name: !Sub "${AWS::StackName}-pw" } }',
      '  Encoded: { Value: !Base64 { Ref: Pw } }',
      "  EncodedLonger: { Value: !Base64 { 'Fn::Sub': 'user:${Pw}' } }",
      "  Joined: { Value: !Join ['-', [x, !Ref Pw]] }",
      "  Split: { Value: !Select [1, !Split ['|', !Sub 'a|${Pw}']] }",
      '  Echoed: { Value: !GetAtt Child.Outputs.Password }',
      '',
    ].join('\n'),
    'child.yaml': 'Parameters:\n  Password: { Type: String }\nResources:\n  Topic: { Type: AWS::SNS::Topic }\nOutputs:\n  Password: { Value: !Ref Password }\n',
    'down.yaml': [
      'Parameters:',
      '  Value: { Type: String }',
      '  AppStack: { Type: String }',
      'Resources:',
      '  Kept:',
      '    Type: AWS::SSM::Parameter',
      '    Properties: { Name: !Sub "/${AWS::StackName}/value", Type: String, Value: !Ref Value }',
      'Outputs:',
      '  Imported: { Value: !ImportValue { "Fn::Sub": "${AppStack}-pw" } }',
      '',
    ].join('\n'),
    'failing.yaml': [
      'Parameters:',
      '  Pw: { Type: String, NoEcho: true }',
      '  Failure: { Type: String }',
      '  Broken: { Type: String }',
      'Conditions:',
      "  Table: !And [!Equals [!Ref Broken, 'yes'], !Equals [!Ref Failure, table]]",
      "  Mapping: !And [!Equals [!Ref Broken, 'yes'], !Equals [!Ref Failure, mapping]]",
      "  Cidr: !And [!Equals [!Ref Broken, 'yes'], !Equals [!Ref Failure, cidr]]",
      'Mappings:',
      '  M: { a: { b: c } }',
      'Resources:',
      '  Topic: { Type: AWS::SNS::Topic }',
      '  BadTable:',
      '    Type: AWS::DynamoDB::Table',
      '    Condition: Table',
      '    Properties:',
      "      TableName: !Sub '${Pw}'",
      '      BillingMode: PAY_PER_REQUEST',
      '      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]',
      '      KeySchema: [{ AttributeName: id, KeyType: HASH }]',
      '  BadMapping: { Type: AWS::SNS::Topic, Condition: Mapping, Properties: { DisplayName: !FindInMap [M, !Ref Pw, b] } }',
      '  BadCidr: { Type: AWS::SNS::Topic, Condition: Cidr, Properties: { DisplayName: !Select [0, !Cidr [!Ref Pw, 2, 8]] } }',
      '',
    ].join('\n'),
  });
}

/** Every trace of a secret: the value, and the value found by decoding any Base64 in the text at each alignment. */
function traces(text: string): string[] {
  const found = SECRETS.filter((secret) => text.includes(secret));
  for (const token of text.match(/[A-Za-z0-9+/]{12,}={0,2}/g) ?? []) {
    for (let skip = 0; skip < 4; skip++) {
      const decoded = Buffer.from(token.slice(skip, skip + Math.floor((token.length - skip) / 4) * 4), 'base64').toString('latin1');
      found.push(...SECRETS.filter((secret) => decoded.includes(secret)).map((secret) => `${secret} in Base64 ${token}`));
    }
  }
  return found;
}

describe('secrets never leave in what stackpilot writes', () => {
  let dir: string;
  const runs: [string, CliRun][] = [];
  const run = (args: string[]) => {
    const result = runCli([...args.slice(0, 1), dir, ...args.slice(1)], { env: { CI: 'true' } });
    runs.push([args.join(' '), result]);
    return result;
  };

  before(async () => {
    dir = project();
    await withProjectState(dir, ({ secretsManager }) => secretsManager.send(new CreateSecretCommand({ Name: 'vault/db', SecretString: JSON.stringify({ password: REFERENCED }) })));
  });

  it('deploy (plain lines, --json, --log-file), outputs (table, json), status and plan show neither secret', async () => {
    const log = join(dir, 'deploy.log');
    assert.equal(run(['deploy', '--env', 'stable', '--log-file', log]).code, 0);
    const table = run(['outputs', '--env', 'stable']);
    const json = run(['outputs', '--env', 'stable', '--format', 'json']);
    assert.equal(run(['status', '--env', 'stable']).code, 0);
    assert.equal(run(['plan', '--env', 'stable']).code, 0);
    const failing = run(['deploy', '--env', 'broken', '--json', '--log-file', log]);
    assert.equal(failing.code, 1);
    const again = run(['deploy', '--env', 'broken', '--yes']);
    assert.equal(again.code, 1);
    run(['status', '--env', 'broken']);
    run(['plan', '--env', 'broken']);

    for (const [command, result] of runs) assert.deepEqual(traces(result.stdout + result.stderr), [], command);
    const written = { log: readFileSync(log, 'utf8'), 'outputs.json': readFileSync(savedOutputsPath(dir, 'stable'), 'utf8') };
    for (const [file, text] of Object.entries(written)) assert.deepEqual(traces(text), [], file);

    // What is shown instead, and where.
    const outputs = JSON.parse(written['outputs.json']);
    assert.deepEqual({ app: { ...outputs.app, EncodedLonger: undefined }, down: outputs.down }, {
      app: { Plain: '****', Encoded: '****', EncodedLonger: undefined, Joined: 'x-****', Split: '****', Echoed: '****' },
      down: { Imported: '****' },
    });
    const { writtenAt, ...described } = outputs as Record<string, unknown>;
    assert.ok(writtenAt);
    assert.deepEqual(JSON.parse(json.stdout), described, 'stackpilot outputs --format json prints what deploy wrote (but when)');
    assert.match(table.stdout, /^vault-stable-app +Joined +x-\*\*\*\*$/m);
    // The table fails as it is made; the mapping and the CIDR block cannot be evaluated, which fails the change set.
    const reasons = failing.stdout.trim().split('\n').map((line) => JSON.parse(line)).flatMap((e) => (e.code === 'stack-done' && e.outcome === 'failed' ? [`${e.stack}: ${e.firstFailure?.reason ?? e.reason}`] : []));
    assert.deepEqual(reasons.sort(), [
      'cidr: the change set failed: Fn::Cidr: **** is not a CIDR block',
      'mapping: the change set failed: Template error: Unable to get mapping for M::****::b',
      `table: Resource handler returned message: "1 validation error detected: Value '****' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"`,
    ]);
    assert.match(again.stdout, /vault-broken-mapping {2}failed in \d+s; the change set failed: Template error: Unable to get mapping for M::\*\*\*\*::b/);
    assert.match(written.log, /vault-broken-cidr {2}failed in \d+s; the change set failed: Fn::Cidr: \*\*\*\* is not a CIDR block/);
    assert.doesNotMatch(again.stdout, /REVIEW_IN_PROGRESS/, 'the failed change sets left no stack behind');
  });

  it('nor does the local state on disk, though the downstream stack stored the value in a plain parameter', () => {
    const files = readdirSync(join(dir, '.stackpilot'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    assert.ok(files.length > 20, 'the whole state folder is searched');
    for (const file of files) {
      const path = join(file.parentPath, file.name);
      assert.deepEqual(traces(readFileSync(path, 'latin1')), [], path);
    }
  });

  it('though the CloudFormation endpoint returns the outputs unmasked, as AWS does', async () => {
    // AWS masks NoEcho parameters, never outputs (recorded on AWS: localstack/localstack
    // tests/aws/services/cloudformation/api/test_stacks.snapshot.json, test_no_echo_parameter):
    // what hides the value is stackpilot's own redaction.
    const stack = await withProjectState(dir, ({ cloudformation }) => cloudformation.send(new DescribeStacksCommand({ StackName: 'vault-stable-app' })));
    const outputs = Object.fromEntries((stack.Stacks?.[0].Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    assert.equal(outputs.Plain, NO_ECHO);
    assert.equal(outputs.Joined, `x-${NO_ECHO}`);
    assert.deepEqual(stack.Stacks?.[0].Parameters, [{ ParameterKey: 'Pw', ParameterValue: '****' }]);
  });

  it('while the downstream stack got the real value', async () => {
    const stored = await withProjectState(dir, ({ ssm }) => ssm.send(new GetParameterCommand({ Name: '/vault-stable-down/value' })));
    assert.equal(stored.Parameter?.Value, NO_ECHO);
  });
});

describe('an output that repeats a NoEcho default', () => {
  it('is unmasked at the endpoint, and masked in outputs.json, the terminal and stackpilot outputs', async () => {
    const secret = 'Default-N0Echo-Value';
    const dir = writeProject({
      'stackpilot.yaml': 'project: quiet\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n',
      'app.yaml': `Parameters:\n  Token: { Type: String, NoEcho: true, Default: ${secret} }\nResources:\n  Topic: { Type: AWS::SNS::Topic }\nOutputs:\n  Token: { Value: !Ref Token }\n  Described: { Value: !Sub 'token=\${Token}' }\n`,
    });
    const deployed = runCli(['deploy', dir, '--env', 'dev'], { env: { CI: 'true' } });
    assert.equal(deployed.code, 0, deployed.stderr);
    const shown = [deployed, runCli(['outputs', dir, '--env', 'dev'], { env: { CI: 'true' } }), runCli(['outputs', dir, '--env', 'dev', '--format', 'json'], { env: { CI: 'true' } })];
    for (const run of shown) assert.equal((run.stdout + run.stderr).includes(secret), false, run.stdout);
    const { writtenAt, ...written } = savedOutputs(dir, 'dev') as Record<string, unknown>;
    assert.match(String(writtenAt), /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(written, { environment: 'dev', region: 'us-east-1', account: '123456789012', target: 'local', app: { Token: '****', Described: 'token=****' } });

    const stack = await withProjectState(dir, ({ cloudformation }) => cloudformation.send(new DescribeStacksCommand({ StackName: 'quiet-dev-app' })));
    assert.deepEqual(Object.fromEntries((stack.Stacks?.[0].Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue])), { Token: secret, Described: `token=${secret}` });
  });
});

describe('error messages', () => {
  it('mask a secret the run has learned', async () => {
    const secrets = new Redactor();
    secrets.learn([NO_ECHO]);
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = (chunk: string | Uint8Array) => written.push(String(chunk)) > 0;
    let code: number;
    try {
      // A log file that cannot be opened stops the deploy before anything is shown on standard output.
      code = await main(['deploy', project(), '--env', 'stable', '--log-file', join('/nonexistent', NO_ECHO, 'deploy.log')], secrets);
    } finally {
      process.stderr.write = write;
    }
    assert.equal(code, 3);
    assert.match(written.join(''), /^error: cannot write the log file \/nonexistent\/\*\*\*\*\/deploy\.log/);
    assert.deepEqual(traces(written.join('')), []);
  });
});
