import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pc from 'picocolors';
import { createRenderer } from '../../src/cli/render/index.ts';
import { deployProject, type DeployOptions } from '../../src/deploy/deploy.ts';
import type { DeployEvent } from '../../src/deploy/events.ts';
import { Redactor } from '../../src/redaction.ts';
import { assertInOrder, runCli, writeProject } from '../helpers.ts';

const table = (key: string) => `Resources:
  Entries:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      KeySchema: [{ AttributeName: ${key}, KeyType: HASH }]
      AttributeDefinitions: [{ AttributeName: ${key}, AttributeType: S }]
  Alerts:
    Type: AWS::SNS::Topic
`;

const project = () =>
  writeProject({
    'stackpilot.yaml': 'project: ledger\nstacks:\n  data: { template: data.yaml }\nenvironments:\n  dev: {}\n',
    'data.yaml': table('id'),
  });

async function deploy(dir: string, options: Partial<DeployOptions> = {}) {
  const events: DeployEvent[] = [];
  const report = await deployProject(dir, { target: 'local', concurrency: 4, yes: true, ...options }, (e) => events.push(e));
  return { report, events };
}

function renderPlain(events: DeployEvent[]): string {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk) => (text += chunk));
  const renderer = createRenderer({ secrets: new Redactor(), mode: 'plain', stream, colors: pc.createColors(false), now: () => 0 });
  for (const event of events) renderer.handle(event);
  renderer.finish();
  return text;
}

describe('a deploy that stops for confirmation', () => {
  it('without a terminal, says which stack, why (a failed create to replace) and that --yes goes ahead; --yes then does', async () => {
    const dir = project();
    const failed = await deploy(dir, { engine: { faults: [{ type: 'AWS::SNS::Topic', operation: 'create', reason: 'simulated: topic quota reached' }] } });
    assert.equal(failed.report.ok, false);

    const stopped = runCli(['deploy', dir], { env: { CI: 'true' } });
    assert.equal(stopped.code, 1, stopped.stderr);
    assert.match(stopped.stdout, /\? ledger-dev-data {2}stopped for confirmation; it failed to create \(ROLLBACK_COMPLETE\): replacing it deletes it, then creates it again; no terminal to ask on$/m);
    assert.match(stopped.stdout, /^Stopped for confirmation, nothing changed: ledger-dev-data\. Run the same command with --yes to go ahead/m);
    assert.doesNotMatch(stopped.stdout, /change set ready/);

    const confirmed = runCli(['deploy', dir, '--yes'], { env: { CI: 'true' } });
    assert.equal(confirmed.code, 0, confirmed.stdout);
    assert.match(confirmed.stdout, /✔ ledger-dev-data {2}CREATE_COMPLETE/);
  });

  it('names the table whose data a replacement deletes, and shows the data-safety warning about it at file:line:col first', async () => {
    const dir = project();
    assert.equal((await deploy(dir)).report.ok, true);
    writeFileSync(join(dir, 'data.yaml'), table('pk'));

    const r = runCli(['deploy', '.'], { cwd: dir, env: { CI: 'true' } });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /⚠ validation: 1 warning, 1 about data safety/);
    assert.match(r.stdout, /^\[\d\d:\d\d:\d\d\] {3}data\.yaml:2:3 {2}warning {2}SP3101 {2}Entries \(AWS::DynamoDB::Table\) holds data/m);
    assert.doesNotMatch(r.stdout, /0 warnings/);
    assert.match(r.stdout, /stopped for confirmation; it deletes the stored data of Entries \(AWS::DynamoDB::Table, replaced\); no terminal to ask on/);
    assertInOrder(r.stdout, 'SP3101', 'stopped for confirmation');
  });

  it('answered no, says cancelled by you and nothing changed, and leaves the table as it was', async () => {
    const dir = project();
    await deploy(dir);
    writeFileSync(join(dir, 'data.yaml'), table('pk'));
    const asked: string[] = [];
    const declined = await deploy(dir, { yes: false, ask: async (question) => (asked.push(question), false) });
    assert.equal(declined.report.ok, false);
    assert.match(asked[0], /ledger-dev-data: 1 change\(s\) delete stored data \(Entries\)/);
    const text = renderPlain(declined.events);
    assert.match(text, /– ledger-dev-data {2}cancelled by you, nothing changed$/m);
    assert.doesNotMatch(text, /awaiting confirmation|stopped for confirmation|--yes/);

    const again = await deploy(dir, { yes: false, ask: async () => false });
    assert.ok(again.events.some((e) => e.code === 'change-preview' && e.changes.some((c) => c.logicalId === 'Entries' && c.replacement === 'True')), 'the table still has its old key: the replacement is still to come');
  });
});
