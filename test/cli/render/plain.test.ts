import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pc from 'picocolors';
import type { DeployEvent } from '../../../src/deploy/events.ts';
import { chooseMode, createRenderer } from '../../../src/cli/render/index.ts';
import { Redactor } from '../../../src/redaction.ts';
import { collectingStream, DEPLOY, REFUSED, T0 } from './deploy-events.ts';

function renderPlain(events: DeployEvent[], colour: boolean): string {
  const stream = collectingStream();
  const renderer = createRenderer({ secrets: new Redactor(), mode: 'plain', stream, colors: pc.createColors(colour), now: () => T0 });
  for (const event of events) renderer.handle(event);
  renderer.finish();
  return stream.text();
}

const S = 'concert-platform-storage-development';
const C = 'concert-platform-compute-development';
const M = 'concert-platform-monitoring-development';

describe('plain renderer', () => {
  it('writes one stable line per event, stamped with the time, previews as tables, outputs as Key = value', () => {
    const expected = [
      '▶ package: Packaging 1 nested template',
      'packaged: 1 template uploaded, 2 unchanged (s3://concert-platform-cfn-123456789012-us-east-1)',
      '▶ deploy: Deploying 3 stacks',
      `${S}  change preview: 2 changes, 1 with data at risk`,
      '  Action  Logical ID     Type                  Replacement  Causes',
      '  Modify  EventsTable    AWS::DynamoDB::Table  True         KeySchema, TableName  ⚠ data at risk',
      '  Add     RawDataBucket  AWS::S3::Bucket       -            -',
      `${S}  update started (2 resources)`,
      `${S}  CREATE_IN_PROGRESS  AWS::S3::Bucket  RawDataBucket`,
      `${C}  change preview: 2 changes`,
      '  Action  Logical ID               Type                        Replacement  Causes',
      '  Add     ApiStack                 AWS::CloudFormation::Stack  -            -',
      '  Add     ApiStack/HealthFunction  AWS::Lambda::Function       -            -',
      `${C}  create started (1 resource)`,
      `${C}  CREATE_IN_PROGRESS  AWS::CloudFormation::Stack  ApiStack`,
      `${C}  CREATE_IN_PROGRESS  AWS::Lambda::Function  ApiStack/HealthFunction`,
      `${S}  UPDATE_IN_PROGRESS  AWS::DynamoDB::Table  EventsTable  Requested update requires the creation of a new physical resource; hence creating one.`,
      `${S}  CREATE_COMPLETE  AWS::S3::Bucket  RawDataBucket`,
      `${S}  UPDATE_COMPLETE  AWS::DynamoDB::Table  EventsTable`,
      `✔ ${S}  UPDATE_COMPLETE in 42s`,
      `${S}  RawDataBucketName = concert-platform-raw-data-development`,
      `${S}  EventsTableName = concert-platform-events-development`,
      `${M}  create started (1 resource)`,
      `${M}  CREATE_IN_PROGRESS  AWS::SNS::Topic  AlarmTopic`,
      `${C}  CREATE_COMPLETE  AWS::Lambda::Function  ApiStack/HealthFunction`,
      `${M}  CREATE_FAILED  AWS::SNS::Topic  AlarmTopic  Resource handler returned message: "Invalid parameter: KmsMasterKeyId" (Service: Sns, Status Code: 400)`,
      `${C}  CREATE_COMPLETE  AWS::CloudFormation::Stack  ApiStack`,
      `✔ ${C}  CREATE_COMPLETE in 63s`,
      `${C}  ApiUrl = https://abc123.execute-api.us-east-1.amazonaws.com/development`,
      `✖ ${M}  failed (ROLLBACK_COMPLETE) in 21s; first failure: AlarmTopic: Invalid parameter: KmsMasterKeyId`,
      '▶ health: Checking 1 endpoint',
      '✔ GET ApiUrl/health  200 in 84 ms',
      `⚠ warning: ${M} is in ROLLBACK_COMPLETE: delete it before deploying again`,
    ];
    assert.deepEqual(renderPlain(DEPLOY, false).split('\n'), [...expected.map((line) => `[12:03:04] ${line}`), '']);
  });

  it('uses colour only when the Colors given have it, and never moves the cursor', () => {
    const plain = renderPlain(DEPLOY, false);
    assert.doesNotMatch(plain, /\x1b\[/);
    const coloured = renderPlain(DEPLOY, true);
    assert.match(coloured, /\x1b\[31mCREATE_FAILED\x1b\[39m/);
    assert.match(coloured, /\x1b\[1m\x1b\[31m⚠ data at risk/);
    assert.doesNotMatch(coloured, /\x1b\[\d*[ABJK]/);
    assert.equal(coloured.replace(/\x1b\[\d+m/g, ''), plain);
  });

  it('shows the other outcomes, empty previews, failed health checks and skipped ones as skipped (never a tick)', () => {
    const stack = { stack: 'tracing', stackName: 'concert-platform-tracing-development' };
    const text = renderPlain(
      [
        { code: 'change-preview', ...stack, changes: [] },
        { code: 'stack-done', ...stack, outcome: 'no-changes', status: 'UPDATE_COMPLETE', seconds: 3 },
        { code: 'stack-done', ...stack, outcome: 'not-started', seconds: 0 },
        { code: 'stack-done', ...stack, outcome: 'awaiting-confirmation', seconds: 5 },
        { code: 'health', check: 'GET ApiUrl/health', ok: false, detail: '503 after 3 tries' },
        { code: 'health', check: 'url https://api.example.com/health', ok: null, detail: 'skipped: on the local target the endpoint exists only in AWS', skipped: 'on the local target the endpoint exists only in AWS' },
        { code: 'outputs', ...stack, outputs: {} },
      ],
      false,
    );
    assert.deepEqual(text.split('\n'), [
      '[12:03:04] concert-platform-tracing-development  change preview: no changes',
      '[12:03:04] ✔ concert-platform-tracing-development  no changes',
      '[12:03:04] – concert-platform-tracing-development  not started',
      '[12:03:04] ? concert-platform-tracing-development  stopped for confirmation',
      '[12:03:04] ✖ GET ApiUrl/health  503 after 3 tries',
      '[12:03:04] - url https://api.example.com/health  skipped: on the local target the endpoint exists only in AWS',
      '',
    ]);
  });

  it('says why a stack did not deploy when no resource failed, and what to do', () => {
    const stack = { stack: 'tracing', stackName: 'concert-platform-tracing-development' };
    const text = renderPlain(
      [
        REFUSED,
        { code: 'stack-done', ...stack, outcome: 'awaiting-confirmation', reason: 'it deletes the stored data of Jobs (AWS::DynamoDB::Table, replaced); no terminal to ask on', hint: 'Nothing was changed. Run the deploy again with --yes to go ahead, or on a terminal to be asked.', seconds: 1 },
      ],
      false,
    );
    assert.deepEqual(text.split('\n'), [
      `[12:03:04] ✖ ${C}  failed in 0s; CloudFormation CreateChangeSet failed: ValidationError: Parameters: [VpcId] must have values`,
      '[12:03:04]   AWS refused the call: correct what the message names and run again.',
      '[12:03:04] ? concert-platform-tracing-development  stopped for confirmation; it deletes the stored data of Jobs (AWS::DynamoDB::Table, replaced); no terminal to ask on',
      '[12:03:04]   Nothing was changed. Run the deploy again with --yes to go ahead, or on a terminal to be asked.',
      '',
    ]);
  });

  it('shows each backup as it starts and once it is complete, with its count and id', () => {
    const table = { stack: 'app', stackName: 'plot-palette-development', logicalId: 'JobsTable', nestedPath: ['Storage'], kind: 'dynamodb-table' as const };
    const text = renderPlain([
      { code: 'backup-start', ...table, physicalId: 'plot-palette-jobs-development' },
      { code: 'backup-done', ...table, id: '20261130t121500z-jobs-a1b2', count: 1 },
    ], false);
    assert.deepEqual(text.split('\n'), [
      '[12:03:04] plot-palette-development  backing up Storage/JobsTable (DynamoDB table plot-palette-jobs-development)',
      '[12:03:04] plot-palette-development  ✔ backed up Storage/JobsTable: 1 item (backup 20261130t121500z-jobs-a1b2)',
      '',
    ]);
  });

  it('runs a question straight away: there is no region to take away', async () => {
    const stream = collectingStream();
    const renderer = createRenderer({ secrets: new Redactor(), mode: 'plain', stream, colors: pc.createColors(false), now: () => T0 });
    assert.equal(await renderer.whilePaused(async () => 42), 42);
    assert.equal(stream.text(), '');
  });

  it('prints only the fields events declare, whatever else an event object carries', () => {
    const leaky = { ...DEPLOY[5], ResourceProperties: '{"MasterUserPassword":"hunter2"}' } as unknown as DeployEvent;
    for (const mode of ['plain', 'json', 'live'] as const) {
      const stream = collectingStream();
      const renderer = createRenderer({ secrets: new Redactor(), mode, stream, colors: pc.createColors(false), now: () => T0 });
      renderer.handle(leaky);
      renderer.finish();
      assert.match(stream.text(), /concert-platform-storage-development/, mode);
      assert.doesNotMatch(stream.text(), /hunter2|ResourceProperties/, mode);
    }
  });
});

describe('chooseMode', () => {
  const tty = { isTTY: true } as NodeJS.WriteStream;
  const pipe = { isTTY: false } as NodeJS.WriteStream;

  it('picks json with --json, whatever the terminal', () => {
    assert.equal(chooseMode({ json: true, stream: tty, env: {} }), 'json');
    assert.equal(chooseMode({ json: true, stream: pipe, env: { CI: 'true' } }), 'json');
  });

  it('picks plain off a terminal or in CI, and live on a terminal', () => {
    assert.equal(chooseMode({ json: false, stream: pipe, env: {} }), 'plain');
    assert.equal(chooseMode({ json: false, stream: tty, env: { CI: 'true' } }), 'plain');
    assert.equal(chooseMode({ json: false, stream: tty, env: { CI: '1' } }), 'plain');
    assert.equal(chooseMode({ json: false, stream: tty, env: { TERM: 'dumb' } }), 'plain');
    assert.equal(chooseMode({ json: false, stream: tty, env: {} }), 'live');
  });

  it('reads CI=false, CI=0 and an empty CI as no CI', () => {
    for (const CI of ['false', 'FALSE', '0', '']) assert.equal(chooseMode({ json: false, stream: tty, env: { CI } }), 'live', `CI=${CI}`);
  });

  it('names each drifted resource an update resets, property by property, and a drift check that failed', () => {
    const app = { stack: 'data', stackName: 'shop-data' };
    const text = renderPlain([
      {
        code: 'drift-warning',
        ...app,
        resources: [
          { logicalId: 'JobsTable', resourceType: 'AWS::DynamoDB::Table', nestedPath: [], status: 'MODIFIED', properties: [{ path: '/BillingMode', expected: 'PROVISIONED', actual: 'PAY_PER_REQUEST' }] },
          { logicalId: 'Bucket', resourceType: 'AWS::S3::Bucket', nestedPath: ['Storage'], status: 'MODIFIED', properties: [{ path: '/VersioningConfiguration/Status', expected: 'Enabled', actual: 'Suspended' }, { path: '/Tags/0', expected: '{"Key":"team","Value":"a"}', actual: 'null' }] },
          { logicalId: 'Flag', resourceType: 'AWS::SSM::Parameter', nestedPath: [], status: 'DELETED', properties: [] },
        ],
      },
      { code: 'drift-warning', ...app, resources: [], reason: 'Storage: CloudFormation DetectStackDrift failed: Throttling: Rate exceeded' },
    ], false);
    assert.deepEqual(text.split('\n'), [
      '[12:03:04] ⚠ drift  shop-data  JobsTable: BillingMode (PROVISIONED → PAY_PER_REQUEST) changed outside CloudFormation; this update resets it',
      '[12:03:04] ⚠ drift  shop-data  Storage/Bucket: VersioningConfiguration/Status (Enabled → Suspended), Tags/0 ({"Key":"team","Value":"a"} → null) changed outside CloudFormation; this update resets them',
      '[12:03:04] ⚠ drift  shop-data  Flag: deleted outside CloudFormation; this update expects it to exist and may fail on it',
      '[12:03:04] ⚠ drift  shop-data  drift could not be checked: Storage: CloudFormation DetectStackDrift failed: Throttling: Rate exceeded',
      '',
    ]);
  });
});
