import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import pc from 'picocolors';
import type { DeployEvent } from '../../src/deploy/events.ts';
import { chooseMode, createRenderer } from '../../src/cli/render/index.ts';
import { Redactor } from '../../src/redaction.ts';

function collect() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk) => (text += chunk));
  return { stream, text: () => text };
}

const at = new Date('2026-11-22T10:00:00Z');
const events: DeployEvent[] = [
  { code: 'stack-start', stack: 'db', stackName: 'shop-dev-db', operation: 'create', resources: 2 },
  { code: 'resource', stack: 'db', stackName: 'shop-dev-db', logicalId: 'Jobs', resourceType: 'AWS::DynamoDB::Table', status: 'CREATE_COMPLETE', timestamp: at, nestedPath: [] },
  { code: 'resource', stack: 'db', stackName: 'shop-dev-db', logicalId: 'Queue', resourceType: 'AWS::SQS::Queue', status: 'CREATE_FAILED', reason: 'quota reached', timestamp: at, nestedPath: ['Inner'] },
  { code: 'stack-done', stack: 'db', stackName: 'shop-dev-db', outcome: 'failed', status: 'ROLLBACK_COMPLETE', firstFailure: { logicalId: 'Queue', reason: 'quota reached', nestedPath: ['Inner'] }, seconds: 3 },
];

describe('the live terminal view', () => {
  it('redraws a line per stack in place, prints failures above it, and leaves a final picture', () => {
    const out = collect();
    const renderer = createRenderer({ secrets: new Redactor(), mode: 'live', stream: out.stream, colors: pc.createColors(false), now: () => at.getTime() });
    for (const event of events) renderer.handle(event);
    renderer.finish();
    const text = out.text();
    assert.match(text, /\x1b\[1A\x1b\[0J/, 'moves the cursor up to redraw');
    assert.match(text, /shop-dev-db {2}CREATE_FAILED {2}AWS::SQS::Queue {2}Inner\/Queue {2}quota reached/);
    assert.match(text, /first failure: Inner\/Queue: quota reached/);
    const last = text.trimEnd().split('\n').at(-1)!;
    assert.match(last, /(^|\x1b\[0J)✖ shop-dev-db {2}failed \(ROLLBACK_COMPLETE\) in 3s, 1\/2 resources; first failure: Inner\/Queue: quota reached$/, 'the final line sums the stack up');
  });

  it('colours only when given colour, and picks plain lines for CI and pipes', () => {
    const out = collect();
    const renderer = createRenderer({ secrets: new Redactor(), mode: 'plain', stream: out.stream, colors: pc.createColors(true), now: () => at.getTime() });
    renderer.handle(events[2]);
    renderer.finish();
    assert.match(out.text(), /\x1b\[31mCREATE_FAILED/);
    const tty = { isTTY: true } as NodeJS.WriteStream;
    assert.equal(chooseMode({ json: false, stream: tty, env: {} }), 'live');
    assert.equal(chooseMode({ json: false, stream: tty, env: { CI: 'true' } }), 'plain');
    assert.equal(chooseMode({ json: false, stream: { isTTY: false } as NodeJS.WriteStream, env: {} }), 'plain');
    assert.equal(chooseMode({ json: true, stream: tty, env: {} }), 'json');
  });
});
