import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pc from 'picocolors';
import { createRenderer } from '../../../src/cli/render/index.ts';
import { Redactor } from '../../../src/redaction.ts';
import { collectingStream, DEPLOY, REFUSED, T0 } from './deploy-events.ts';

describe('json renderer', () => {
  const stream = collectingStream();
  const renderer = createRenderer({ secrets: new Redactor(), mode: 'json', stream, colors: pc.createColors(true), now: () => T0 });
  for (const event of DEPLOY) renderer.handle(event);
  renderer.finish();
  const lines = stream.text().split('\n');

  it('writes one JSON object per line per event, nothing else', () => {
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, DEPLOY.length);
    assert.doesNotMatch(stream.text(), /\x1b/);
  });

  it('leads each object with the time, then the event, which parses back field for field', () => {
    lines.forEach((line, i) => {
      const { time, ...event } = JSON.parse(line) as Record<string, unknown>;
      assert.ok(line.startsWith('{"time":"2025-06-01T12:03:04.000Z","code":'), line);
      assert.equal(time, new Date(T0).toISOString());
      assert.deepEqual(event, JSON.parse(JSON.stringify(DEPLOY[i])));
    });
  });

  it('writes dates as ISO strings and leaves unset fields out', () => {
    const at = (code: string, status?: string) => JSON.parse(lines[DEPLOY.findIndex((e) => e.code === code && (!status || ('status' in e && e.status === status)))]) as Record<string, unknown>;
    const failed = at('resource', 'CREATE_FAILED');
    assert.equal(failed.status, 'CREATE_FAILED');
    assert.equal(failed.timestamp, '2025-06-01T12:03:59.000Z');
    const started = at('resource', 'CREATE_IN_PROGRESS');
    assert.equal(started.status, 'CREATE_IN_PROGRESS');
    assert.ok(!('reason' in started) && !('physicalId' in started));
    const preview = at('change-preview') as { changes?: Record<string, unknown>[] };
    assert.deepEqual(preview.changes?.[0], { action: 'Modify', logicalId: 'EventsTable', resourceType: 'AWS::DynamoDB::Table', replacement: 'True', causes: ['KeySchema', 'TableName'], nestedPath: [], dataAtRisk: true });
  });

  it('writes a backup\'s stack, resource, kind, id and count', () => {
    const backups = collectingStream();
    const json = createRenderer({ secrets: new Redactor(), mode: 'json', stream: backups, colors: pc.createColors(false), now: () => T0 });
    json.handle({ code: 'backup-done', stack: 'app', stackName: 'jobs-dev-app', logicalId: 'Jobs', nestedPath: [], kind: 's3-bucket', id: 'b-1', count: 2 });
    const { time: _time, ...event } = JSON.parse(backups.text()) as Record<string, unknown>;
    assert.deepEqual(event, { code: 'backup-done', stack: 'app', stackName: 'jobs-dev-app', logicalId: 'Jobs', nestedPath: [], kind: 's3-bucket', id: 'b-1', count: 2 });
  });

  it('writes why a stack did not deploy and what to do', () => {
    const refused = collectingStream();
    const json = createRenderer({ secrets: new Redactor(), mode: 'json', stream: refused, colors: pc.createColors(false), now: () => T0 });
    json.handle(REFUSED);
    const { reason, hint } = JSON.parse(refused.text()) as Record<string, unknown>;
    assert.deepEqual({ reason, hint }, { reason: 'CloudFormation CreateChangeSet failed: ValidationError: Parameters: [VpcId] must have values', hint: 'AWS refused the call: correct what the message names and run again.' });
  });

  it('writes a skipped health check as "ok": null with why it was skipped, and a deploy\'s validation warnings field for field', () => {
    const out = collectingStream();
    const json = createRenderer({ secrets: new Redactor(), mode: 'json', stream: out, colors: pc.createColors(false), now: () => T0 });
    json.handle({ code: 'health', check: 'url https://api.example.com/health', ok: null, detail: 'skipped: on the local target the endpoint exists only in AWS', skipped: 'on the local target the endpoint exists only in AWS' });
    json.handle({ code: 'validation-warnings', warnings: [{ file: 'templates/db.yaml', line: 12, column: 3, rule: 'SP3101', message: 'Jobs holds data', dataSafety: true }] });
    const [health, warnings] = out.text().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(health.ok, null);
    assert.equal(health.skipped, 'on the local target the endpoint exists only in AWS');
    assert.deepEqual(warnings.warnings, [{ file: 'templates/db.yaml', line: 12, column: 3, rule: 'SP3101', message: 'Jobs holds data', dataSafety: true }]);
  });
});
