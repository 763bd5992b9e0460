import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import pc from 'picocolors';
import type { DeployEvent } from '../../../src/deploy/events.ts';
import { stripAnsi, visibleLength } from '../../../src/cli/render/columns.ts';
import { createRenderer } from '../../../src/cli/render/index.ts';
import { Redactor } from '../../../src/redaction.ts';
import { collectingStream, DEPLOY, REFUSED, T0 } from './deploy-events.ts';

/** Cursor up over the region drawn last (or to the line start when none is), then erase below. */
const ERASE = /(?:\x1b\[\d+A|\r)\x1b\[0J/;
const EVERY_ERASE = new RegExp(ERASE, 'g');

/** Feeds the events 150 ms apart (past the redraw interval, so every event redraws). */
function renderLive(events: DeployEvent[], options: { colour?: boolean; columns?: number; rows?: number } = {}) {
  const stream = collectingStream({ columns: options.columns, rows: options.rows });
  let time = T0;
  const renderer = createRenderer({ secrets: new Redactor(), mode: 'live', stream, colors: pc.createColors(options.colour ?? false), now: () => time });
  for (const event of events) {
    renderer.handle(event);
    time += 150;
  }
  return { stream, renderer };
}

const frames = (text: string) => text.split(ERASE).slice(1);
const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe('live renderer', () => {
  it('redraws a region of one line per stack in place, and ends with a summary line per stack', () => {
    const { stream, renderer } = renderLive(DEPLOY);
    renderer.finish();
    const text = stream.text();
    assert.match(text, /\x1b\[1A\x1b\[0J/);
    assert.match(text, /\x1b\[3A\x1b\[0J/);
    assert.deepEqual(frames(text).at(-1)!.split('\n'), [
      '✔ concert-platform-storage-development  UPDATE_COMPLETE in 42s, 2/2 resources',
      '✔ concert-platform-compute-development  CREATE_COMPLETE in 63s, 2/2 resources',
      '✖ concert-platform-monitoring-development  failed (ROLLBACK_COMPLETE) in 21s, 0/1 resources; first failure: AlarmTopic: Invalid parameter: KmsMasterKeyId',
      '',
    ]);
  });

  it('shows each stack with its status, resources done of a total that grows with nested stacks, failures, and elapsed time', () => {
    const { stream, renderer } = renderLive(DEPLOY);
    renderer.finish();
    const lines = frames(stream.text()).flatMap((frame) => frame.split('\n'));
    assert.ok(lines.includes('⠦ concert-platform-storage-development  UPDATE_IN_PROGRESS  1/2  1s'), 'a done resource counts');
    assert.ok(lines.includes('⠋ concert-platform-compute-development  CREATE_IN_PROGRESS  0/1  0s'), 'total from stack-start');
    assert.ok(lines.includes('⠸ concert-platform-compute-development  CREATE_IN_PROGRESS  0/2  0s'), 'a nested resource adds to the total');
    assert.ok(lines.includes('⠧ concert-platform-monitoring-development  CREATE_IN_PROGRESS  0/1  1 failed  0s'), 'failed resources are counted');
    assert.ok(lines.includes('✖ concert-platform-monitoring-development  ROLLBACK_COMPLETE  0/1  21s'), 'a failed stack keeps its line until the end');
  });

  it('prints failures, warnings, previews and outputs once, above the region', () => {
    const { stream, renderer } = renderLive(DEPLOY);
    renderer.finish();
    const text = stream.text();
    const count = (needle: string) => text.split(needle).length - 1;
    assert.equal(count('✖ concert-platform-monitoring-development  CREATE_FAILED  AWS::SNS::Topic  AlarmTopic  Resource handler returned message'), 1);
    assert.equal(count('⚠ warning: concert-platform-monitoring-development is in ROLLBACK_COMPLETE'), 1);
    assert.equal(count('  Modify  EventsTable    AWS::DynamoDB::Table  True         KeySchema, TableName  ⚠ data at risk\n'), 1);
    assert.equal(count('✔ GET ApiUrl/health  200 in 84 ms\n'), 1);
    assert.ok(text.includes('Outputs of concert-platform-compute-development\n  Key     Value\n  ApiUrl  https://abc123.execute-api.us-east-1.amazonaws.com/development\n'));
    // A permanent line comes right after a clear, before the region is drawn again.
    assert.ok(frames(text).some((frame) => frame.startsWith('⚠ warning:')));
  });

  it('prints a stack failure no resource showed above the region at once, and ends with it and what to do', () => {
    const { stream, renderer } = renderLive([DEPLOY[7], REFUSED]);
    const refusal = '✖ concert-platform-compute-development  failed in 0s; CloudFormation CreateChangeSet failed: ValidationError: Parameters: [VpcId] must have values';
    assert.ok(frames(stream.text()).at(-1)!.startsWith(`${refusal}\n  AWS refused the call`), 'above the region before finish()');
    renderer.finish();
    assert.deepEqual(frames(stream.text()).at(-1)!.split('\n'), [refusal.replace('in 0s', 'in 0s, 0/1 resources'), '  AWS refused the call: correct what the message names and run again.', '']);
  });

  it('owns a timer that redraws between events and is gone after finish()', async () => {
    const before = timers();
    const stream = collectingStream();
    const renderer = createRenderer({ secrets: new Redactor(), mode: 'live', stream, colors: pc.createColors(false), now: () => T0 });
    try {
      const [start, creating, created] = [4, 5, 11].map((i) => DEPLOY[i]);
      assert.deepEqual([start.code, creating.code, created.code], ['stack-start', 'resource', 'resource']);
      renderer.handle(start); // drawn at once
      renderer.handle(creating); // the clock stands still, so these are left to the timer
      renderer.handle(created);
      assert.equal(timers(), before + 1);
      assert.match(frames(stream.text()).at(-1)!, /storage-development {2}UPDATE_IN_PROGRESS {2}0\/2/);
      await sleep(250);
      assert.match(frames(stream.text()).at(-1)!, /storage-development {2}UPDATE_IN_PROGRESS {2}1\/2/);
    } finally {
      renderer.finish();
    }
    assert.equal(timers(), before);
    const length = stream.text().length;
    renderer.handle(DEPLOY.at(-1)!);
    renderer.finish();
    await sleep(150);
    assert.equal(stream.text().length, length, 'nothing is written after finish()');
    assert.equal(frames(stream.text()).at(-1)!, '… concert-platform-storage-development  did not finish, 1/2 resources\n');
  });

  it('hands the terminal over to a question: pending lines printed, region erased, no redraws until it is answered', async () => {
    const stream = collectingStream();
    const renderer = createRenderer({ secrets: new Redactor(), mode: 'live', stream, colors: pc.createColors(false), now: () => T0 });
    try {
      const preview = DEPLOY.find((e) => e.code === 'change-preview' && e.stack === 'compute')!;
      renderer.handle(DEPLOY.find((e) => e.code === 'stack-start' && e.stack === 'storage')!);
      renderer.handle(preview); // within the redraw interval: pending
      let during = '';
      const answer = await renderer.whilePaused(async () => {
        during = stream.text();
        await sleep(250); // the timer ticks, storage is running: still nothing is drawn
        renderer.handle(DEPLOY.find((e) => e.code === 'stack-start' && e.stack === 'compute')!);
        assert.equal(stream.text(), during);
        return 'yes';
      });
      assert.equal(answer, 'yes');
      assert.ok(during.endsWith('\x1b[1A\x1b[0Jconcert-platform-compute-development  change preview: 2 changes\n  Action  Logical ID               Type                        Replacement  Causes\n  Add     ApiStack                 AWS::CloudFormation::Stack  -            -\n  Add     ApiStack/HealthFunction  AWS::Lambda::Function       -            -\n'));
      const after = stream.text().slice(during.length);
      assert.match(after, /^\r\x1b\[0J\S+ concert-platform-storage-development {2}UPDATE_IN_PROGRESS {2}0\/2 {2}0s\n\S+ concert-platform-compute-development {2}CREATE_IN_PROGRESS {2}0\/1 {2}0s\n$/);
    } finally {
      renderer.finish();
    }
  });

  it('uses colour only when the Colors given have it; cursor movement either way', () => {
    const plain = renderLive(DEPLOY);
    plain.renderer.finish();
    assert.match(plain.stream.text(), ERASE);
    assert.doesNotMatch(plain.stream.text().replace(EVERY_ERASE, ''), /\x1b/);
    const coloured = renderLive(DEPLOY, { colour: true });
    coloured.renderer.finish();
    assert.match(coloured.stream.text(), /\x1b\[32m✔\x1b\[39m concert-platform-storage-development/);
    assert.equal(stripAnsi(coloured.stream.text()), stripAnsi(plain.stream.text()));
  });

  it('keeps region lines narrower than the terminal, and the region shorter than it', () => {
    const { stream, renderer } = renderLive(DEPLOY.slice(0, 9), { columns: 40 });
    const region = frames(stream.text()).at(-1)!.split('\n').slice(0, -1);
    assert.equal(region.length, 2);
    assert.ok(region.every((line) => line.endsWith('…') && visibleLength(line) === 39), region.join('\n'));
    renderer.finish();

    const many = ['a', 'b', 'c', 'd', 'e'].map((s): DeployEvent => ({ code: 'stack-start', stack: s, stackName: `stack-${s}`, operation: 'create', resources: 1 }));
    const small = renderLive([...many, { code: 'stack-done', stack: 'a', stackName: 'stack-a', outcome: 'succeeded', seconds: 1 }], { rows: 4 });
    assert.deepEqual(frames(small.stream.text()).at(-1)!.split('\n').slice(0, -1), [
      '⠧ stack-b  CREATE_IN_PROGRESS  0/1  0s',
      '⠧ stack-c  CREATE_IN_PROGRESS  0/1  0s',
      '… 3 more',
    ]);
    small.renderer.finish();
  });
});
