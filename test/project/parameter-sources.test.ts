import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ParameterAssignment } from '../../src/project/parameters.ts';
import { loadProject } from '../../src/project/project.ts';
import { writeProject } from '../helpers.ts';

const template = (...keys: string[]) =>
  `AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n${keys.map((k) => `  ${k}: { Type: String }\n`).join('')}Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n`;

/** Where a value was written, as a person reads it: file, line and the key path. */
const place = (a: ParameterAssignment) => `${a.source.file}:${a.source.map.locate(a.source.keyPath, 'key').line} ${a.source.keyPath.join('.')}`;

describe('parameter values: where each one was written', () => {
  const manifest = `project: shop
stacks:
  app:
    template: app.yaml
    parameters:
      Size: tiny
      Stray: nobody-declares-me
environments:
  dev:
    parameters:
      Owner: ops
    stacks:
      app:
        parameters:
          Tier: gold
`;

  it('points a stack value, a shared value and an environment stack value at their lines in stackpilot.yaml', () => {
    const dir = writeProject({ 'stackpilot.yaml': manifest, 'app.yaml': template('Size', 'Owner', 'Tier') });
    const file = join(dir, 'stackpilot.yaml');
    const app = loadProject(dir, { env: 'dev' }).environments[0].stacks.get('app')!;
    assert.deepEqual(
      Object.fromEntries([...app.values].map(([key, a]) => [key, place(a)])),
      {
        Size: `${file}:6 stacks.app.parameters.Size`,
        Owner: `${file}:11 environments.dev.parameters.Owner`,
        Tier: `${file}:15 environments.dev.stacks.app.parameters.Tier`,
      },
    );
    assert.deepEqual(app.values.get('Size')!.source.valuePath, ['stacks', 'app', 'parameters', 'Size']);
  });

  it('keeps a stack key the template does not declare among the assignments, not among the values nor the unclaimed shared values', () => {
    const dir = writeProject({ 'stackpilot.yaml': manifest, 'app.yaml': template('Size', 'Owner', 'Tier') });
    const env = loadProject(dir, { env: 'dev' }).environments[0];
    const app = env.stacks.get('app')!;
    assert.equal(app.values.has('Stray'), false);
    const stray = app.assignments.find((a) => a.key === 'Stray')!;
    assert.deepEqual([stray.value, stray.scope, place(stray)], ['nobody-declares-me', 'stack', `${join(dir, 'stackpilot.yaml')}:7 stacks.app.parameters.Stray`]);
    assert.deepEqual(env.unclaimed, []);
  });

  it('lists the assignments in precedence order, the overridden ones included', () => {
    const dir = writeProject({
      'stackpilot.yaml': manifest.replace('Owner: ops', 'Owner: ops\n      Size: shared-size').replace('Tier: gold', 'Tier: gold\n          Size: env-size'),
      'app.yaml': template('Size', 'Owner', 'Tier'),
    });
    const app = loadProject(dir, { env: 'dev' }).environments[0].stacks.get('app')!;
    assert.deepEqual(
      app.assignments.map((a) => `${a.key}=${a.value} (${a.scope})`),
      ['Size=tiny (stack)', 'Stray=nobody-declares-me (stack)', 'Owner=ops (shared)', 'Size=shared-size (shared)', 'Tier=gold (stack)', 'Size=env-size (stack)'],
    );
    assert.equal(app.values.get('Size')!.value, 'env-size');
  });

  it('leaves a value whose placeholder cannot be filled undefined, without taking it for an output', () => {
    const dir = writeProject({
      'stackpilot.yaml': 'project: shop\nstacks:\n  app: { template: app.yaml, parameters: { Where: "${region}-x" } }\nenvironments:\n  dev: {}\n',
      'app.yaml': template('Where'),
    });
    const where = loadProject(dir, { env: 'dev' }).environments[0].stacks.get('app')!.values.get('Where')!;
    assert.deepEqual([where.value, where.fromOutput], [undefined, undefined]);
    const named = loadProject(dir, { env: 'dev', region: 'eu-west-1' }).environments[0].stacks.get('app')!;
    assert.deepEqual([named.values.get('Where')!.value, named.name], ['eu-west-1-x', 'shop-dev-app']);
  });
});

describe('parameter values: region overrides and stack names', () => {
  it('gives a region override only to the stacks that declare its key', () => {
    const dir = writeProject({
      'stackpilot.yaml': `project: shop
stacks:
  app: { template: app.yaml }
  db: { template: db.yaml }
environments:
  dev: {}
regions:
  us-west-2: { parameters: { Size: xlarge } }
`,
      'app.yaml': template('Size'),
      'db.yaml': template('Engine'),
    });
    const stacks = loadProject(dir, { env: 'dev', region: 'us-west-2' }).environments[0].stacks;
    assert.deepEqual(stacks.get('app')!.assignments.map((a) => `${a.key}=${a.value} (${a.scope})`), ['Size=xlarge (region)']);
    assert.deepEqual(stacks.get('db')!.assignments, []);
  });

  it('keeps a region override that is another region\'s output as that reference, its value known only at deploy', () => {
    const dir = writeProject({
      'stackpilot.yaml': `project: relay
stacks:
  core: { template: core.yaml }
environments:
  production: {}
regions:
  us-west-2: { parameters: { PrimaryTopic: '\${regions.us-east-1.stacks.core.outputs.TopicArn}' } }
`,
      'core.yaml': template('PrimaryTopic'),
    });
    const [assignment] = loadProject(dir, { env: 'production', region: 'us-west-2' }).environments[0].stacks.get('core')!.assignments;
    assert.deepEqual([assignment.value, assignment.fromOutput, assignment.scope, assignment.region], [undefined, { stack: 'core', output: 'TopicArn', region: 'us-east-1' }, 'region', 'us-west-2']);
  });

  it('resolves a stack name built through five other stacks\' names, and gives up beyond', () => {
    const chain = ['s1', 's2', 's3', 's4', 's5', 's6', 's7'];
    const stacks = chain.map((id, i) => `  ${id}: { template: t.yaml${i + 1 < chain.length ? `, name: '\${stacks.${chain[i + 1]}.name}-x'` : ''} }`).join('\n');
    const dir = writeProject({ 'stackpilot.yaml': `project: shop\nstacks:\n${stacks}\nenvironments:\n  dev: {}\n`, 't.yaml': template() });
    const names = loadProject(dir, { env: 'dev' }).environments[0].stacks;
    // s2 reaches s7 through five names; s1 would need six.
    assert.equal(names.get('s2')!.name, 'shop-dev-s7-x-x-x-x-x');
    assert.equal(names.get('s1')!.name, undefined);
  });
});
