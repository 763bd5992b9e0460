import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StackpilotError } from '../../src/errors.ts';
import { environmentInRegion, listStackParameters } from '../../src/project/parameter-listing.ts';
import type { ParameterOverride } from '../../src/project/parameter-overrides.ts';
import { loadProject } from '../../src/project/project.ts';
import { findings, REPO, writeProject } from '../helpers.ts';

const MANIFEST = `project: shop
stacks:
  app:
    template: app.yaml
  web:
    template: web.yaml
environments:
  prod:
    region: us-east-1
    regions: [us-east-1, us-west-2]
    parameterFiles: [prod.json]
regions:
  us-west-2:
    parameters:
      A: region-a
      B: region-b
`;

const PARAMETER_FILE = `{
  "A": "file-a",
  "B": "file-b",
  "C": "file-c",
  "Secret": "s3cr3t-from-file"
}
`;

const parameters = (...declarations: string[]) =>
  `AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n${declarations.map((d) => `  ${d}\n`).join('')}Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n`;

const APP = parameters('A: { Type: String, Default: default-a }', 'B: { Type: String, Default: default-b }', 'C: { Type: String, Default: default-c }', 'D: { Type: String, Default: default-d }', 'Secret: { Type: String, NoEcho: true, Default: hidden-default }');
const WEB = parameters('A: { Type: String, Default: default-a }');

function shop() {
  return writeProject({ 'stackpilot.yaml': MANIFEST, 'prod.json': PARAMETER_FILE, 'app.yaml': APP, 'web.yaml': WEB });
}

/** `Key = value  (source)` lines, as plan prints them. */
function listing(dir: string, stack: string, options: { region?: string; parameters?: ParameterOverride[] } = {}) {
  const project = loadProject(dir, { env: 'prod', ...options });
  return listStackParameters(project, project.environments[0], stack).map((p) => `${p.key} = ${p.value}  (${p.source})`);
}

describe('parameter values: precedence and provenance', () => {
  it('takes the command line over the region override, that over the file, that over the default, each with where it came from', () => {
    const dir = shop();
    assert.deepEqual(listing(dir, 'app', { region: 'us-west-2', parameters: [{ key: 'A', value: 'cli-a' }] }), [
      'A = cli-a  (command line)',
      `B = region-b  (${join(dir, 'stackpilot.yaml')}:16:7, region us-west-2)`,
      `C = file-c  (${join(dir, 'prod.json')}:4:3)`,
      'D = default-d  (template default)',
      `Secret = ****  (${join(dir, 'prod.json')}:5:3)`,
    ]);
  });

  it('resolves the same environment for another region: that region\'s overrides, or none', () => {
    const dir = shop();
    const project = loadProject(dir, { env: 'prod', region: 'us-west-2' });
    const east = environmentInRegion(project, project.environments[0], 'us-east-1');
    assert.deepEqual(
      listStackParameters(project, east, 'app').slice(0, 2).map((p) => [p.key, p.value, p.source, p.region]),
      [
        ['A', 'file-a', `${join(dir, 'prod.json')}:2:3`, undefined],
        ['B', 'file-b', `${join(dir, 'prod.json')}:3:3`, undefined],
      ],
    );
    assert.equal(listStackParameters(project, project.environments[0], 'app')[0].region, 'us-west-2');
  });

  it('gives STACK.KEY to that stack only, and KEY to every stack that declares it', () => {
    const dir = shop();
    const targeted = { region: 'us-west-2', parameters: [{ stack: 'app', key: 'A', value: 'only-app' }] };
    assert.equal(listing(dir, 'app', targeted)[0], 'A = only-app  (command line)');
    assert.equal(listing(dir, 'web', targeted)[0], `A = region-a  (${join(dir, 'stackpilot.yaml')}:15:7, region us-west-2)`);
    assert.equal(listing(dir, 'web', { parameters: [{ key: 'A', value: 'everyone' }] })[0], 'A = everyone  (command line)');
  });

  it('refuses a --parameter no template declares, or for a stack the project lacks, naming it', () => {
    const dir = shop();
    const refusal = (override: ParameterOverride) => {
      try {
        loadProject(dir, { env: 'prod', parameters: [override] });
      } catch (error) {
        assert.ok(error instanceof StackpilotError);
        return `${error.code}: ${error.message}`;
      }
      assert.fail('the project loaded');
    };
    assert.equal(refusal({ key: 'Nope', value: '1' }), 'UnknownParameter: --parameter Nope: no stack of the project declares a parameter Nope');
    assert.equal(refusal({ stack: 'web', key: 'C', value: '1' }), 'UnknownParameter: --parameter web.C: C is not a parameter of stack web (web.yaml)');
    assert.equal(refusal({ stack: 'db', key: 'A', value: '1' }), 'UnknownStack: --parameter db.A: the project has no stack "db"');
  });

  it('checks a --parameter value against the template like any other, the finding naming the flag', () => {
    const dir = writeProject({ 'stackpilot.yaml': MANIFEST, 'prod.json': '{}', 'app.yaml': parameters('A: { Type: String, AllowedValues: [x, y], Default: x }'), 'web.yaml': WEB });
    const errors = findings(dir, { env: 'prod', parameters: [{ stack: 'app', key: 'A', value: 'z' }] }).filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => `${d.file}: ${d.message}`), [
      `${join(dir, 'stackpilot.yaml')}: A for us-west-2: "region-a" is not one of the allowed values: x, y`,
      'command line (--parameter app.A): A: "z" is not one of the allowed values: x, y',
    ]);
  });

  it('masks a NoEcho value whichever source gives it, the template default included', () => {
    const dir = shop();
    const secret = (parameters: ParameterOverride[]) => {
      const project = loadProject(dir, { env: 'prod', parameters });
      const { value, secret, source } = listStackParameters(project, project.environments[0], 'app').find((p) => p.key === 'Secret')!;
      return [value, secret, source];
    };
    assert.deepEqual(secret([]), ['****', true, `${join(dir, 'prod.json')}:5:3`]);
    assert.deepEqual(secret([{ key: 'Secret', value: 'typed-in' }]), ['****', true, 'command line']);
    const withoutFile = writeProject({ 'stackpilot.yaml': MANIFEST.replace('    parameterFiles: [prod.json]\n', ''), 'app.yaml': APP, 'web.yaml': WEB });
    const project = loadProject(withoutFile, { env: 'prod' });
    assert.deepEqual(listStackParameters(project, project.environments[0], 'app').find((p) => p.key === 'Secret'), { key: 'Secret', value: '****', secret: true, from: 'template default', source: 'template default' });
  });

  it('gives Plot Palette\'s production in us-west-2 its VPCCidr from regions.json, at its line', () => {
    const dir = join(REPO, 'examples', 'plot-palette');
    const project = loadProject(dir, { env: 'production', region: 'us-west-2' });
    const listed = listStackParameters(project, project.environments[0], 'master');
    const vpc = listed.find((p) => p.key === 'VPCCidr')!;
    assert.deepEqual([vpc.value, vpc.source], ['10.1.0.0/16', `${join(dir, 'infrastructure/parameters/regions.json')}:15:5, region us-west-2`]);
    const east = listStackParameters(project, environmentInRegion(project, project.environments[0], 'us-east-1'), 'master').find((p) => p.key === 'VPCCidr')!;
    assert.deepEqual([east.value, east.line], ['10.0.0.0/16', 9]);
  });
});
