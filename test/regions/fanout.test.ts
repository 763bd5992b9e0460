import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deployProject, type DeployOptions } from '../../src/deploy/deploy.ts';
import type { DeployEvent } from '../../src/deploy/events.ts';
import { planProject } from '../../src/deploy/plan.ts';
import { openTarget } from '../../src/deploy/target.ts';
import { backUpProject, listProjectBackups } from '../../src/backup/project-backups.ts';
import { parseManifest } from '../../src/project/manifest.ts';
import { chooseRegions } from '../../src/regions/fanout.ts';
import { copyExample, savedOutputs, savedOutputsPath, writeProject } from '../helpers.ts';

async function deploy(path: string, options: Partial<DeployOptions> = {}) {
  const events: DeployEvent[] = [];
  const report = await deployProject(path, { target: 'local', env: 'production', concurrency: 4, yes: true, ...options }, (e) => events.push(e));
  return { report, events };
}

/** A parameter of the master stack as deployed in a region. */
async function masterParameter(dir: string, region: string, key: string): Promise<string | undefined> {
  const target = await openTarget({ target: 'local', region, projectRoot: dir });
  try {
    const stack = (await target.cloudformation.send(new DescribeStacksCommand({ StackName: 'plot-palette-production' }))).Stacks![0];
    return stack.Parameters?.find((p) => p.ParameterKey === key)?.ParameterValue;
  } finally {
    await target.close();
  }
}

const outcomes = (events: DeployEvent[]) => events.flatMap((e) => (e.code === 'stack-done' ? [`${e.region} ${e.stack} ${e.outcome}`] : []));

describe('regions: one deploy covers every region of the environment', () => {
  it('deploys plot-palette production to both regions with their own parameters; outputs of both; a re-run changes nothing', async () => {
    const dir = copyExample('plot-palette');
    const { report, events } = await deploy(dir);
    assert.equal(report.ok, true);
    assert.deepEqual(outcomes(events).sort(), ['us-east-1 master succeeded', 'us-west-2 master succeeded']);
    assert.ok(events.every((e) => e.region === 'us-east-1' || e.region === 'us-west-2' || (e.code === 'phase' && e.phase === 'validate')), 'every event after validation names its region');
    // Each region has its own artifacts bucket.
    const buckets = events.flatMap((e) => (e.code === 'package' ? [e.bucket] : []));
    assert.equal(new Set(buckets).size, 2);
    assert.equal(await masterParameter(dir, 'us-east-1', 'VPCCidr'), '10.0.0.0/16');
    assert.equal(await masterParameter(dir, 'us-west-2', 'VPCCidr'), '10.1.0.0/16');
    assert.equal(await masterParameter(dir, 'us-west-2', 'BedrockModels'), 'anthropic.claude-3-5-sonnet');
    // Each region's outputs in a file of its own, saying what it describes.
    for (const region of ['us-east-1', 'us-west-2']) {
      const outputs = savedOutputs(dir, 'production', region) as Record<string, unknown> & { master: Record<string, string> };
      assert.equal(outputs.environment, 'production');
      assert.equal(outputs.region, region);
      assert.ok(outputs.master.ApiEndpoint, region);
    }
    const health = events.flatMap((e) => (e.code === 'health' && e.check === 'output master.ApiEndpoint' ? [`${e.region} ${e.ok}`] : []));
    assert.deepEqual(health.sort(), ['us-east-1 true', 'us-west-2 true'], 'health checks run per region');

    const again = await deploy(dir);
    assert.equal(again.report.ok, true);
    assert.deepEqual(outcomes(again.events).sort(), ['us-east-1 master no-changes', 'us-west-2 master no-changes']);
  });

  it('a failure in us-west-2 only: us-east-1 completes with --keep-going, the report is per region, a re-run repairs us-west-2 alone', async () => {
    const dir = copyExample('plot-palette');
    const faults = [{ region: 'us-west-2', type: 'AWS::DynamoDB::Table' }];
    const { report, events } = await deploy(dir, { keepGoing: true, engine: { faults } });
    assert.equal(report.ok, false);
    assert.equal(report.regions.get('us-east-1')?.ok, true);
    assert.equal(report.regions.get('us-west-2')?.ok, false);
    assert.deepEqual(outcomes(events).sort(), ['us-east-1 master succeeded', 'us-west-2 master failed']);
    assert.ok(savedOutputs(dir, 'production', 'us-east-1').master.ApiEndpoint, 'the region that deployed has its outputs written');
    assert.equal(existsSync(savedOutputsPath(dir, 'production', 'us-west-2')), false, 'the region that failed has none');

    const again = await deploy(dir);
    assert.equal(again.report.ok, true);
    assert.deepEqual(outcomes(again.events).sort(), ['us-east-1 master no-changes', 'us-west-2 master succeeded']);
  });

  it('--regions narrows to the regions asked for, and refuses one the environment does not cover', async () => {
    const dir = copyExample('plot-palette');
    const { report, events } = await deploy(dir, { regions: ['us-west-2'] });
    assert.equal(report.ok, true);
    assert.deepEqual(outcomes(events), ['undefined master succeeded'], 'one region: no labels');
    const outputs = savedOutputs(dir, 'production', 'us-west-2') as Record<string, unknown> & { master: Record<string, string> };
    assert.equal(outputs.region, 'us-west-2');
    assert.equal(outputs.environment, 'production');
    assert.ok(outputs.master.ApiEndpoint);
    await assert.rejects(deploy(dir, { regions: ['eu-west-1'] }), /production does not cover eu-west-1/);
    assert.throws(() => chooseRegions('production', ['us-east-1', 'us-west-2'], 'us-east-1', { region: 'ap-south-1' }), (e: Error & { hint?: string }) => /us-east-1, us-west-2/.test(e.hint ?? ''));
  });

  it('regionOrder: sequential deploys the second region once the first has completed', async () => {
    const dir = copyExample('plot-palette');
    const manifest = join(dir, 'stackpilot.yaml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('    regions: [us-east-1, us-west-2]\n', '    regions: [us-west-2, us-east-1]\n    regionOrder: sequential\n'));
    const { report, events } = await deploy(dir);
    assert.equal(report.ok, true);
    const westDone = events.findIndex((e) => e.code === 'stack-done' && e.region === 'us-west-2');
    const eastFirst = events.findIndex((e) => e.region === 'us-east-1');
    assert.ok(westDone >= 0 && eastFirst > westDone, 'us-east-1 started after us-west-2, the primary, completed');
  });
});

/** Two regions; us-west-2's core takes us-east-1's topic ARN (or `westValue`) as PrimaryTopic. */
function crossRegionProject(westValue = '${regions.us-east-1.stacks.core.outputs.TopicArn}', eastValue?: string): string {
  const east = eastValue ? `  us-east-1:\n    parameters:\n      PrimaryTopic: '${eastValue}'\n` : '';
  return writeProject({
    'stackpilot.yaml': `project: relay\nstacks:\n  core:\n    template: core.yaml\nenvironments:\n  production:\n    regions: [us-east-1, us-west-2]\nregions:\n${east}  us-west-2:\n    parameters:\n      PrimaryTopic: '${westValue}'\n`,
    'core.yaml': 'Parameters:\n  PrimaryTopic:\n    Type: String\n    Default: none\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\nOutputs:\n  TopicArn:\n    Value: !Ref Topic\n  Primary:\n    Value: !Ref PrimaryTopic\n',
  });
}

/** Two chained stacks (queue, then app) in each of two regions, us-west-2 first. */
function chainedProject(): string {
  return writeProject({
    'stackpilot.yaml': 'project: shop\nstacks:\n  queue: { template: queue.yaml }\n  app: { template: app.yaml, dependsOn: [queue] }\nenvironments:\n  production:\n    regions: [us-west-2, us-east-1]\n',
    'queue.yaml': 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n',
    'app.yaml': 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n',
  });
}

describe('regions: failures and interrupts', () => {
  it('without --keep-going a failure in one region stops the others before their stacks start', async () => {
    const dir = chainedProject();
    // One region at a time, us-west-2 first: its failure is known before us-east-1 would start.
    const { report, events } = await deploy(dir, { regionConcurrency: 1, engine: { faults: [{ region: 'us-west-2', type: 'AWS::SQS::Queue' }] } });
    assert.equal(report.ok, false);
    assert.deepEqual(outcomes(events), ['us-west-2 queue failed', 'us-west-2 app not-started', 'us-east-1 queue not-started', 'us-east-1 app not-started']);
    assert.equal(report.regions.get('us-east-1')?.ok, false);
  });

  it('an interrupt starts nothing new in any region', async () => {
    const dir = chainedProject();
    const interrupt = new AbortController();
    const events: DeployEvent[] = [];
    const report = await deployProject(dir, { target: 'local', env: 'production', concurrency: 4, yes: true, signal: interrupt.signal }, (e) => {
      events.push(e);
      if (e.code === 'stack-start') interrupt.abort();
    });
    assert.equal(report.interrupted, true);
    assert.deepEqual(events.filter((e) => e.code === 'stack-start' && e.stack === 'app'), [], 'app started in no region');
    assert.ok(events.some((e) => e.code === 'warning' && /interrupted: no new stack will start/.test(e.message)));
  });
});

describe('regions: backups', () => {
  it('backup takes each region\'s table into that region\'s catalog, and backups lists both', async () => {
    const dir = writeProject({
      'stackpilot.yaml': 'project: ledger\nstacks:\n  data: { template: data.yaml }\nenvironments:\n  production:\n    regions: [us-east-1, us-west-2]\n',
      'data.yaml': 'Resources:\n  Entries:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]\n      KeySchema: [{ AttributeName: id, KeyType: HASH }]\n',
    });
    assert.equal((await deploy(dir)).report.ok, true);
    const taken = await backUpProject(dir, { target: 'local', env: 'production' }, () => {}, () => {});
    assert.deepEqual(taken.map((e) => e.region).sort(), ['us-east-1', 'us-west-2']);
    const { entries } = await listProjectBackups(dir, { target: 'local', env: 'production' });
    assert.deepEqual(entries.map((e) => `${e.region} ${e.logicalId}`), ['us-east-1 Entries', 'us-west-2 Entries']);
    const west = await listProjectBackups(dir, { target: 'local', env: 'production', region: 'us-west-2' });
    assert.deepEqual(west.entries.map((e) => e.region), ['us-west-2']);
  });
});

describe('regions: plan', () => {
  it('previews every region of the environment, each stack labelled with its region', async () => {
    const dir = copyExample('plot-palette');
    const report = await planProject(dir, { target: 'local', env: 'production' }, () => {});
    assert.deepEqual(report.stacks.map((s) => `${s.region} ${s.id} ${s.action}`), ['us-east-1 master create', 'us-west-2 master create']);
  });
});

describe('regions: cross-region output references', () => {
  it('order the regions and resolve the value; a later run of one region reads the other region\'s deployed output', async () => {
    const dir = crossRegionProject();
    const { report, events } = await deploy(dir);
    assert.equal(report.ok, true);
    const eastDone = events.findIndex((e) => e.code === 'stack-done' && e.region === 'us-east-1');
    const westStart = events.findIndex((e) => e.code === 'stack-start' && e.region === 'us-west-2');
    assert.ok(eastDone >= 0 && westStart > eastDone, 'us-west-2 waited for us-east-1\'s core');
    const [eastOutputs, westOutputs] = ['us-east-1', 'us-west-2'].map((region) => savedOutputs(dir, 'production', region));
    assert.match(eastOutputs.core.TopicArn, /^arn:aws:sns:us-east-1:/);
    assert.equal(westOutputs.core.Primary, eastOutputs.core.TopicArn);
    assert.equal(eastOutputs.core.Primary, 'none');

    const west = await deploy(dir, { regions: ['us-west-2'] });
    assert.equal(west.report.ok, true);
    assert.deepEqual(outcomes(west.events), ['undefined core no-changes'], 'the deployed output is read, and it is the same value');
  });

  it('a reference to a region not deployed yet, outside the run, stops before anything is touched', async () => {
    const dir = crossRegionProject();
    const events: DeployEvent[] = [];
    await assert.rejects(deployProject(dir, { target: 'local', env: 'production', regions: ['us-west-2'], concurrency: 2, yes: true }, (e) => events.push(e)), /stackpilot\.yaml:11:\d+: PrimaryTopic of core in us-west-2 needs output TopicArn of core in us-east-1, which is not deployed there/);
    assert.equal(events.filter((e) => e.code === 'stack-start').length, 0);
  });

  it('a cycle between regions, or a region the environment does not cover, is an error naming file:line', async () => {
    const cycle = crossRegionProject(undefined, '${regions.us-west-2.stacks.core.outputs.TopicArn}');
    await assert.rejects(deploy(cycle), /stackpilot\.yaml:\d+:\d+: regions refer to each other's outputs in a cycle: us-(east-1|west-2) → us-(west-2|east-1) → us-\1/);
    const unknown = crossRegionProject('${regions.eu-west-1.stacks.core.outputs.TopicArn}');
    await assert.rejects(deploy(unknown), /stackpilot\.yaml:11:\d+: PrimaryTopic of core in us-west-2 refers to eu-west-1, a region this environment does not cover/);
  });
});

describe('regions: regionOrder in stackpilot.yaml', () => {
  it('a value other than parallel or sequential is a finding at its line', () => {
    const read = parseManifest('project: p\nstacks:\n  a: { template: a.yaml }\nenvironments:\n  prod:\n    regions: [us-east-1, us-west-2]\n    regionOrder: one-by-one\n', 'stackpilot.yaml');
    assert.equal(read.manifest, undefined);
    assert.deepEqual(read.diagnostics.map((d) => `${d.line} ${d.rule} ${d.message.split(':')[0]}`), ['7 SP5010 environments.prod.regionOrder']);
    assert.match(read.diagnostics[0].message, /parallel.*sequential/);
  });
});
