import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pc from 'picocolors';
import { openDeployLog } from '../../../src/cli/render/log-file.ts';
import { createRenderer } from '../../../src/cli/render/index.ts';
import { Redactor } from '../../../src/redaction.ts';
import { writeProject } from '../../helpers.ts';
import { collectingStream, DEPLOY, T0 } from './deploy-events.ts';

describe('deploy log file', () => {
  it('appends the plain lines, stamped with the full ISO time and never in colour, run after run', () => {
    const path = join(writeProject({}), 'deploy.log');
    for (const events of [DEPLOY, DEPLOY.slice(0, 3)]) {
      const log = openDeployLog(path, { secrets: new Redactor(), now: () => T0 });
      for (const event of events) log.handle(event);
      log.finish();
      log.finish();
    }

    const stream = collectingStream();
    const plain = createRenderer({ secrets: new Redactor(), mode: 'plain', stream, colors: pc.createColors(false), now: () => T0 });
    for (const event of [...DEPLOY, ...DEPLOY.slice(0, 3)]) plain.handle(event);
    const expected = stream.text().replaceAll('[12:03:04] ', '2025-06-01T12:03:04.000Z ');

    const written = readFileSync(path, 'utf8');
    assert.equal(written, expected);
    assert.doesNotMatch(written, /\x1b/);
  });

  it('fails when opened, before any deploy, if the file cannot be written', () => {
    const folder = join(writeProject({}), 'missing-folder');
    assert.throws(() => openDeployLog(join(folder, 'deploy.log'), { secrets: new Redactor() }), { name: 'StackpilotError', message: `cannot write the log file ${join(folder, 'deploy.log')}: the folder ${folder} does not exist` });
  });
});
