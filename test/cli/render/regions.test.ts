import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pc from 'picocolors';
import { createRenderer, type RenderMode } from '../../../src/cli/render/index.ts';
import type { DeployEvent } from '../../../src/deploy/events.ts';
import { Redactor } from '../../../src/redaction.ts';
import { collectingStream, T0 } from './deploy-events.ts';

/** The same stack deploying in two regions, as a multi-region deploy reports it. */
const TWO_REGIONS: DeployEvent[] = ['us-east-1', 'us-west-2'].flatMap((region): DeployEvent[] => [
  { code: 'stack-start', stack: 'master', stackName: 'shop-prod', operation: 'create', resources: 1, region },
  { code: 'resource', stack: 'master', stackName: 'shop-prod', logicalId: 'Queue', resourceType: 'AWS::SQS::Queue', status: 'CREATE_COMPLETE', timestamp: new Date(T0), nestedPath: [], region },
  { code: 'stack-done', stack: 'master', stackName: 'shop-prod', outcome: 'succeeded', status: 'CREATE_COMPLETE', seconds: 3, region },
]);

function render(mode: RenderMode, events: DeployEvent[]): string {
  const stream = collectingStream();
  const renderer = createRenderer({ secrets: new Redactor(), mode, stream, colors: pc.createColors(false), now: () => T0 });
  for (const event of events) renderer.handle(event);
  renderer.finish();
  return stream.text();
}

describe('renderers of a command over several regions', () => {
  it('plain lines start with the region', () => {
    const lines = render('plain', TWO_REGIONS).trim().split('\n');
    assert.equal(lines.length, 6);
    assert.equal(lines[2], '[12:03:04] us-east-1  ✔ shop-prod  CREATE_COMPLETE in 3s');
    assert.equal(lines[5], '[12:03:04] us-west-2  ✔ shop-prod  CREATE_COMPLETE in 3s');
  });

  it('JSON lines carry the region after the code', () => {
    const lines = render('json', TWO_REGIONS).trim().split('\n');
    assert.ok(lines[0].startsWith('{"time":"2025-06-01T12:03:04.000Z","code":"stack-start","region":"us-east-1",'), lines[0]);
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as { region: string }).region), ['us-east-1', 'us-east-1', 'us-east-1', 'us-west-2', 'us-west-2', 'us-west-2']);
  });

  it('the live view keeps one row per stack and region, and sums each up with its region', () => {
    const summary = render('live', TWO_REGIONS).split(/\x1b\[\d+A\x1b\[0J|\r\x1b\[0J/).at(-1)!.trim().split('\n');
    assert.deepEqual(summary, ['✔ us-east-1  shop-prod  CREATE_COMPLETE in 3s, 1/1 resources', '✔ us-west-2  shop-prod  CREATE_COMPLETE in 3s, 1/1 resources']);
  });

  it('events without a region are shown as before', () => {
    assert.equal(render('plain', [{ ...TWO_REGIONS[2], region: undefined }]).trim(), '[12:03:04] ✔ shop-prod  CREATE_COMPLETE in 3s');
  });
});
