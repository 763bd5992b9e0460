import { GetParameterCommand, GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { REFRESHED_SERVICES_FILE, readRefreshedServices, type RefreshedServices } from '../../src/regions/refreshed-services.ts';
import { refreshRegionServices } from '../../src/regions/service-refresh.ts';
import { copyExample, ruleFindings, runCli, writeProject } from '../helpers.ts';
import { APPSYNC_API, manifest } from './projects.ts';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n${APPSYNC_API}`;
const MANIFEST = manifest('us-east-1, mx-central-1');

describe('the global-infrastructure public parameters of the local SSM', () => {
  let local: LocalAws;
  let ssm: SSMClient;
  before(async () => {
    local = await LocalAws.open();
    ssm = new SSMClient(local.clientConfig('us-east-1'));
  });
  after(async () => {
    ssm.destroy();
    await local.close();
  });

  const servicesOf = async (region: string) => {
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await ssm.send(new GetParametersByPathCommand({ Path: `/aws/service/global-infrastructure/regions/${region}/services`, NextToken: token }));
      assert.ok((page.Parameters ?? []).length <= 10, 'at most 10 a page, as AWS');
      names.push(...(page.Parameters ?? []).map((p) => `${p.Name} = ${p.Value}`));
      token = page.NextToken;
      pages++;
    } while (token);
    return { names, pages };
  };

  it("lists a region's services page by page, as GetParametersByPath does on AWS", async () => {
    const { names, pages } = await servicesOf('us-east-1');
    assert.ok(pages > 10, `${pages} pages`);
    assert.ok(names.includes('/aws/service/global-infrastructure/regions/us-east-1/services/dynamodb = dynamodb'));
    assert.ok(names.includes('/aws/service/global-infrastructure/regions/us-east-1/services/appsync = appsync'));
    assert.deepEqual(names, [...names].sort(), 'sorted by name');
    assert.equal(new Set(names).size, names.length, 'no parameter twice across pages');
    const mexico = await servicesOf('mx-central-1');
    assert.ok(mexico.names.some((n) => n.endsWith('/services/dynamodb = dynamodb')));
    assert.ok(!mexico.names.some((n) => n.endsWith('/services/appsync = appsync')), 'AppSync is not in mx-central-1 in the bundled data');
  });

  it('answers the regions of a service, the region list and a single parameter', async () => {
    const regions = await ssm.send(new GetParametersByPathCommand({ Path: '/aws/service/global-infrastructure/services/appsync/regions', MaxResults: 10 }));
    assert.deepEqual(regions.Parameters!.slice(0, 2).map((p) => p.Value), ['af-south-1', 'ap-east-1']);
    const all = await ssm.send(new GetParametersByPathCommand({ Path: '/aws/service/global-infrastructure/regions' }));
    assert.deepEqual(all.Parameters!.map((p) => p.Value).slice(0, 3), ['af-south-1', 'ap-east-1', 'ap-east-2']);
    const one = await ssm.send(new GetParameterCommand({ Name: '/aws/service/global-infrastructure/regions/eu-west-1/services/s3' }));
    assert.equal(one.Parameter!.Value, 's3');
  });

  it('refreshes the services of the target regions into the project, and validation then reads them', async () => {
    const dir = writeProject({ 'stackpilot.yaml': MANIFEST, 'app.yaml': TEMPLATE });
    const { file, regions } = await refreshRegionServices(ssm, ['us-east-1', 'mx-central-1'], { projectRoot: dir, target: 'local', now: new Date('2026-11-30T12:00:00Z') });
    assert.equal(file, join(dir, REFRESHED_SERVICES_FILE));
    assert.ok(regions.get('us-east-1')!.includes('appsync'));
    const saved = readRefreshedServices(dir)!.refreshed;
    assert.equal(saved.refreshedAt, '2026-11-30T12:00:00.000Z');
    assert.equal(saved.target, 'local');
    assert.deepEqual(ruleFindings(dir, 'SP5008'), ['4:11 AWS::AppSync::GraphQLApi (resource Api of stack app) is not offered in mx-central-1 (AWS listed no appsync service there at the refresh of 2026-11-30)']);

    // AWS launching the service in the region (a newer refresh) lifts the finding the bundled data would give.
    const newer = JSON.parse(readFileSync(file, 'utf8')) as RefreshedServices;
    newer.regions['mx-central-1'].push('appsync');
    writeFileSync(file, JSON.stringify(newer));
    assert.deepEqual(ruleFindings(dir, 'SP5008'), []);
  });

  it('stops validation with a hint when the saved file is damaged, rather than falling back unseen', () => {
    const dir = writeProject({ 'stackpilot.yaml': MANIFEST, 'app.yaml': TEMPLATE, [REFRESHED_SERVICES_FILE]: '{"regions": ' });
    const run = runCli(['validate', dir]);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /region-services\.json is not a region services file stackpilot wrote\n {2}Run `stackpilot regions refresh` again, or delete the file/);
  });

  it('leaves out a region AWS lists nothing for, and saves nothing when it lists no region at all', async () => {
    const dir = writeProject({ 'stackpilot.yaml': MANIFEST, 'app.yaml': TEMPLATE });
    await assert.rejects(refreshRegionServices(ssm, ['xx-nowhere-1'], { projectRoot: dir, target: 'local' }), /AWS lists no services in xx-nowhere-1/);
    assert.equal(readRefreshedServices(dir), undefined);
    const { unlisted } = await refreshRegionServices(ssm, ['us-east-1', 'xx-nowhere-1'], { projectRoot: dir, target: 'local' });
    assert.deepEqual(unlisted, ['xx-nowhere-1']);
    assert.deepEqual(Object.keys(readRefreshedServices(dir)!.refreshed.regions), ['us-east-1']);
  });
});

describe('stackpilot regions refresh', () => {
  it("saves the services of every region plot-palette deploys to, and the project still validates clean", () => {
    const dir = copyExample('plot-palette');
    const run = runCli(['regions', 'refresh', dir, '--target', 'local']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^us-east-1: \d+ services\nus-west-2: \d+ services\nsaved .*region-services\.json\n$/);
    assert.deepEqual(Object.keys(readRefreshedServices(dir)!.refreshed.regions), ['us-east-1', 'us-west-2']);
    const validate = runCli(['validate', dir]);
    assert.equal(validate.code, 0, validate.stdout);
  });

  it('exits 3 with a hint for a project that names no region', () => {
    const dir = writeProject({ 'app.yaml': TEMPLATE });
    const run = runCli(['regions', 'refresh', dir]);
    assert.equal(run.code, 3);
    assert.match(run.stderr, /names no region to refresh/);
  });
});
