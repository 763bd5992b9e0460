import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { estimateProjectCost, type CostEstimate } from '../../src/cost/estimate.ts';
import type { CostLine } from '../../src/cost/lines.ts';
import { renderCostMarkdown } from '../../src/cost/markdown.ts';
import { REPO, writeProject } from '../helpers.ts';

const PLOT_PALETTE = join(REPO, 'examples', 'plot-palette');

const lines = (estimate: CostEstimate): CostLine[] => estimate.regions.flatMap((r) => r.lines);
const key = (line: CostLine) => `${line.stack} ${line.resource}: ${line.description}`;
const cents = (amount: number) => Math.round(amount * 100) / 100;
/** Each line's monthly figure in cents, by stack, resource and description. */
const byKey = (estimate: CostEstimate) => new Map(lines(estimate).map((line) => [key(line), cents(line.monthly)]));
const lineOf = (estimate: CostEstimate, wanted: string) => {
  const found = lines(estimate).find((line) => key(line) === wanted);
  assert.ok(found, `no line ${wanted} in:\n${lines(estimate).map(key).join('\n')}`);
  return found;
};

describe('cost estimate: Plot Palette production against development', () => {
  const production = estimateProjectCost(PLOT_PALETTE, { env: 'production', region: 'us-east-1' });
  const development = estimateProjectCost(PLOT_PALETTE, { env: 'development', region: 'us-east-1' });

  it('has the lines only production creates: Container Insights (its IsProduction condition) and the Llama tokens of its usage', () => {
    const onlyProduction = [...byKey(production).keys()].filter((k) => !byKey(development).has(k));
    const onlyDevelopment = [...byKey(development).keys()].filter((k) => !byKey(production).has(k));
    assert.deepEqual(onlyProduction.sort(), [
      '(usage) meta.llama3-1-70b: input tokens',
      '(usage) meta.llama3-1-70b: output tokens',
      'master/ComputeStack Cluster: Container Insights metrics',
    ]);
    assert.deepEqual(onlyDevelopment, []);
    // 30 metrics × $0.30 (cloudwatch metric, us-east-1)
    assert.equal(cents(lineOf(production, 'master/ComputeStack Cluster: Container Insights metrics').monthly), 9.0);
    // 5M input tokens and 1M output tokens at $0.99 a million
    assert.equal(cents(lineOf(production, '(usage) meta.llama3-1-70b: input tokens').monthly), 4.95);
    assert.equal(cents(lineOf(production, '(usage) meta.llama3-1-70b: output tokens').monthly), 0.99);
  });

  it('prices the lines both have from each environment\'s values, checked against hand-computed figures', () => {
    const expected: [string, number, number][] = [
      // [line, production, development]
      // Worker tasks on the cluster's FARGATE_SPOT strategy, 1 vCPU and 2 GB: 300 h (production usage) vs 20 h (development usage).
      ['master/ComputeStack WorkerTaskDefinition: Fargate Spot vCPU', 300 * 0.01246, 20 * 0.01246],
      ['master/ComputeStack WorkerTaskDefinition: Fargate Spot memory', 600 * 0.00127, 40 * 0.00127],
      // LogRetentionDays 30 (production.json) vs 1 (development.json): 1 GB a month kept that long, $0.03 a GB-month.
      ['master/ComputeStack WorkerLogGroup: log storage', 1 * 0.03, (1 / 30) * 0.03],
      ['master/APIStack JobsLogGroup: log storage', 1 * 0.03, (1 / 30) * 0.03],
      // Claude 3.5 Sonnet: 10M/2M tokens vs 2M/0.5M at $3 and $15 a million.
      ['(usage) anthropic.claude-3-5-sonnet: input tokens', 10 * 3, 2 * 3],
      ['(usage) anthropic.claude-3-5-sonnet: output tokens', 2 * 15, 0.5 * 15],
      // The same in both: 4 on-demand tables, 1M writes at $0.625 a million, PITR on 1 GB at $0.20; S3 at 50 GB (top-level usage) × $0.023.
      ['master/DatabaseStack JobsTable: on-demand writes', 0.625, 0.625],
      ['master/DatabaseStack CostTrackingTable: point-in-time recovery', 0.2, 0.2],
      ['master/StorageStack DataBucket: Standard storage', 50 * 0.023, 50 * 0.023],
      // Lambda on arm64, 256 MB: 1M invocations × 0.2 s × 0.25 GB = 50,000 GB-s × $0.0000133334.
      ['master/APIStack JobsFunction: compute', 50_000 * 0.0000133334, 50_000 * 0.0000133334],
      ['master/APIStack HttpApi: HTTP API requests', 1.0, 1.0],
    ];
    const [prod, dev] = [byKey(production), byKey(development)];
    for (const [line, inProduction, inDevelopment] of expected) {
      if (!Number.isNaN(inProduction)) assert.equal(prod.get(line), cents(inProduction), `production ${line}`);
      else assert.ok(!prod.has(line), `production has no ${line}`);
      if (!Number.isNaN(inDevelopment)) assert.equal(dev.get(line), cents(inDevelopment), `development ${line}`);
      else assert.ok(!dev.has(line), `development has no ${line}`);
    }
  });

  it('walks every nested stack of the master stack and lists the types it has no price for', () => {
    const stacks = new Set(lines(production).map((line) => line.stack));
    for (const nested of ['StorageStack', 'DatabaseStack', 'AuthStack', 'ComputeStack', 'APIStack', 'FrontendStack']) assert.ok(stacks.has(`master/${nested}`), nested);
    const region = production.regions[0];
    assert.deepEqual(region.notEstimated.map((n) => `${n.stack} ${n.resource} ${n.type}: ${n.reason}`), ['master/BudgetStack BudgetAlertsTopic AWS::SNS::Topic: no price for this resource type']);
    assert.equal(cents(production.monthly), cents(lines(production).reduce((total, line) => total + line.monthly, 0)));
  });

  it('estimates each region production deploys to when no region is chosen, with that region\'s prices', () => {
    const both = estimateProjectCost(PLOT_PALETTE, { env: 'production' });
    assert.deepEqual(both.regions.map((r) => r.region), ['us-east-1', 'us-west-2']);
    assert.equal(cents(both.monthly), cents(both.regions[0].monthly + both.regions[1].monthly));
  });

  it('compares the budget stack\'s amount per environment (500 in production.json, 50 in development.json)', () => {
    assert.deepEqual(production.budgets.map((b) => [b.resource, b.monthlyAmount, b.thresholds]), [['MonthlyBudget', 500, [80, 100, 120]]]);
    assert.deepEqual(development.budgets.map((b) => [b.resource, b.monthlyAmount]), [['MonthlyBudget', 50]]);
  });

  it('renders Markdown for the docs: a table per region, the total and the assumptions', () => {
    const markdown = renderCostMarkdown(development);
    assert.match(markdown, /^## Monthly cost estimate: plot-palette development \(us-east-1\)$/m);
    assert.match(markdown, /^\| master\/ComputeStack \| AWS Fargate \| WorkerTaskDefinition \| Fargate Spot vCPU \(1 vCPU × 20 task-hours\) \| 20 vCPU-hour \| \$0\.01246 \| \$0\.25 \| \[\d+\]( \[\d+\])* \|$/m);
    assert.match(markdown, /taskHoursPerMonth = 20: .*\(examples\/plot-palette\/stackpilot\.yaml environments\.development\.usage\)|taskHoursPerMonth = 20: .*environments\.development\.usage\)/);
    assert.match(markdown, new RegExp(`\\*\\*Total: \\$${development.monthly.toFixed(2).replace('.', '\\.')} a month\\.\\*\\*`));
  });
});

const CACHE_AND_TASKS = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  NodeType: { Type: String, Default: cache.t3.micro }
  TaskCount: { Type: Number, Default: 2 }
Resources:
  Cache:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      ReplicationGroupDescription: sessions
      CacheNodeType: !Ref NodeType
      NumCacheClusters: 2
      Engine: redis
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      Cpu: '512'
      Memory: '1024'
      NetworkMode: awsvpc
      ContainerDefinitions: [{ Name: app, Image: nginx }]
  Service:
    Type: AWS::ECS::Service
    Properties:
      LaunchType: FARGATE
      DesiredCount: !Ref TaskCount
      TaskDefinition: !Ref TaskDefinition
  Logs:
    Type: AWS::Logs::LogGroup
    Properties: { RetentionInDays: 14 }
  Uploads:
    Type: AWS::S3::Bucket
  Queue:
    Type: AWS::SQS::Queue
`;

describe('cost estimate: parameters, usage and unpriced types', () => {
  const project = writeProject({
    'stackpilot.yaml': 'project: shop\nregion: eu-west-1\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n  prod:\n    parameters: { NodeType: cache.r6g.large, TaskCount: 4 }\n',
    'app.yaml': CACHE_AND_TASKS,
  });

  it('moves the lines of the parameters that change (node type, task count) and no other', () => {
    const dev = byKey(estimateProjectCost(project, { env: 'dev' }));
    const prod = byKey(estimateProjectCost(project, { env: 'prod' }));
    // eu-west-1: cache.t3.micro $0.0184, cache.r6g.large $0.2229 a node-hour; 2 nodes × 730 h.
    assert.equal(dev.get('app Cache: node hours'), cents(2 * 730 * 0.0184));
    assert.equal(prod.get('app Cache: node hours'), cents(2 * 730 * 0.2229));
    // Fargate in eu-west-1: 0.5 vCPU × $0.04048 and 1 GB × $0.004445 a task-hour, 730 h per task.
    assert.equal(dev.get('app Service: Fargate vCPU'), cents(1460 * 0.5 * 0.04048));
    assert.equal(prod.get('app Service: Fargate vCPU'), cents(2920 * 0.5 * 0.04048));
    assert.equal(prod.get('app Service: Fargate memory'), cents(2920 * 1 * 0.004445));
    const moved = [...dev.keys()].filter((k) => dev.get(k) !== prod.get(k));
    assert.deepEqual(moved, ['app Cache: node hours', 'app Service: Fargate vCPU', 'app Service: Fargate memory']);
    assert.equal(dev.size, prod.size);
  });

  it('prices a --parameter value above the project\'s, for that line only', () => {
    const given = estimateProjectCost(project, { env: 'dev', parameters: [{ key: 'NodeType', value: 'cache.m7g.large' }] });
    assert.equal(byKey(given).get('app Cache: node hours'), cents(2 * 730 * 0.171));
    assert.equal(byKey(given).get('app Service: Fargate vCPU'), cents(1460 * 0.5 * 0.04048));
  });

  it('lists a type without a price as not estimated, outside the total', () => {
    const estimate = estimateProjectCost(project, { env: 'dev' });
    assert.deepEqual(estimate.regions[0].notEstimated, [{ region: 'eu-west-1', stack: 'app', resource: 'Queue', type: 'AWS::SQS::Queue', reason: 'no price for this resource type' }]);
    assert.equal(cents(estimate.monthly), cents(lines(estimate).reduce((total, line) => total + line.monthly, 0)));
  });

  it('takes a usage figure from the environment in the manifest: its lines move and name it, the others do not', () => {
    const withRepository = writeProject({
      'stackpilot.yaml': 'project: shop\nregion: us-east-1\nusage: { s3StorageGb: 40 }\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n  prod:\n    usage: { s3StorageGb: 400 }\n',
      'app.yaml': "Resources:\n  Assets: { Type: AWS::S3::Bucket }\n",
    });
    const dev = estimateProjectCost(withRepository, { env: 'dev' });
    const prod = estimateProjectCost(withRepository, { env: 'prod' });
    const storage = (e: CostEstimate) => lineOf(e, 'app Assets: Standard storage');
    assert.equal(cents(storage(dev).monthly), cents(40 * 0.023));
    assert.equal(cents(storage(prod).monthly), cents(400 * 0.023));
    assert.ok(storage(prod).assumptions.some((a) => a.startsWith('s3StorageGb = 400: ') && a.endsWith('environments.prod.usage)')), storage(prod).assumptions.join('\n'));
    assert.ok(storage(dev).assumptions.some((a) => a.startsWith('s3StorageGb = 40: ') && a.endsWith('stackpilot.yaml usage)')), storage(dev).assumptions.join('\n'));
    assert.equal(lineOf(prod, 'app Assets: GET requests').monthly, lineOf(dev, 'app Assets: GET requests').monthly);
    assert.ok(lineOf(prod, 'app Assets: GET requests').assumptions.some((a) => a.startsWith('s3GetRequestsPerMonth = 1,000,000: ') && a.endsWith('(default)')));
  });
});

describe('cost estimate: values known only after deploy', () => {
  it('falls back to a stated assumption on the line, for a parameter that is another stack\'s output', () => {
    const project = writeProject({
      'stackpilot.yaml': 'project: shop\nregion: us-east-1\nstacks:\n  sizing: { template: sizing.yaml }\n  app: { template: app.yaml, parameters: { TaskCount: "${stacks.sizing.outputs.Count}" } }\nenvironments:\n  dev: {}\n',
      'sizing.yaml': "Resources:\n  Marker: { Type: AWS::SSM::Parameter, Properties: { Type: String, Value: '3' } }\nOutputs:\n  Count: { Value: !GetAtt Marker.Value }\n",
      'app.yaml': CACHE_AND_TASKS,
    });
    const estimate = estimateProjectCost(project, { env: 'dev' });
    const vcpu = lineOf(estimate, 'app Service: Fargate vCPU');
    assert.ok(vcpu.assumptions.includes('DesiredCount known only after deploy: 1 assumed'), vcpu.assumptions.join('\n'));
    // 1 task × 730 h × 0.5 vCPU × $0.04048
    assert.equal(cents(vcpu.monthly), cents(730 * 0.5 * 0.04048));
    assert.deepEqual(estimate.regions[0].notEstimated.map((n) => n.resource), ['Queue']);
  });
});

describe('cost estimate: conditions on values known only after deploy', () => {
  it('lists a resource whose Condition fails on such a value as not estimated, and notes one it takes as created', () => {
    const project = writeProject({
      'stackpilot.yaml': 'project: shop\nregion: us-east-1\nstacks:\n  mode: { template: mode.yaml }\n  net: { template: net.yaml, parameters: { Mode: "${stacks.mode.outputs.Mode}" } }\nenvironments:\n  dev: {}\n',
      'mode.yaml': "Resources:\n  Topic: { Type: AWS::SNS::Topic }\nOutputs:\n  Mode: { Value: !GetAtt Topic.TopicName }\n",
      'net.yaml': `Parameters:
  Mode: { Type: String }
Conditions:
  WithNat: !Equals [!Ref Mode, nat]
  WithoutNat: !Not [{ Condition: WithNat }]
Resources:
  Nat:
    Type: AWS::EC2::NatGateway
    Condition: WithNat
    Properties: { SubnetId: subnet-1 }
  Address:
    Type: AWS::EC2::EIP
    Condition: WithoutNat
`,
    });
    const estimate = estimateProjectCost(project, { env: 'dev' });
    const nat = estimate.regions[0].notEstimated.find((n) => n.resource === 'Nat');
    assert.equal(nat?.reason, 'its Condition WithNat depends on Mode, known only after deploy');
    const address = lineOf(estimate, 'net Address: public IPv4 address hours');
    assert.ok(address.assumptions.includes('Condition WithoutNat depends on Mode, known only after deploy: taken as true'), address.assumptions.join('\n'));
  });
});
