import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deployLayers, projectStackGraph } from '../../src/graph/stack-graph.ts';
import { loadProject } from '../../src/project/project.ts';
import { RULES } from '../../src/validate/rules/index.ts';
import { validateProject } from '../../src/validate/validate.ts';
import { EXAMPLES_DAY, REPO } from '../helpers.ts';
import { importMatches, nestedOutputReads, nestedWiring, parameterProblems } from './wiring.ts';

const example = (name: string) => join(REPO, 'examples', name);
const findingsOf = (name: string, env?: string, today = EXAMPLES_DAY) => validateProject(loadProject(example(name), { env }), RULES, { today }).map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.rule} ${d.message}`);

describe('examples/plot-palette: a master stack over nine nested stacks', () => {
  const project = loadProject(example('plot-palette'));

  it('validates with no finding at all in every environment', () => {
    for (const env of ['development', 'staging', 'production']) assert.deepEqual(findingsOf('plot-palette', env), [], env);
  });

  it('is one stack, whose nested stacks are the nine templates the master names', () => {
    assert.deepEqual(deployLayers(projectStackGraph(project)), [['master']]);
    assert.deepEqual(
      nestedWiring(project).map((n) => n.name.replace('master-stack.yaml:', '')).sort(),
      [
        'APIStack -> api-stack.yaml',
        'AuthStack -> auth-stack.yaml',
        'BudgetStack -> budget-stack.yaml',
        'ComputeStack -> compute-stack.yaml',
        'DatabaseStack -> database-stack.yaml',
        'FrontendStack -> frontend-stack.yaml',
        'IAMStack -> iam-stack.yaml',
        'NetworkStack -> network-stack.yaml',
        'StorageStack -> storage-stack.yaml',
      ],
    );
  });

  it('supplies every nested parameter, passes none a child lacks, and reads only outputs that exist', () => {
    for (const n of nestedWiring(project)) assert.deepEqual([n.unknown, n.missing], [[], []], n.name);
    const reads = nestedOutputReads(project);
    assert.ok(reads.length >= 20, `the master reads ${reads.length} nested outputs`);
    assert.deepEqual(reads.filter((r) => !r.exists), []);
  });

  it('has valid parameter files for each environment, and per-region overrides for both regions', () => {
    assert.deepEqual(parameterProblems(project), []);
    const regions = project.regionOverrides!.byRegion;
    assert.deepEqual([...regions.keys()], ['us-east-1', 'us-west-2']);
    for (const [region, overrides] of regions) {
      assert.deepEqual(overrides.map((o) => o.key).sort(), ['BedrockModels', 'VPCCidr'], region);
    }
    const westCidr = loadProject(example('plot-palette'), { env: 'production', region: 'us-west-2' }).environments[0].stacks.get('master')!.values.get('VPCCidr')!.value;
    assert.equal(westCidr, '10.1.0.0/16');
  });

  it('outputs what the deploy writes to outputs.json', () => {
    const master = [...project.templates.values()].find((t) => t.file.endsWith('master-stack.yaml'))!;
    for (const output of ['ApiEndpoint', 'UserPoolId', 'UserPoolClientId', 'FrontendUrl', 'BucketName', 'ECSClusterName']) {
      assert.ok(master.model.outputs.has(output), output);
    }
  });
});

describe('examples/concert-platform: six stacks wired by exports', () => {
  const project = loadProject(example('concert-platform'));

  it('validates with no finding at all in every environment', () => {
    assert.deepEqual(findingsOf('concert-platform'), []);
  });

  it('deploys networking, storage and compute in turn, then chatbot, monitoring and tracing side by side', () => {
    assert.deepEqual(deployLayers(projectStackGraph(project)), [['networking'], ['storage'], ['compute'], ['chatbot', 'monitoring', 'tracing']]);
  });

  it('matches every import with exactly one export, from a stack it waits for', () => {
    const graph = projectStackGraph(project);
    const matches = importMatches(project);
    assert.ok(matches.length > 100, `${matches.length} imports across three environments`);
    for (const m of matches) {
      assert.equal(m.exporters.length, 1, `${m.env}/${m.importer} imports ${m.name} from ${m.exporters.join(', ') || 'nobody'}`);
      assert.ok(graph.dependencies.get(m.importer)!.includes(m.exporters[0]), `${m.importer} waits for ${m.exporters[0]}`);
    }
  });

  it('has valid parameter files for each environment', () => {
    assert.deepEqual(parameterProblems(project), []);
  });

  it('keeps the Redshift password out of the repository: generated into Secrets Manager, read by dynamic reference', () => {
    const storage = [...project.templates.values()].find((t) => t.file.endsWith('02-storage-processing.yaml'))!;
    const namespace = [...storage.model.resources.values()].find((r) => r.type === 'AWS::RedshiftServerless::Namespace')!;
    assert.match(JSON.stringify(namespace.properties.AdminUserPassword), /\{\{resolve:secretsmanager:\$\{[A-Za-z]+\}:SecretString:password\}\}/);
    const secret = [...storage.model.resources.values()].find((r) => r.type === 'AWS::SecretsManager::Secret')!;
    assert.ok('GenerateSecretString' in secret.properties);
    const files = [...project.files].filter((f) => f.endsWith('.json')).map((f) => readFileSync(join(REPO, 'examples', f.slice(f.indexOf('concert-platform'))), 'utf8'));
    assert.ok(files.length === 18 && files.every((text) => !/password/i.test(text)));
  });
});

describe('examples/collab-platform: nested stacks sized by an environment mapping', () => {
  const project = loadProject(example('collab-platform'));

  it('validates with no finding at all in every environment', () => {
    for (const env of ['dev', 'staging', 'prod']) assert.deepEqual(findingsOf('collab-platform', env), [], env);
  });

  it('nests the six stacks of the system and wires them completely', () => {
    const wiring = nestedWiring(project);
    assert.deepEqual(wiring.map((n) => n.name.replace('main.yaml:', '').replace(/ -> .*/, '')).sort(), ['ApplicationStack', 'CdnStack', 'DatabaseStack', 'MonitoringStack', 'NetworkStack', 'WebSocketStack']);
    for (const n of wiring) assert.deepEqual([n.unknown, n.missing], [[], []], n.name);
    assert.deepEqual(nestedOutputReads(project).filter((r) => !r.exists), []);
  });

  it('sizes dev, staging and prod from one mapping, and has valid parameter files for each', () => {
    const main = [...project.templates.values()].find((t) => t.file.endsWith('main.yaml'))!;
    assert.deepEqual(Object.keys(main.model.mappings.EnvironmentConfig as object).sort(), ['dev', 'prod', 'staging']);
    assert.deepEqual(main.model.parameters.get('EnvironmentName')!.allowedValues, ['dev', 'staging', 'prod']);
    assert.deepEqual(parameterProblems(project), []);
  });
});

describe('the examples after AWS deprecates their Lambda runtimes (the tests above validate them as of EXAMPLES_DAY)', () => {
  /** Each finding as `file:line severity rule runtime`, file relative to the example. */
  const runtimeFindings = (name: string, env: string | undefined, today: string) =>
    findingsOf(name, env, today).map((f) => {
      const [, file, line, severity, rule, runtime] = /examples\/[^/]+\/(\S+?):(\d+):\d+ (\w+) (\w+) Lambda runtime (\S+) /.exec(f) ?? [f];
      return `${file}:${line} ${severity} ${rule} ${runtime}`;
    });

  it('collab-platform: a warning per nodejs22.x function from 2027-04-30, an error (the deploy would fail) from 2027-06-01', () => {
    const at = (severity: string) => [92, 174, 250].map((line) => `templates/websocket.yaml:${line} ${severity} SP3007 nodejs22.x`);
    assert.deepEqual(runtimeFindings('collab-platform', 'dev', '2027-04-29'), []);
    assert.deepEqual(runtimeFindings('collab-platform', 'dev', '2027-04-30'), at('warning'));
    assert.deepEqual(runtimeFindings('collab-platform', 'dev', '2027-06-01'), at('error'));
  });

  it('plot-palette and concert-platform: a warning per python3.12 function from 2028-10-31, an error from 2028-11-30', () => {
    assert.deepEqual(runtimeFindings('plot-palette', 'development', '2028-10-30'), []);
    assert.deepEqual(runtimeFindings('plot-palette', 'development', '2028-10-31'), [126, 200].map((line) => `infrastructure/cloudformation/api-stack.yaml:${line} warning SP3007 python3.12`));
    const concert = runtimeFindings('concert-platform', undefined, '2028-11-30');
    assert.equal(concert.length, 8);
    assert.deepEqual(new Set(concert.map((f) => f.replace(/^\S+ /, ''))), new Set(['error SP3007 python3.12']));
  });
});
