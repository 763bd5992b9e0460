import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { describe, it } from 'node:test';
import { findings, ruleFindings, temporaryFolder } from '../../helpers.ts';
import { projectFindings, rules, severities } from './support.ts';

describe('SP5001 nested stack parameters', () => {
  const bad = rules('SP5001', 'bad');

  const expected = [
    `main.yaml 11:7 Nested stack Network does not pass Environment, which ${bad}/network.yaml requires (no Default)`,
    `main.yaml 12:9 Nested stack Network passes EnvironmentName, which ${bad}/network.yaml does not declare`,
    `main.yaml 14:3 Nested stack Queue does not pass QueueName, which ${bad}/queue.yaml requires (no Default)`,
  ];

  it('reports parameters the child does not declare and required ones not passed', () => {
    assert.deepEqual(projectFindings(bad, 'SP5001'), expected);
  });

  it('finds the children when the parent template is checked on its own', () => {
    assert.deepEqual(projectFindings(bad, 'SP5001', {}, `${bad}/main.yaml`), expected);
  });

  it('accepts a parent passing exactly what its children declare (Sub and Join URLs)', () => {
    assert.deepEqual(projectFindings(rules('SP5001', 'good'), 'SP5001'), []);
  });
});

describe('SP5002 nested stack output that does not exist', () => {
  const bad = rules('SP5002', 'bad');

  it('reports GetAtt and Sub reads of outputs the child does not declare', () => {
    assert.deepEqual(projectFindings(bad, 'SP5002'), [
      `main.yaml 16:22 ${bad}/network.yaml has no output VpcIdentifier (it has VpcId, PrivateSubnetId)`,
      `main.yaml 19:17 ${bad}/network.yaml has no output PublicSubnetId (it has VpcId, PrivateSubnetId)`,
      `main.yaml 21:20 ${bad}/topic.yaml has no output TopicArn (it has no outputs)`,
    ]);
    assert.deepEqual(severities(bad, 'SP5002'), ['error', 'error', 'error']);
  });

  it('accepts outputs the child declares', () => {
    assert.deepEqual(projectFindings(rules('SP5002', 'good'), 'SP5002'), []);
  });
});

describe('SP5003 ImportValue with no matching export', () => {
  const bad = rules('SP5003', 'bad');

  it('resolves Sub imports from manifest parameters, per environment, and errs in a manifest project', () => {
    assert.deepEqual(projectFindings(bad, 'SP5003'), [
      'templates/app.yaml 18:36 No stack of the project exports shared-KmsKeyArn in environment staging',
      'templates/app.yaml 18:36 No stack of the project exports shared-KmsKeyArn in environment production',
      'templates/app.yaml 22:24 No stack of the project exports shop-staging-network-PublicSubnetId in environment staging',
      'templates/app.yaml 22:24 No stack of the project exports shop-production-network-PublicSubnetId in environment production',
    ]);
    assert.deepEqual(severities(bad, 'SP5003'), ['error', 'error', 'error', 'error']);
  });

  it('only warns in a bare folder, where the export may live in another stack', () => {
    const folder = rules('SP5003', 'folder');
    assert.deepEqual(projectFindings(folder, 'SP5003'), [
      'app.yaml 18:47 No stack of the project exports edge-LoadBalancerSecurityGroupId (it may be exported by a stack outside this folder)',
    ]);
    assert.deepEqual(severities(folder, 'SP5003'), ['warning']);
  });

  it('says nothing about a single template, whose exports are elsewhere', () => {
    assert.deepEqual(ruleFindings(rules('SP5003', 'folder', 'app.yaml'), 'SP5003'), []);
  });

  it('accepts imports that match the exports of ${AWS::StackName} (Sub and Join)', () => {
    assert.deepEqual(projectFindings(rules('SP5003', 'good'), 'SP5003'), []);
  });
});

describe('SP5004 duplicate export name', () => {
  it('reports an export name two stacks of a manifest project give in the same environment', () => {
    const bad = rules('SP5004', 'bad');
    assert.deepEqual(projectFindings(bad, 'SP5004'), [
      `templates/legacy-network.yaml 15:13 Export name staging-VpcId is also exported by ${bad}/templates/network.yaml (output VpcId) in environment staging: export names must be unique per region`,
      `templates/legacy-network.yaml 15:13 Export name production-VpcId is also exported by ${bad}/templates/network.yaml (output VpcId) in environment production: export names must be unique per region`,
    ]);
  });

  it('reports a literal export name two templates of a folder share', () => {
    const folder = rules('SP5004', 'folder');
    assert.deepEqual(projectFindings(folder, 'SP5004'), [
      `topics.yaml 10:13 Export name alerts-topic-arn is also exported by ${folder}/monitoring.yaml (output MonitoringTopicArn): export names must be unique per region`,
    ]);
  });

  it('accepts distinct names, and names made unique by the stack name', () => {
    assert.deepEqual(projectFindings(rules('SP5004', 'good'), 'SP5004'), []);
  });
});

describe('SP5005 circular dependency between stacks', () => {
  it('reports a cycle of dependsOn and ${stacks.X.name} references in the manifest', () => {
    assert.deepEqual(projectFindings(rules('SP5005', 'depends-on'), 'SP5005'), [
      'stackpilot.yaml 4:3 Circular dependency between stacks network, app, database: none of them can be deployed first',
    ]);
  });

  it('reports stacks that import each other', () => {
    assert.deepEqual(projectFindings(rules('SP5005', 'imports'), 'SP5005'), [
      'stackpilot.yaml 4:3 Circular dependency between stacks network, app: none of them can be deployed first',
    ]);
  });

  it('reports stacks of a bare folder that import each other, at the first template', () => {
    // Inside its project the folder stands for the project (found as git finds a repository): alone, it is a bare folder.
    const bare = temporaryFolder();
    cpSync(rules('SP5005', 'imports', 'templates'), bare, { recursive: true });
    assert.deepEqual(projectFindings(bare, 'SP5005'), [
      'app.yaml 1:1 Circular dependency between stacks app, network: none of them can be deployed first',
    ]);
  });

  it('reports templates that nest each other', () => {
    const nesting = rules('SP5005', 'nesting');
    assert.deepEqual(projectFindings(nesting, 'SP5005'), [
      `inner.yaml 6:3 Nested stacks form a loop (${nesting}/inner.yaml -> ${nesting}/outer.yaml -> ...): the stack would nest itself forever`,
    ]);
  });

  it('accepts stacks in a dependency order', () => {
    assert.deepEqual(projectFindings(rules('SP5005', 'good'), 'SP5005'), []);
  });
});

describe('SP5006 nested template not in the project', () => {
  it('errs in a manifest project, for a missing file and a URL without a readable file name', () => {
    const project = rules('SP5006', 'manifest');
    assert.deepEqual(projectFindings(project, 'SP5006'), [
      'templates/main.yaml 12:20 The TemplateURL of nested stack Network names network-stack.yaml, which is not a template of this project, so its parameters and outputs cannot be checked',
      'templates/main.yaml 16:20 The TemplateURL of nested stack Database does not end with a file name stackpilot can read, so its parameters and outputs cannot be checked',
    ]);
    assert.deepEqual(severities(project, 'SP5006'), ['error', 'error']);
  });

  it('warns in a bare folder', () => {
    const folder = rules('SP5006', 'folder');
    assert.deepEqual(projectFindings(folder, 'SP5006'), [
      'main.yaml 12:20 The TemplateURL of nested stack Network names network-stack.yaml, which is not a template of this project, so its parameters and outputs cannot be checked',
      'main.yaml 16:20 The TemplateURL of nested stack Database does not end with a file name stackpilot can read, so its parameters and outputs cannot be checked',
    ]);
    assert.deepEqual(severities(folder, 'SP5006'), ['warning', 'warning']);
  });

  it('says nothing about a single template', () => {
    assert.deepEqual(ruleFindings(rules('SP5006', 'folder', 'main.yaml'), 'SP5006'), []);
  });

  it("finds nested templates beside the parent and in the manifest's templates folder", () => {
    assert.deepEqual(projectFindings(rules('SP5006', 'good'), 'SP5006'), []);
  });
});

describe('SP5010 manifest', () => {
  it('reports schema errors at their place: bad values, unknown fields, bad region names', () => {
    const project = rules('SP5010', 'schema');
    assert.deepEqual(projectFindings(project, 'SP5010'), [
      'stackpilot.yaml 1:10 project: use lower-case letters, digits and -',
      'stackpilot.yaml 6:20 stacks.network.capabilities.0: Invalid option: expected one of "CAPABILITY_IAM"|"CAPABILITY_NAMED_IAM"|"CAPABILITY_AUTO_EXPAND"',
      'stackpilot.yaml 7:5 stacks.network: unknown field timeout (see docs/manifest.md)',
      'stackpilot.yaml 10:13 environments.production.region: expected an AWS region such as us-east-1',
      'stackpilot.yaml 11:5 environments.production: unknown field parameter (see docs/manifest.md)',
      'stackpilot.yaml 14:13 healthChecks.0.output: expected STACK.OUTPUT',
    ]);
    assert.ok(severities(project, 'SP5010').every((s) => s === 'error'));
  });

  it('reports required fields that are missing', () => {
    assert.deepEqual(projectFindings(rules('SP5010', 'missing-fields'), 'SP5010'), [
      'stackpilot.yaml 1:1 project: expected string (required)',
      'stackpilot.yaml 1:1 environments: expected record (required)',
    ]);
  });

  it('reports references to unknown stacks, missing files and unknown region names', () => {
    assert.deepEqual(projectFindings(rules('SP5010', 'references'), 'SP5010'), [
      'stackpilot.yaml 6:17 Stack network depends on itself',
      'stackpilot.yaml 6:26 Stack network depends on "database", which is not a stack of this project',
      'stackpilot.yaml 8:9 Parameter file parameters/production/network.json does not exist',
      'stackpilot.yaml 10:15 Template templates/app.yaml of stack app does not exist',
      'stackpilot.yaml 13:23 Stack app depends on "cache", which is not a stack of this project',
      'stackpilot.yaml 21:3 "europe" is not an AWS region name',
    ]);
  });

  it('reports a region overrides file that does not exist', () => {
    assert.deepEqual(projectFindings(rules('SP5010', 'regions-file'), 'SP5010'), [
      'stackpilot.yaml 10:10 Region overrides file parameters/regions.json does not exist',
    ]);
  });

  it('accepts a manifest with stack names, capabilities, tags, region lists, region overrides and health checks', () => {
    const good = rules('SP5010', 'good');
    assert.deepEqual(projectFindings(good, 'SP5010'), []);
    assert.deepEqual(findings(good).filter((d) => d.severity === 'error'), []);
  });
});
