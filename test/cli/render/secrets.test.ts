import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pc from 'picocolors';
import { createRenderer, type RenderMode } from '../../../src/cli/render/index.ts';
import { openDeployLog } from '../../../src/cli/render/log-file.ts';
import type { DeployEvent } from '../../../src/deploy/events.ts';
import { Redactor } from '../../../src/redaction.ts';
import { writeProject } from '../../helpers.ts';
import { collectingStream, T0 } from './deploy-events.ts';

const SECRET = 'Sup3rS3cretValue!';
const app = { stack: 'app', stackName: 'vault-dev-app' };
const reason = `Resource handler returned message: "Value '${SECRET}' at 'tableName' failed to satisfy constraint"`;
const EVENTS: DeployEvent[] = [
  { code: 'stack-start', ...app, operation: 'create', resources: 1 },
  { code: 'resource', ...app, logicalId: 'Table', resourceType: 'AWS::DynamoDB::Table', status: 'CREATE_FAILED', reason, timestamp: new Date(T0), nestedPath: [] },
  { code: 'stack-done', ...app, outcome: 'failed', status: 'ROLLBACK_COMPLETE', firstFailure: { logicalId: 'Table', reason, nestedPath: [] }, reason: `failed: ${SECRET}`, seconds: 3 },
  { code: 'outputs', ...app, outputs: { Password: SECRET, Encoded: Buffer.from(SECRET).toString('base64') } },
  { code: 'drift-warning', ...app, resources: [{ logicalId: 'Key', resourceType: 'AWS::SSM::Parameter', nestedPath: [], status: 'MODIFIED', properties: [{ path: '/Value', expected: SECRET, actual: 'rotated' }] }] },
];

const knowing = () => {
  const secrets = new Redactor();
  secrets.learn([SECRET]);
  return secrets;
};

/** No trace of the secret: not whole, not the start of it (all a cut line would keep), not its Base64. */
function assertNoTrace(text: string, what: string) {
  assert.equal(text.includes(SECRET.slice(0, 6)), false, `${what}: ${text}`);
  assert.equal(text.includes(Buffer.from(SECRET).toString('base64')), false, what);
  assert.match(text, /\*\*\*\*/, `${what} shows where the secret was`);
}

describe('the views of a deploy mask the run\'s secrets', () => {
  for (const mode of ['live', 'plain', 'json'] as RenderMode[]) {
    it(`${mode} view`, () => {
      const stream = collectingStream({ columns: 60, rows: 20 });
      const renderer = createRenderer({ mode, stream, colors: pc.createColors(false), now: () => T0, secrets: knowing() });
      for (const event of EVENTS) renderer.handle(event);
      renderer.finish();
      assertNoTrace(stream.text(), mode);
    });
  }

  it('the log file', () => {
    const path = join(writeProject({}), 'deploy.log');
    const log = openDeployLog(path, { secrets: knowing(), now: () => T0 });
    for (const event of EVENTS) log.handle(event);
    log.finish();
    assertNoTrace(readFileSync(path, 'utf8'), 'log');
  });
});
