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
  it('redraws a region of one line per stack in place, and ends with a summary line per stack, then the outputs of the stacks that changed and the health checks', () => {
    const { stream, renderer } = renderLive(DEPLOY);
    renderer.finish();
    const text = stream.text();
    assert.match(text, /\x1b\[1A\x1b\[0J/);
    assert.match(text, /\x1b\[3A\x1b\[0J/);
    assert.deepEqual(frames(text).at(-1)!.split('\n'), [
      '✔ concert-platform-storage-development  UPDATE_COMPLETE in 42s, 2/2 resources',
      '✔ concert-platform-compute-development  CREATE_COMPLETE in 63s, 2/2 resources',
      '✖ concert-platform-monitoring-development  failed (ROLLBACK_COMPLETE) in 21s, 0/1 resources; first failure: AlarmTopic: Invalid parameter: KmsMasterKeyId',
      'Outputs of concert-platform-storage-development',
      '  Key                Value',
      '  RawDataBucketName  concert-platform-raw-data-development',
      '  EventsTableName    concert-platform-events-development',
      'Outputs of concert-platform-compute-development',
      '  Key     Value',
      '  ApiUrl  https://abc123.execute-api.us-east-1.amazonaws.com/development',
      '✔ GET ApiUrl/health  200 in 84 ms',
      '',
    ]);
  });

  it('shows each stack with its status, resources done of the total its change set gives (nested included), failures, and elapsed time', () => {
    const { stream, renderer } = renderLive(DEPLOY);
    renderer.finish();
    const lines = frames(stream.text()).flatMap((frame) => frame.split('\n'));
    assert.ok(lines.includes('⠦ concert-platform-storage-development  UPDATE_IN_PROGRESS  1/2  1s'), 'a done resource counts');
    assert.ok(lines.includes('⠋ concert-platform-compute-development  CREATE_IN_PROGRESS  0/2  0s'), 'the total, nested resources included, from the change set before anything ran');
    assert.ok(!lines.some((line) => line.includes('compute-development  CREATE_IN_PROGRESS  0/1')), 'the total never grows as nested resources appear');
    assert.ok(lines.includes('⠧ concert-platform-monitoring-development  CREATE_IN_PROGRESS  0 done  1 failed  0s'), 'with no change set to say, no total; failed resources are counted');
    assert.ok(lines.includes('✖ concert-platform-monitoring-development  ROLLBACK_COMPLETE  0/1  21s'), 'a failed stack keeps its line until the end');
  });

  it('prints failures, warnings and previews once, above the region, and outputs once', () => {
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
    assert.deepEqual(frames(stream.text()).at(-1)!.split('\n'), [refusal, '  AWS refused the call: correct what the message names and run again.', ''], 'no resource count for a stack refused before any resource');
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
      assert.match(frames(stream.text()).at(-1)!, /storage-development {2}UPDATE_IN_PROGRESS {2}0 done/);
      await sleep(250);
      assert.match(frames(stream.text()).at(-1)!, /storage-development {2}UPDATE_IN_PROGRESS {2}1 done/);
    } finally {
      renderer.finish();
    }
    assert.equal(timers(), before);
    const length = stream.text().length;
    renderer.handle(DEPLOY.at(-1)!);
    renderer.finish();
    await sleep(150);
    assert.equal(stream.text().length, length, 'nothing is written after finish()');
    assert.equal(frames(stream.text()).at(-1)!, '… concert-platform-storage-development  did not finish, 1 resource done\n');
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
      assert.match(after, /^\r\x1b\[0J\S+ concert-platform-storage-development {2}UPDATE_IN_PROGRESS {2}0 done {2}0s\n\S+ concert-platform-compute-development {2}CREATE_IN_PROGRESS {2}0\/2 {2}0s\n$/);
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
      '⠧ stack-b  CREATE_IN_PROGRESS  0 done  0s',
      '⠧ stack-c  CREATE_IN_PROGRESS  0 done  0s',
      '… 3 more',
    ]);
    small.renderer.finish();
  });

  it('says "no changes" for a stack with nothing to do, and shows the outputs of unchanged stacks only with --show-outputs', () => {
    const idle = { stack: 'app', stackName: 'plot-palette-development' };
    const events: DeployEvent[] = [
      { code: 'phase', phase: 'deploy', message: 'deploying to the local engine in us-east-1' },
      { code: 'stack-done', ...idle, outcome: 'no-changes', status: 'UPDATE_COMPLETE', seconds: 0.2 },
      { code: 'phase', phase: 'outputs', message: 'outputs' },
      { code: 'outputs', ...idle, outputs: { ApiEndpoint: 'https://x.execute-api.us-east-1.amazonaws.com' } },
    ];
    const quiet = renderLive(events);
    quiet.renderer.finish();
    const text = quiet.stream.text();
    assert.ok(frames(text).every((frame) => !/UPDATE_COMPLETE|0\/0/.test(frame)), text);
    assert.deepEqual(frames(text).at(-1)!.split('\n'), [
      '✔ plot-palette-development  no changes',
      'Outputs of the stack with no changes not shown: stackpilot outputs prints them (or deploy --show-outputs)',
      '',
    ]);
    assert.doesNotMatch(text, /▶ outputs|ApiEndpoint/);

    const stream = collectingStream();
    const shown = createRenderer({ secrets: new Redactor(), mode: 'live', stream, colors: pc.createColors(false), now: () => T0, showOutputs: true });
    for (const event of events) shown.handle(event);
    shown.finish();
    assert.deepEqual(frames(stream.text()).at(-1)!.split('\n').slice(0, 3), ['✔ plot-palette-development  no changes', 'Outputs of plot-palette-development', '  Key          Value']);
  });

  it('moves the resource counter only forward: no total until the change set gives one, never a count that falls back in a rollback', () => {
    const stack = { stack: 'app', stackName: 'plot-palette-development' };
    const resource = (logicalId: string, status: string, nestedPath: string[] = []): DeployEvent => ({ code: 'resource', ...stack, logicalId, resourceType: 'AWS::SNS::Topic', status, timestamp: new Date(T0), nestedPath });
    const { stream, renderer } = renderLive([
      // A nested stack added: the preview cannot list what it holds.
      { code: 'change-preview', ...stack, changes: [{ action: 'Add', logicalId: 'Network', resourceType: 'AWS::CloudFormation::Stack', causes: [], nestedPath: [], dataAtRisk: false }, { action: 'Add', logicalId: 'Topic', resourceType: 'AWS::SNS::Topic', causes: [], nestedPath: [], dataAtRisk: false }] },
      { code: 'stack-start', ...stack, operation: 'create', resources: 2 },
      resource('Topic', 'CREATE_COMPLETE'),
      resource('Vpc', 'CREATE_COMPLETE', ['Network']),
      resource('Subnet', 'CREATE_COMPLETE', ['Network']),
      resource('Gateway', 'CREATE_FAILED', ['Network']),
      resource('Topic', 'DELETE_IN_PROGRESS'),
      resource('Vpc', 'DELETE_COMPLETE', ['Network']),
      { code: 'stack-done', ...stack, outcome: 'failed', status: 'ROLLBACK_COMPLETE', seconds: 9 },
    ]);
    renderer.finish();
    const shown = frames(stream.text()).flatMap((frame) => frame.split('\n')).filter((line) => line.includes('IN_PROGRESS')).map((line) => /IN_PROGRESS {2}(\S+( done)?)/.exec(line)![1]);
    assert.deepEqual([...new Set(shown)], ['0 done', '1 done', '2 done', '3 done'], 'a count alone while the total is unknown, never falling back');
    assert.match(frames(stream.text()).at(-1)!, /failed \(ROLLBACK_COMPLETE\) in 9s, 3\/4 resources/);
  });
});
