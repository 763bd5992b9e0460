import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bundledRegionTypes, modelAvailability, typeAvailability } from '../../src/regions/availability.ts';
import { REPO, ruleFindings, runCli, writeProject } from '../helpers.ts';
import { APPSYNC_API, manifest } from './projects.ts';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
${APPSYNC_API}`;

describe('SP5008: resource types each target region offers', () => {
  it('reports a type a region of the environment does not offer, at its Type, for that region only', () => {
    // AppSync is not in mx-central-1 in the bundled data (cfn-lint schemas of 2026-06-15); DynamoDB is everywhere.
    const dir = writeProject({ 'stackpilot.yaml': manifest('us-east-1, mx-central-1'), 'app.yaml': TEMPLATE });
    assert.deepEqual(ruleFindings(dir, 'SP5008'), ['12:11 AWS::AppSync::GraphQLApi (resource Api of stack app) is not offered in mx-central-1 (CloudFormation resource types of 2026-06-15)']);
  });

  it('passes the same project deployed to regions that offer every type', () => {
    const dir = writeProject({ 'stackpilot.yaml': manifest('us-east-1, eu-west-1'), 'app.yaml': TEMPLATE });
    assert.deepEqual(ruleFindings(dir, 'SP5008'), []);
  });

  it('checks the region chosen with --region alone, and a stack pinned to its own region there', () => {
    const dir = writeProject({ 'stackpilot.yaml': manifest('us-east-1, eu-west-1'), 'app.yaml': TEMPLATE });
    assert.equal(ruleFindings(dir, 'SP5008', { region: 'mx-central-1' }).length, 1);
    const pinned = writeProject({ 'stackpilot.yaml': manifest('us-east-1').replace('template: app.yaml', 'template: app.yaml\n    region: us-gov-west-1'), 'app.yaml': TEMPLATE });
    assert.deepEqual(ruleFindings(pinned, 'SP5008'), ['12:11 AWS::AppSync::GraphQLApi (resource Api of stack app) is not offered in us-gov-west-1 (CloudFormation resource types of 2026-06-15)']);
  });

  it('stops deploy before anything is touched, naming the region', () => {
    const dir = writeProject({ 'stackpilot.yaml': manifest('us-east-1, mx-central-1'), 'app.yaml': TEMPLATE });
    const run = runCli(['deploy', dir], { env: { CI: 'true' } });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stdout, /12:11 +error +SP5008 +AWS::AppSync::GraphQLApi \(resource Api of stack app\) is not offered in mx-central-1/);
    assert.match(run.stdout, /Nothing was deployed/);
    assert.ok(!existsSync(join(dir, '.stackpilot', 'local')), 'the local engine was never opened');
  });

  it('says nothing of a template checked without a region, or of regions the data does not cover', () => {
    const dir = writeProject({ 'app.yaml': TEMPLATE });
    assert.deepEqual(ruleFindings(join(dir, 'app.yaml'), 'SP5008'), []);
    assert.deepEqual(typeAvailability('AWS::AppSync::GraphQLApi', 'us-iso-east-1'), { offered: undefined });
    assert.deepEqual(typeAvailability('Custom::Thing', 'mx-central-1'), { offered: true });
  });
});

describe('SP5008: Bedrock models the region overrides name', () => {
  const overrides = `{
  "us-east-1": {
    "BedrockModels": ["anthropic.claude-3-5-sonnet", "meta.llama3-1-70b"]
  },
  "sa-east-1": {
    "BedrockModels": [
      "anthropic.claude-3-haiku-20240307-v1:0",
      "meta.llama3-1-70b"
    ]
  }
}
`;

  it('reports a model the region does not offer at its line in regions.json', () => {
    const dir = writeProject({ 'stackpilot.yaml': `${manifest('us-east-1, sa-east-1')}regions: regions.json\n`, 'app.yaml': TEMPLATE.replace(/ {2}Api:[^]*$/, ''), 'regions.json': overrides });
    assert.deepEqual(ruleFindings(dir, 'SP5008'), ['8:7 Bedrock model meta.llama3-1-70b (BedrockModels for sa-east-1) is not offered in sa-east-1: offered in us-east-1, us-east-2, us-west-2 (Bedrock models of 2026-11-30)']);
  });

  it('reads families, full ids and inference profiles, and leaves unknown names alone', () => {
    assert.equal(modelAvailability('anthropic.claude-3-5-sonnet', 'us-west-2').offered, true);
    assert.equal(modelAvailability('us.anthropic.claude-3-5-haiku-20241022-v1:0', 'us-east-2').offered, true);
    assert.equal(modelAvailability('anthropic.claude-3-opus-20240229-v1:0', 'eu-west-1').offered, false);
    assert.equal(modelAvailability('anthropic.claude-99', 'eu-west-1').offered, undefined);
    // An inference profile is called from its geography's regions only.
    assert.equal(modelAvailability('eu.anthropic.claude-3-5-sonnet-20240620-v1:0', 'eu-west-3').offered, true);
    assert.equal(modelAvailability('us.anthropic.claude-3-5-sonnet-20240620-v1:0', 'eu-west-3').offered, false);
  });
});

describe('the bundled region data', () => {
  it('records its source commit and date, and has the shape scripts/build-region-types.mjs writes', () => {
    const data = bundledRegionTypes().data;
    assert.match(data.source, /^aws-cloudformation\/cfn-lint@[0-9a-f]{40}$/);
    assert.match(data.date, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(data.regions.includes('us-east-1') && data.regions.includes('eu-west-1') && data.regions.length >= 30, data.regions.join(' '));
    assert.ok(data.typeCount > 1000);
    assert.ok(Object.keys(data.missing).length > 100, 'types some regions lack are listed');
    for (const [type, list] of Object.entries(data.missing)) {
      const regions = list.replace(/^\+ /, '').split(' ');
      assert.ok(regions.length > 0 && regions.every((r) => data.regions.includes(r)), `${type}: ${list}`);
    }
    // The script names the commit it defaults to, so a rerun without arguments rebuilds this very file.
    assert.ok(readFileSync(join(REPO, 'scripts', 'build-region-types.mjs'), 'utf8').includes(data.source.split('@')[1]));
  });

  it('finds every type and model of the reference projects offered in each of their regions', () => {
    for (const name of ['plot-palette', 'concert-platform', 'collab-platform']) assert.deepEqual(ruleFindings(join(REPO, 'examples', name), 'SP5008'), [], name);
  });
});
