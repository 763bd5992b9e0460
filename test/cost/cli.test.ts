import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, writeProject } from '../helpers.ts';

/** A NAT gateway ($32.85 a month in us-east-1 plus 100 GB at $0.045) under a budget of `amount` alerting at 80, 100 and 120 %. */
function budgetProject(amount: number): string {
  const notification = (threshold: number) => `        - Notification: { NotificationType: ACTUAL, ComparisonOperator: GREATER_THAN, Threshold: ${threshold}, ThresholdType: PERCENTAGE }
          Subscribers: [{ SubscriptionType: EMAIL, Address: ops@example.com }]`;
  return writeProject({
    'stackpilot.yaml': `project: edge\nregion: us-east-1\nstacks:\n  net: { template: net.yaml }\nenvironments:\n  prod:\n    parameters: { Limit: ${amount} }\n`,
    'net.yaml': `Parameters:
  Limit: { Type: Number }
Resources:
  Nat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: subnet-1, AllocationId: eipalloc-1 }
  Budget:
    Type: AWS::Budgets::Budget
    Properties:
      Budget: { BudgetType: COST, TimeUnit: MONTHLY, BudgetLimit: { Amount: !Ref Limit, Unit: USD } }
      NotificationsWithSubscribers:
${[80, 100, 120].map(notification).join('\n')}
`,
  });
}

describe('stackpilot cost', () => {
  it('warns at each alert threshold a budget below the estimate is above, and exits 1 past 100 %', () => {
    const run = runCli(['cost', budgetProject(30), '--env', 'prod']);
    assert.equal(run.code, 1, run.stderr);
    // $32.85 + $4.50 = $37.35, 124.5 % of $30
    assert.match(run.stdout, /✖ net Budget: the estimate \$37\.35 is 124\.5% of its \$30\.00 a month: above its alerts at 80, 100, 120%/);
    assert.match(run.stdout, /^Total: \$37\.35 a month$/m);
  });

  it('warns at 80 % without failing when the estimate stays under the amount', () => {
    const run = runCli(['cost', budgetProject(45), '--env', 'prod', '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const estimate = JSON.parse(run.stdout) as { budgets: { resource: string; crossed: number[]; exceeded: boolean; monthlyAmount: number }[]; monthly: number };
    assert.deepEqual(estimate.budgets.map((b) => [b.resource, b.monthlyAmount, b.crossed, b.exceeded]), [['Budget', 45, [80], false]]);
    assert.equal(Math.round(estimate.monthly * 100), 3735);
  });

  it('prices a line from a --prices file over the bundled price', () => {
    const dir = budgetProject(1000);
    const prices = join(dir, 'prices.yaml');
    writeFileSync(prices, 'asOf: 2026-11-01\nservices:\n  nat-gateway:\n    prices:\n      hour:\n        regions: { us-east-1: 0.1 }\n');
    const run = runCli(['cost', dir, '--env', 'prod', '--prices', prices, '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const estimate = JSON.parse(run.stdout) as { prices: { overrides: string[] }; regions: { lines: { resource: string; description: string; unitPrice: number; monthly: number }[] }[] };
    const hours = estimate.regions[0].lines.find((l) => l.description === 'NAT gateway hours')!;
    assert.equal(hours.unitPrice, 0.1);
    assert.equal(Math.round(hours.monthly * 100), 7300);
    // The data processed keeps its bundled price.
    assert.equal(estimate.regions[0].lines.find((l) => l.description === 'data processed')!.unitPrice, 0.045);
    assert.deepEqual(estimate.prices.overrides, [prices]);
  });

  it('names the file, line and column of a malformed --prices file, with exit code 3', () => {
    const dir = budgetProject(1000);
    const wrongType = join(dir, 'wrong.json');
    writeFileSync(wrongType, '{\n  "services": {\n    "nat-gateway": { "prices": { "hour": { "regions": { "us-east-1": "cheap" } } } }\n  }\n}\n');
    const typed = runCli(['cost', dir, '--env', 'prod', '--prices', wrongType]);
    assert.equal(typed.code, 3);
    assert.match(typed.stderr, new RegExp(`error: ${wrongType.replaceAll('\\', '\\\\')}:3:70: services\\.nat-gateway\\.prices\\.hour\\.regions\\.us-east-1: `));
    assert.equal(typed.stdout, '');

    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{\n  "services": {\n    "nat-gateway": ,\n  }\n}\n');
    const syntax = runCli(['cost', dir, '--env', 'prod', '--prices', broken]);
    assert.equal(syntax.code, 3);
    assert.match(syntax.stderr, new RegExp(`error: ${broken.replaceAll('\\', '\\\\')}:3:20: `));
  });

  it('puts another environment beside the first with --compare, line by line', () => {
    const dir = writeProject({
      'stackpilot.yaml': 'project: shop\nregion: us-east-1\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  staging: { parameters: { Nodes: 1 } }\n  prod: { parameters: { Nodes: 3 } }\n',
      'app.yaml': 'Parameters:\n  Nodes: { Type: Number }\nResources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties: { CacheNodeType: cache.t3.small, NumCacheNodes: !Ref Nodes, Engine: redis }\n',
    });
    const run = runCli(['cost', dir, '--env', 'prod', '--compare', 'staging']);
    assert.equal(run.code, 0, run.stderr);
    // 3 and 1 × cache.t3.small at $0.034 × 730 h
    assert.match(run.stdout, /^app\s+Cache\s+node hours\s+\$74\.46\s+\$24\.82\s+-\$49\.64$/m);
    assert.match(run.stdout, /^Total\s+\$74\.46\s+\$24\.82\s+-\$49\.64$/m);
  });

  it('is a usage error (exit 3) for an environment the manifest does not declare', () => {
    const run = runCli(['cost', budgetProject(10), '--env', 'qa']);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /no environment "qa"/);
  });
});

describe('stackpilot cost on a project with errors', () => {
  it('stops with exit code 2 and the place of the problem rather than pricing an unreadable template as empty', () => {
    const dir = writeProject({
      'stackpilot.yaml': 'project: shop\nregion: us-east-1\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n',
      'app.yaml': 'Resources:\n  Nat:\n    Type: AWS::EC2::NatGateway\n    Properties: { SubnetId: [\n',
    });
    const run = runCli(['cost', dir, '--env', 'dev']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^error: .*app\.yaml:\d+:\d+: /m);
    assert.equal(run.stdout, '');
  });
});
