import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateDocs } from '../../src/docs/generate.ts';
import { GENERATED_MARKER } from '../../src/docs/stack-page.ts';
import { compareDocs } from '../../src/docs/sync.ts';
import { copyExample, REPO, runCli, writeProject } from '../helpers.ts';

const EXAMPLES = ['plot-palette', 'concert-platform', 'collab-platform'];

/** The 1-based line of a file that holds `text` first (a text the file lacks fails, rather than giving line 0). */
function lineOf(file: string, text: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.notEqual(index, -1, `${file} holds ${text}`);
  return index + 1;
}

describe('stackpilot docs on the reference projects', () => {
  for (const example of EXAMPLES) {
    it(`${example}: the committed docs are current (run \`stackpilot docs examples/${example}\` when this fails)`, async () => {
      const docs = await generateDocs(join(REPO, 'examples', example));
      assert.deepEqual(compareDocs(docs.outDir, docs.files), { stale: [], missing: [], extra: [] });
    });

    it(`${example}: the same project gives the same bytes wherever it is, with LF endings and no absolute paths`, async () => {
      const copy = copyExample(example);
      const here = await generateDocs(join(REPO, 'examples', example));
      const there = await generateDocs(copy);
      assert.deepEqual([...there.files], [...here.files]);
      assert.ok(there.files.size > 0, 'docs were generated');
      for (const [file, content] of there.files) {
        assert.ok(!content.includes('\r'), `${file} has a CR`);
        assert.ok(!content.includes(copy) && !content.includes(REPO), `${file} holds an absolute path`);
      }
    });
  }

  it('shows the value a parameter resolves to per environment and region, with its file:line', async () => {
    const root = join(REPO, 'examples', 'plot-palette');
    const master = (await generateDocs(root)).files.get('stacks/master.md')!;
    const development = 'infrastructure/parameters/development.json';
    const developmentLine = lineOf(join(root, development), '"AdminEmail"');
    assert.ok(master.includes(`| \`AdminEmail\` | development (us-east-1) | \`dev@plotpalette.com\` | [${development}:${developmentLine}](../../../${development}#L${developmentLine}) |`), master);
    // A region's override: production's second region gets its own CIDR, from regions.json.
    const regions = 'infrastructure/parameters/regions.json';
    const westLine = lineOf(join(root, regions), '10.1.0.0/16');
    assert.ok(master.includes(`| \`VPCCidr\` | production (us-west-2) | \`10.1.0.0/16\` | [${regions}:${westLine}](../../../${regions}#L${westLine}), region us-west-2 |`), master);
  });

  it('lists, beside an export, the stacks that import it and the resources that do', async () => {
    const networking = (await generateDocs(join(REPO, 'examples', 'concert-platform'))).files.get('stacks/networking.md')!;
    const row = networking.split('\n').find((l) => l.startsWith('| `RedshiftSecurityGroupId` |'));
    assert.ok(row?.endsWith('| [storage](storage.md) (RedshiftWorkgroup) |'), row);
  });

  it("lists, beside a nested stack's output, the siblings and parent outputs that read it", async () => {
    const database = (await generateDocs(join(REPO, 'examples', 'plot-palette'))).files.get('stacks/master/DatabaseStack.md')!;
    const row = database.split('\n').find((l) => l.startsWith('| `JobsTableName` |'));
    assert.ok(row?.endsWith('| [master/ComputeStack](ComputeStack.md)<br>[master/APIStack](APIStack.md)<br>[master](../master.md) (output JobsTableName) |'), row);
  });
});

const secretTemplate = `AWSTemplateFormatVersion: '2010-09-09'
Description: Orders service
Parameters:
  DbPassword:
    Type: String
    NoEcho: true
    Default: default-Pa55word
  Env:
    Type: String
    AllowedValues: [dev, prod]
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Snapshot
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
  Uploads:
    Type: AWS::S3::Bucket
  Worker:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./worker.yaml
      Parameters:
        Password: !Ref DbPassword
        Env: !Ref Env
Outputs:
  TableName:
    Value: !Ref Orders
`;

const workerTemplate = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Password: { Type: String }
  Env: { Type: String }
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Sub 'worker-\${Env}-\${Password}'
`;

const manifest = `project: shop
region: eu-west-1
stacks:
  orders:
    template: orders.yaml
    parameterFiles:
      - params/\${env}.json
environments:
  dev: {}
  prod: {}
`;

function secretProject(): string {
  return writeProject({
    'stackpilot.yaml': manifest,
    'orders.yaml': secretTemplate,
    'worker.yaml': workerTemplate,
    'params/dev.json': JSON.stringify([{ ParameterKey: 'Env', ParameterValue: 'dev' }], null, 2),
    'params/prod.json': JSON.stringify(
      [
        { ParameterKey: 'Env', ParameterValue: 'prod' },
        { ParameterKey: 'DbPassword', ParameterValue: 'prod-S3cret-value' },
      ],
      null,
      2,
    ),
  });
}

describe('stackpilot docs on a project of its own', () => {
  it('masks NoEcho defaults and values, and what a parent passes a secret to', async () => {
    const root = secretProject();
    const docs = await generateDocs(root);
    for (const [file, content] of docs.files) {
      for (const secret of ['default-Pa55word', 'prod-S3cret-value']) assert.ok(!content.includes(secret), `${file} shows ${secret}`);
    }
    const orders = docs.files.get('stacks/orders.md')!;
    assert.match(orders, /\| `DbPassword` \(secret\) \| `String` \| `\*\*\*\*` \|/);
    assert.ok(orders.includes(`| \`DbPassword\` | prod (eu-west-1) | \`****\` | [params/prod.json:${lineOf(join(root, 'params/prod.json'), '"DbPassword"')}]`), orders);
    const worker = docs.files.get('stacks/orders/Worker.md')!;
    assert.ok(worker.includes(`| \`Password\` | all | \`****\` | [orders.yaml:${lineOf(join(root, 'orders.yaml'), 'Password: !Ref DbPassword')}]`), worker);
    assert.ok(worker.includes(`| \`Env\` | dev (eu-west-1) | \`dev\` | [orders.yaml:${lineOf(join(root, 'orders.yaml'), 'Env: !Ref Env')}]`), worker);
  });

  it('lists stateful resources with their retention policies', async () => {
    const orders = (await generateDocs(secretProject())).files.get('stacks/orders.md')!;
    assert.ok(orders.includes('| `Orders` | `AWS::DynamoDB::Table` | `Retain` | `Snapshot` | `stackpilot backup` |'), orders);
    assert.ok(orders.includes('| `Uploads` | `AWS::S3::Bucket` | not set | not set | `stackpilot backup` |'), orders);
  });

  it('adds the cost summary of each environment and region, the one given or the estimate, and none when told not to', async () => {
    const root = secretProject();
    const costSummary = ({ env, region }: { env: string; region?: string }) => Promise.resolve(`Monthly total for ${env} in ${region}: 12.34 USD`);
    const index = (await generateDocs(root, { costSummary })).files.get('index.md')!;
    assert.ok(index.includes('## Cost summary\n\n### dev (eu-west-1)\n\nMonthly total for dev in eu-west-1: 12.34 USD\n\n### prod (eu-west-1)\n\nMonthly total for prod in eu-west-1: 12.34 USD\n'), index);
    assert.doesNotMatch((await generateDocs(root, { costSummary: false })).files.get('index.md')!, /Cost summary/);
    // By default, the estimate of stackpilot cost from the bundled prices, per environment and region.
    const estimated = (await generateDocs(join(REPO, 'examples', 'plot-palette'))).files.get('index.md')!;
    for (const deployment of ['development (us-east-1)', 'production (us-east-1)', 'production (us-west-2)']) {
      const section = estimated.slice(estimated.indexOf(`### ${deployment}\n`));
      assert.match(section, /^### [^\n]+\n\n\*\*\$[\d,]+\.\d\d a month\*\*/, deployment);
    }
    assert.match(estimated, /\| us-west-2 \| master\/ComputeStack \| AWS Fargate \| \$[\d,]+\.\d\d \|/);
  });

  it('--check fails after a parameter file changes, and passes once the docs are generated again', () => {
    const root = secretProject();
    assert.equal(runCli(['docs', root]).code, 0);
    const current = runCli(['docs', root, '--check']);
    assert.equal(current.code, 0, current.stderr);

    writeFileSync(join(root, 'params/dev.json'), JSON.stringify([{ ParameterKey: 'Env', ParameterValue: 'prod' }], null, 2));
    const stale = runCli(['docs', root, '--check']);
    assert.equal(stale.code, 1);
    assert.match(stale.stderr, /stacks\/orders\.md: stale/);
    assert.match(stale.stderr, /run `stackpilot docs .*` and commit the result/);

    assert.equal(runCli(['docs', root]).code, 0);
    assert.equal(runCli(['docs', root, '--check']).code, 0);
  });

  it('--check names an extra page; docs removes it and what a killed run left, and leaves a file it did not write', () => {
    const root = secretProject();
    assert.equal(runCli(['docs', root]).code, 0);
    const reference = join(root, 'docs/reference');
    writeFileSync(join(reference, 'stacks/payments.md'), `${GENERATED_MARKER}\n\n# Stack \`payments\`\n`);
    writeFileSync(join(reference, 'notes.txt'), 'mine\n');
    writeFileSync(join(reference, 'stacks/orders.md.4242.1.tmp'), 'half a page, left by a killed run');

    const check = runCli(['docs', root, '--check']);
    assert.equal(check.code, 1);
    assert.match(check.stderr, /stacks\/payments\.md: extra/);
    assert.match(check.stderr, /notes\.txt: extra/);

    const write = runCli(['docs', root]);
    assert.equal(write.code, 0, write.stderr);
    assert.ok(!existsSync(join(reference, 'stacks/payments.md')));
    assert.ok(!existsSync(join(reference, 'stacks/orders.md.4242.1.tmp')));
    assert.equal(runCli(['docs', root, '--check']).code, 1, 'the file docs did not write is still extra');
    assert.equal(readFileSync(join(reference, 'notes.txt'), 'utf8'), 'mine\n');
  });

  it('documents a folder of templates without a manifest: template defaults, and imports matched by name', async () => {
    const root = writeProject({
      'network.yaml': "Parameters:\n  Cidr: { Type: String, Default: 10.9.0.0/16 }\nResources:\n  Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: !Ref Cidr } }\nOutputs:\n  VpcId: { Value: !Ref Vpc, Export: { Name: shared-vpc-id } }\n",
      'app/api.yaml': 'Resources:\n  Group:\n    Type: AWS::EC2::SecurityGroup\n    Properties: { GroupDescription: api, VpcId: !ImportValue shared-vpc-id }\n',
    });
    const docs = await generateDocs(root);
    assert.deepEqual([...docs.files.keys()], ['index.md', 'stacks/app/api.md', 'stacks/network.md']);
    const network = docs.files.get('stacks/network.md')!;
    assert.ok(network.includes('| `Cidr` | default | `10.9.0.0/16` | template default |'), network);
    assert.ok(network.includes('| `VpcId` |  | `!Ref Vpc` | `shared-vpc-id` | [app/api](app/api.md) (Group) |'), network);
  });

  it('writes nothing for a project with errors, and says what to do (exit 3)', () => {
    const root = writeProject({ 'stackpilot.yaml': manifest, 'orders.yaml': secretTemplate, 'worker.yaml': workerTemplate });
    const r = runCli(['docs', root]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /Parameter file params\/dev\.json does not exist[\s\S]*stackpilot validate/);
    assert.ok(!existsSync(join(root, 'docs')));
  });
});
