import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pc from 'picocolors';
import type { DeployEvent } from '../../../src/deploy/events.ts';
import { createRenderer } from '../../../src/cli/render/index.ts';
import { Redactor } from '../../../src/redaction.ts';
import { collectingStream, T0 } from './deploy-events.ts';

const app = { stack: 'app', stackName: 'shop-dev-app' };
const web = { stack: 'web', stackName: 'shop-dev-web' };

/** A cancel of app's update while web, left by a failed create, needs another command. */
const RECOVERY: DeployEvent[] = [
  { code: 'stack-start', ...app, operation: 'cancel', resources: 0 },
  { code: 'resource', ...app, logicalId: 'Alerts', resourceType: 'AWS::SNS::Topic', status: 'UPDATE_FAILED', reason: 'Resource update cancelled', timestamp: new Date(T0), nestedPath: [] },
  {
    code: 'rollback-failures',
    ...app,
    failures: [{ logicalId: 'JobsTable', resourceType: 'AWS::DynamoDB::Table', reason: 'Table is being updated', nestedPath: ['DatabaseStack'], skipName: 'DatabaseStack.JobsTable' }],
  },
  { code: 'stack-done', ...app, outcome: 'failed', status: 'UPDATE_ROLLBACK_FAILED', reason: 'The following resource(s) failed to update: [DatabaseStack]. ', hint: 'Finish the rollback: `stackpilot rollback --stack app`', seconds: 3 },
  { code: 'stack-done', ...web, outcome: 'needs-action', status: 'ROLLBACK_COMPLETE', reason: 'its create failed and was rolled back', hint: 'Fix the cause, then `stackpilot deploy`.', seconds: 0 },
];

function render(mode: 'live' | 'plain' | 'json'): string {
  const stream = collectingStream({ columns: 200, rows: 40 });
  let time = T0;
  const renderer = createRenderer({ secrets: new Redactor(), mode, stream, colors: pc.createColors(false), now: () => time });
  for (const event of RECOVERY) {
    renderer.handle(event);
    time += 150;
  }
  renderer.finish();
  return stream.text();
}

describe('rollback and cancel in every view', () => {
  it('live: a cancelled update shows as rolling back, the failures to roll back stay above, and a stack needing another command ends with what to run', () => {
    const text = render('live');
    assert.match(text, /⠋ shop-dev-app {2}UPDATE_ROLLBACK_IN_PROGRESS {2}0 done {2}0s/, 'no total: a cancel has no change set to give one');
    assert.match(text, /shop-dev-app {2}1 resource failed to roll back\n {2}DatabaseStack\/JobsTable {2}AWS::DynamoDB::Table {2}Table is being updated {2}--skip DatabaseStack\.JobsTable\n/);
    assert.match(text, /! shop-dev-web {2}needs action \(ROLLBACK_COMPLETE\); its create failed and was rolled back\n {2}Fix the cause, then `stackpilot deploy`\.\n$/);
  });

  it('plain: one stamped line per event, needs action with its reason and hint', () => {
    const lines = render('plain').trimEnd().split('\n');
    assert.ok(lines.includes('[12:03:04] shop-dev-app  cancel started (0 resources)'));
    assert.ok(lines.includes('[12:03:04]   DatabaseStack/JobsTable  AWS::DynamoDB::Table  Table is being updated  --skip DatabaseStack.JobsTable'));
    assert.deepEqual(lines.slice(-2), ['[12:03:04] ! shop-dev-web  needs action (ROLLBACK_COMPLETE); its create failed and was rolled back', '[12:03:04]   Fix the cause, then `stackpilot deploy`.']);
  });

  it('json: the failures with their skip names, and the needs-action outcome', () => {
    const events = render('json').trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(events[2].failures, [{ logicalId: 'JobsTable', resourceType: 'AWS::DynamoDB::Table', reason: 'Table is being updated', nestedPath: ['DatabaseStack'], skipName: 'DatabaseStack.JobsTable' }]);
    assert.deepEqual([events[4].outcome, events[4].status, events[4].hint], ['needs-action', 'ROLLBACK_COMPLETE', 'Fix the cause, then `stackpilot deploy`.']);
  });
});
