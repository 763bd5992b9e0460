import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StackpilotError } from '../../src/errors.ts';
import { deployLayers, projectStackGraph } from '../../src/graph/stack-graph.ts';
import { parseParameterFile } from '../../src/project/parameter-file.ts';
import { expandPlaceholders } from '../../src/project/placeholders.ts';
import { loadProject } from '../../src/project/project.ts';
import { templateUrlFileName } from '../../src/project/nested-stacks.ts';
import { writeProject } from '../helpers.ts';

const topic = (parameters = '') => `AWSTemplateFormatVersion: '2010-09-09'
${parameters}
Resources:
  Topic:
    Type: AWS::SNS::Topic
`;

describe('the manifest', () => {
  it('reports schema problems at their place in stackpilot.yaml', () => {
    const dir = writeProject({
      'stackpilot.yaml': 'project: Demo\nstacks:\n  app:\n    template: app.yaml\n    colour: blue\nenvironments: {}\n',
      'app.yaml': topic(),
    });
    const project = loadProject(dir);
    const found = project.diagnostics.map((d) => `${d.rule} ${d.line}:${d.column} ${d.message}`);
    assert.deepEqual(found, [
      'SP5010 1:10 project: use lower-case letters, digits and -',
      'SP5010 5:5 stacks.app: unknown field colour (see docs/manifest.md)',
      'SP5010 6:15 environments: declare at least one environment',
    ]);
  });

  it('reads protect at project and stack level, and points at a protect that is not true or false', () => {
    const dir = writeProject({
      'stackpilot.yaml': 'project: demo\nprotect: true\nstacks:\n  app:\n    template: app.yaml\n    protect: yes please\nenvironments:\n  dev: {}\n',
      'app.yaml': topic(),
    });
    assert.deepEqual(
      loadProject(dir).diagnostics.map((d) => `${d.rule} ${d.line}:${d.column} ${d.message}`),
      ['SP5010 6:14 stacks.app.protect: expected boolean'],
    );
    writeFileSync(join(dir, 'stackpilot.yaml'), 'project: demo\nprotect: true\nstacks:\n  app:\n    template: app.yaml\n    protect: false\nenvironments:\n  dev: {}\n');
    const manifest = loadProject(dir).manifest!;
    assert.deepEqual([manifest.protect, manifest.stacks.app.protect], [true, false]);
  });

  it('names the environments there are when --env names one that is not', () => {
    const dir = writeProject({ 'stackpilot.yaml': 'project: demo\nstacks:\n  app: { template: app.yaml }\nenvironments:\n  dev: {}\n  prod: {}\n', 'app.yaml': topic() });
    assert.throws(() => loadProject(dir, { env: 'qa' }), (e: unknown) => e instanceof StackpilotError && e.code === 'UnknownEnvironment' && e.hint === 'Choose one of: dev, prod.');
  });

  it('throws a clear I/O error for a path that does not exist', () => {
    assert.throws(() => loadProject('no/such/place'), (e: unknown) => e instanceof StackpilotError && e.message === 'no/such/place: no such file or directory');
  });
});

describe('parameter values', () => {
  it('reads the CloudFormation array form and the plain form with their own line numbers', () => {
    const array = parseParameterFile('[\n  {"ParameterKey": "Env", "ParameterValue": "dev"},\n  {"ParameterKey": "Count", "ParameterValue": 3},\n  {"ParameterKey": "Old", "UsePreviousValue": true}\n]', 'p.json');
    assert.deepEqual(array.entries.map((e) => [e.key, e.value]), [['Env', 'dev'], ['Count', '3'], ['Old', undefined]]);
    assert.equal(array.map.locate(array.entries[1].valuePath).line, 3);
    const plain = parseParameterFile('{\n  "Env": "dev",\n  "Zones": ["a", "b"]\n}', 'p.json');
    assert.deepEqual(plain.entries.map((e) => [e.key, e.value]), [['Env', 'dev'], ['Zones', 'a,b']]);
    assert.equal(plain.map.locate(plain.entries[1].keyPath, 'key').line, 3);
  });

  it('resolves each stack\'s values by the documented precedence', () => {
    const dir = writeProject({
      'stackpilot.yaml': `project: shop
region: us-east-1
stacks:
  network:
    template: network.yaml
    parameters: { Env: '\${env}', Cidr: 10.9.0.0/16 }
  app:
    template: app.yaml
    parameters: { NetworkStack: '\${stacks.network.name}', VpcId: '\${stacks.network.outputs.VpcId}' }
    parameterFiles: ['params/\${env}/app.json']
environments:
  dev:
    parameters: { Env: development }
    parameterFiles: [params/shared.json]
    stacks:
      app: { parameters: { Size: large } }
regions:
  us-east-1: { parameters: { Cidr: 10.1.0.0/16 } }
`,
      'network.yaml': topic('Parameters:\n  Env: { Type: String }\n  Cidr: { Type: String }\n'),
      'app.yaml': topic('Parameters:\n  Env: { Type: String }\n  NetworkStack: { Type: String }\n  VpcId: { Type: String }\n  Size: { Type: String }\n'),
      'params/shared.json': '{"Env": "shared-file"}',
      'params/dev/app.json': '[{"ParameterKey": "Size", "ParameterValue": "small"}]',
    });
    const env = loadProject(dir, { env: 'dev' }).environments[0];
    const values = (id: string) => Object.fromEntries([...env.stacks.get(id)!.values].map(([k, v]) => [k, v.value ?? `<${v.fromOutput?.stack}.${v.fromOutput?.output}>`]));
    assert.equal(env.stacks.get('network')!.name, 'shop-dev-network');
    assert.deepEqual(values('network'), { Env: 'development', Cidr: '10.1.0.0/16' });
    assert.deepEqual(values('app'), { Env: 'development', NetworkStack: 'shop-dev-network', VpcId: '<network.VpcId>', Size: 'large' });
  });

  it('names a stack by its pattern, through other stacks\' names, and gives up on a cycle of names', () => {
    const dir = writeProject({
      'stackpilot.yaml': `project: shop
stacks:
  network: { template: net.yaml }
  app: { template: net.yaml, name: '\${stacks.network.name}-app' }
  web: { template: net.yaml, name: '\${stacks.app.name}-web-\${region}' }
  left: { template: net.yaml, name: '\${stacks.right.name}-l' }
  right: { template: net.yaml, name: '\${stacks.left.name}-r' }
environments:
  dev: { region: eu-west-1 }
`,
      'net.yaml': topic(''),
    });
    const stacks = loadProject(dir, { env: 'dev', region: 'eu-west-1' }).environments[0].stacks;
    assert.deepEqual(Object.fromEntries([...stacks].map(([id, s]) => [id, s.name])), {
      network: 'shop-dev-network',
      app: 'shop-dev-network-app',
      web: 'shop-dev-network-app-web-eu-west-1',
      left: undefined,
      right: undefined,
    });
  });

  it('lists the environment\'s shared values that no stack declares, and keeps a stack name reference apart from an output', () => {
    const dir = writeProject({
      'stackpilot.yaml': `project: shop
stacks:
  network: { template: net.yaml }
  app: { template: app.yaml, parameters: { Network: '\${stacks.network.name}', Vpc: '\${stacks.network.outputs.VpcId}' } }
environments:
  dev:
    parameters: { Owner: ops, Unused: nobody }
`,
      'net.yaml': topic('Parameters:\n  Owner: { Type: String }\n'),
      'app.yaml': topic('Parameters:\n  Owner: { Type: String }\n  Network: { Type: String }\n  Vpc: { Type: String }\n'),
    });
    const env = loadProject(dir, { env: 'dev' }).environments[0];
    assert.deepEqual(env.unclaimed.map((a) => `${a.key}=${a.value}`), ['Unused=nobody']);
    const app = env.stacks.get('app')!.values;
    assert.deepEqual([app.get('Network')?.value, app.get('Network')?.fromOutput], ['shop-dev-network', undefined]);
    assert.deepEqual([app.get('Vpc')?.value, app.get('Vpc')?.fromOutput?.output], [undefined, 'VpcId']);
  });

  // docs/manifest.md "Which value wins": the region's overrides (5) come after the environment's stacks.ID.parameters (4).
  it('a region override wins over the environment\'s value for the stack, in that region only', () => {
    const dir = writeProject({
      'stackpilot.yaml': `project: shop
region: us-east-1
stacks:
  app: { template: app.yaml, parameters: { Size: tiny } }
environments:
  dev:
    stacks:
      app: { parameters: { Size: large, Tier: gold } }
regions:
  us-west-2: { parameters: { Size: xlarge } }
`,
      'app.yaml': topic('Parameters:\n  Size: { Type: String }\n  Tier: { Type: String }\n'),
    });
    const valuesIn = (region?: string) => {
      const stack = loadProject(dir, { env: 'dev', region }).environments[0].stacks.get('app')!;
      return Object.fromEntries([...stack.values].map(([k, v]) => [k, `${v.value} (${v.scope})`]));
    };
    assert.deepEqual(valuesIn('us-west-2'), { Size: 'xlarge (region)', Tier: 'gold (stack)' });
    assert.deepEqual(valuesIn('us-east-1'), { Size: 'large (stack)', Tier: 'gold (stack)' });
    assert.deepEqual(valuesIn(), { Size: 'large (stack)', Tier: 'gold (stack)' });
  });
});

describe('nested stacks and the stack graph', () => {
  it('finds the local file a TemplateURL names, in every form', () => {
    assert.equal(templateUrlFileName('https://b.s3.amazonaws.com/path/network.yaml'), 'network.yaml');
    assert.equal(templateUrlFileName({ 'Fn::Sub': 'https://${Bucket}.s3.${AWS::Region}.amazonaws.com/network-stack.yaml' }), 'network-stack.yaml');
    assert.equal(templateUrlFileName({ 'Fn::Sub': ['https://${B}.s3.amazonaws.com/${Prefix}db.yaml', {}] }), 'db.yaml');
    assert.equal(templateUrlFileName({ 'Fn::Join': ['', ['https://', { Ref: 'B' }, '.s3.amazonaws.com/iam.yaml']] }), 'iam.yaml');
    assert.equal(templateUrlFileName('./local/storage.json'), 'storage.json');
    assert.equal(templateUrlFileName({ 'Fn::Sub': 'https://${B}.s3.amazonaws.com/${Name}' }), undefined);
  });

  it('orders stacks by dependsOn, manifest references and imports, in layers', () => {
    const exporting = (name: string) => `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic: { Type: AWS::SNS::Topic }\nOutputs:\n  Arn:\n    Value: !Ref Topic\n    Export: { Name: !Sub '\${AWS::StackName}-${name}' }\n`;
    const importing = `AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Upstream: { Type: String }\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !ImportValue { 'Fn::Sub': '\${Upstream}-TopicArn' }\n`;
    const dir = writeProject({
      'stackpilot.yaml': `project: p
stacks:
  base: { template: base.yaml }
  audit: { template: base.yaml, name: 'audit-\${env}' }
  app: { template: app.yaml, parameters: { Upstream: '\${stacks.base.name}' } }
  web: { template: app.yaml, dependsOn: [app], parameters: { Upstream: 'audit-\${env}' } }
environments:
  dev: {}
`,
      'base.yaml': exporting('TopicArn'),
      'app.yaml': importing,
    });
    const project = loadProject(dir, { env: 'dev' });
    const graph = projectStackGraph(project);
    assert.deepEqual(deployLayers(graph), [['base', 'audit'], ['app'], ['web']]);
    assert.deepEqual(graph.dependencies.get('web')!.sort(), ['app', 'audit'], 'web waits for app (dependsOn) and audit (its import)');
  });

  it('follows nested stacks through TemplateURLs to the project\'s files', () => {
    const dir = writeProject({
      'root.yaml': "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Bucket: { Type: String }\nResources:\n  Net:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: !Sub https://${Bucket}.s3.amazonaws.com/nested/net.yaml\n",
      'nested/net.yaml': topic(),
    });
    const project = loadProject(join(dir, 'root.yaml'));
    assert.equal(project.nested.length, 1);
    assert.equal(project.nested[0].child, join(dir, 'nested', 'net.yaml'));
    assert.equal(project.templates.size, 2);
  });
});

describe('manifest placeholders', () => {
  it('expands names, leaves outputs for deploy time and reports what it cannot expand', () => {
    const e = expandPlaceholders('${project}-${env}-${stacks.net.name}-${stacks.net.outputs.VpcId}-${nope}', { project: 'p', env: 'dev', stackName: (id) => `${id}-stack` });
    assert.equal(e.text, 'p-dev-net-stack-${stacks.net.outputs.VpcId}-${nope}');
    assert.deepEqual(e.references, [{ stack: 'net' }, { stack: 'net', output: 'VpcId' }]);
    assert.equal(e.deferred, true);
    assert.deepEqual(e.unresolved, ['nope']);
  });
});
