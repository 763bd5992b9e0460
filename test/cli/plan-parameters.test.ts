import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { copyExample, runCli, writeProject } from '../helpers.ts';

const SECRET = 'tr0ub4dor-and-3';

function secretProject() {
  return writeProject({
    'stackpilot.yaml': 'project: vault\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev:\n    region: us-east-1\n    parameters: { Token: ' + SECRET + ' }\n',
    'app.yaml': "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Token: { Type: String, NoEcho: true }\n  Stage: { Type: String, Default: beta }\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
  });
}

interface JsonPlan {
  region: string;
  stacks: { id: string; action: string; parameters: { key: string; value: string; secret: boolean; from: string; file?: string; line?: number; column?: number; source: string }[] }[];
}

describe('stackpilot plan: parameter values and where they came from', () => {
  it('shows Plot Palette production\'s us-west-2 values: regions.json with its line, the file, defaults and --parameter', () => {
    const dir = copyExample('plot-palette');
    const run = runCli(['plan', '.', '--env', 'production', '--region', 'us-west-2', '--parameter', 'LogRetentionDays=7'], { cwd: dir, env: { CI: 'true' } });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^ {2}Parameters in us-west-2$/m);
    for (const line of [
      'VPCCidr = 10.1.0.0/16  (infrastructure/parameters/regions.json:15:5, region us-west-2)',
      'EnvironmentName = production  (infrastructure/parameters/production.json:3:5)',
      'LogRetentionDays = 7  (command line)',
      'WorkerImageTag = latest  (template default)',
    ]) {
      assert.ok(run.stdout.split('\n').includes(`    ${line}`), `${line} in:\n${run.stdout}`);
    }
  });

  it('masks NoEcho values as **** in the text and in --json, and gives each value\'s source in the JSON', () => {
    const dir = secretProject();
    const text = runCli(['plan', dir], { env: { CI: 'true' } });
    assert.equal(text.code, 0, text.stderr);
    assert.ok(text.stdout.split('\n').includes(`    Token = ****  (${join(dir, 'stackpilot.yaml')}:7:19)`), text.stdout);
    assert.ok(!text.stdout.includes(SECRET));

    const json = runCli(['plan', dir, '--json', '--parameter', `Token=${SECRET}`, '--parameter', 'app.Stage=gamma']);
    assert.equal(json.code, 0, json.stderr);
    assert.ok(!json.stdout.includes(SECRET));
    const plan = JSON.parse(json.stdout) as JsonPlan;
    assert.equal(plan.region, 'us-east-1');
    assert.deepEqual(plan.stacks[0].parameters, [
      { key: 'Token', value: '****', secret: true, from: 'command line', source: 'command line' },
      { key: 'Stage', value: 'gamma', secret: false, from: 'command line', source: 'command line' },
    ]);
  });

  it('gives a --parameter no template declares exit code 3, naming the key, before anything is touched', () => {
    const dir = secretProject();
    for (const command of [['plan'], ['deploy', '--yes']]) {
      const run = runCli([...command, dir, '--parameter', 'Colour=blue']);
      assert.equal(run.code, 3, `${command.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /--parameter Colour: no stack of the project declares a parameter Colour/);
    }
    const targeted = runCli(['plan', dir, '--parameter', 'app.Colour=blue']);
    assert.equal(targeted.code, 3);
    assert.match(targeted.stderr, /--parameter app\.Colour: Colour is not a parameter of stack app/);
    const malformed = runCli(['plan', dir, '--parameter', 'no-equals-sign']);
    assert.equal(malformed.code, 3);
    assert.match(malformed.stderr, /expected KEY=VALUE or STACK\.KEY=VALUE/);
    assert.equal(existsSync(join(dir, '.stackpilot')), false, 'no local state was created');
  });
});
