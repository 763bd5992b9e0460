import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StateFileProblem } from '../../src/emulator/state-files.ts';
import { SECRETS_KEY_FILE, StateSecrets } from '../../src/emulator/state-secrets.ts';
import { writeProject } from '../helpers.ts';

process.umask(0o022);

const secretsIn = (folder: string) => StateSecrets.inFolder(folder);

describe('StateSecrets', () => {
  it('makes its key on first use, owner-only, and another instance of the same folder uses that key', () => {
    const folder = writeProject({});
    const first = secretsIn(folder);
    assert.ok(!existsSync(join(folder, SECRETS_KEY_FILE)), 'no key until a value is sealed');
    const sealed = first.seal('s3cr3t');
    assert.equal(statSync(join(folder, SECRETS_KEY_FILE)).mode & 0o777, 0o600);
    const key = readFileSync(join(folder, SECRETS_KEY_FILE), 'utf8');
    const second = secretsIn(folder);
    assert.equal(second.unseal(sealed), 's3cr3t');
    second.seal('another');
    assert.equal(readFileSync(join(folder, SECRETS_KEY_FILE), 'utf8'), key, 'the key is never replaced');
  });

  it('seals the same value differently each time, and leaves an unsealed value as it is', () => {
    const secrets = secretsIn(writeProject({}));
    const [one, two] = [secrets.seal('same'), secrets.seal('same')];
    assert.notEqual(one, two);
    assert.ok(!one.includes('same'));
    assert.deepEqual([secrets.unseal(one), secrets.unseal(two)], ['same', 'same']);
    assert.equal(secrets.unseal('plain, from an earlier version'), 'plain, from an earlier version');
  });

  it('refuses a sealed value that was changed, as a problem of the file that holds it', () => {
    const secrets = secretsIn(writeProject({}));
    const sealed = secrets.seal('value');
    const changed = sealed.slice(0, -4) + (sealed.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA');
    assert.throws(() => secrets.unseal(changed), (error: unknown) => error instanceof StateFileProblem && /cannot open/.test(error.message));
    assert.throws(() => secrets.unseal('stackpilot-sealed:v1:AAAA'), StateFileProblem);
  });

  it('seals in JSON the strings it is told to, and reads back a plain string that only looks sealed', () => {
    const secrets = secretsIn(writeProject({}));
    const record = { keep: 'visible', nested: [{ secret: 'pw=hunter2' }], lookalike: 'stackpilot-sealed:v1:not really', count: 3 };
    const json = secrets.sealedJson(record, (text) => text.includes('hunter2'));
    assert.ok(!json.includes('hunter2') && json.includes('"visible"'), json);
    assert.deepEqual(secrets.unsealStrings(JSON.parse(json)), record);
  });
});
