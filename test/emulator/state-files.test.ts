import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StackpilotError } from '../../src/errors.ts';
import { LOCK_FILE, dictionary, readStateJson, resetCommand, tightenStateModes, writeFileAtomic } from '../../src/emulator/state-files.ts';
import { writeProject } from '../helpers.ts';

/** A local state folder as LocalAws holds it: `<project>/.stackpilot/local` with its lock. */
function heldStateFolder(): { project: string; dataDir: string } {
  const project = writeProject({});
  const dataDir = join(project, '.stackpilot', 'local');
  mkdirSync(join(dataDir, 'ssm'), { recursive: true });
  writeFileSync(join(dataDir, LOCK_FILE), '{}');
  return { project, dataDir };
}

function damage(action: () => unknown): StackpilotError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof StackpilotError, String(error));
    assert.equal(error.code, 'LocalStateDamaged');
    return error;
  }
  assert.fail('expected LocalStateDamaged');
}

describe('readStateJson', () => {
  it('reads a state file, and says undefined when there is none', () => {
    const { dataDir } = heldStateFolder();
    writeFileSync(join(dataDir, 'ssm', 'us-east-1.json'), '{"a": 1}');
    assert.deepEqual(readStateJson(join(dataDir, 'ssm', 'us-east-1.json')), { a: 1 });
    assert.equal(readStateJson(join(dataDir, 'ssm', 'eu-west-1.json')), undefined);
  });

  it('names a file that is not JSON, fails its check or cannot be read, with the repair and the reset', () => {
    const { project, dataDir } = heldStateFolder();
    const file = join(dataDir, 'ssm', 'us-east-1.json');
    writeFileSync(file, '');
    const truncated = damage(() => readStateJson(file, { repair: { losing: 'the SSM parameters of us-east-1' } }));
    assert.equal(truncated.message, `The local state file ${file} is not valid JSON: Unexpected end of JSON input`);
    assert.equal(truncated.hint, `To keep the rest of the local state, remove ${file} (losing the SSM parameters of us-east-1). To start afresh, run \`stackpilot local reset ${project}\`: it deletes all local stacks and data.`);

    writeFileSync(file, '[]');
    const wrongShape = damage(() => readStateJson(file, { check: (value) => (Array.isArray(value) ? 'is a list, not a record' : undefined) }));
    assert.equal(wrongShape.message, `The local state file ${file} is a list, not a record`);
    assert.equal(wrongShape.hint, `To start afresh, run \`stackpilot local reset ${project}\`: it deletes all local stacks and data.`);

    const folder = join(dataDir, 'ssm', 'eu-west-1.json');
    mkdirSync(folder);
    assert.match(damage(() => readStateJson(folder)).message, /eu-west-1\.json cannot be read: EISDIR/);
  });
});

describe('resetCommand', () => {
  it('names the project for its usual state folder, the folder otherwise, quoted for a shell when needed', () => {
    assert.equal(resetCommand('/work/shop/.stackpilot/local'), 'stackpilot local reset /work/shop');
    assert.equal(resetCommand('/var/state'), 'stackpilot local reset --data-dir /var/state');
    assert.equal(resetCommand("/work/Bob's shop/.stackpilot/local"), `stackpilot local reset '/work/Bob'\\''s shop'`);
  });
});

describe('dictionary', () => {
  it('keeps __proto__ and constructor as plain keys', () => {
    const table = dictionary<string>(JSON.parse('{"__proto__": "a", "constructor": "b"}') as object);
    assert.equal(table.__proto__, 'a');
    assert.equal(table.constructor, 'b');
    assert.deepEqual(Object.keys(table), ['__proto__', 'constructor']);
    assert.equal(Object.getPrototypeOf(table), null);
    assert.equal(Object.getPrototypeOf(dictionary()), null);
  });
});

describe('state file modes', () => {
  const modeOf = (path: string) => statSync(path).mode & 0o777;

  it('writes owner-only files in owner-only folders, even under a umask that would open them to all', () => {
    const dataDir = join(writeProject({}), '.stackpilot', 'local');
    const previous = process.umask(0);
    try {
      writeFileAtomic(join(dataDir, 's3', 'bucket', 'bucket.json'), '{}');
    } finally {
      process.umask(previous);
    }
    assert.equal(modeOf(join(dataDir, 's3', 'bucket', 'bucket.json')), 0o600);
    for (const folder of [join(dataDir, '..'), dataDir, join(dataDir, 's3'), join(dataDir, 's3', 'bucket')]) assert.equal(modeOf(folder), 0o700, folder);
  });

  it('tightens a state folder reached through a symbolic link, and follows no link below it', () => {
    const place = writeProject({ 'disk/state/ssm/us-east-1.json': '{}', 'elsewhere/notes.txt': 'mine' });
    chmodSync(join(place, 'disk', 'state'), 0o755);
    chmodSync(join(place, 'disk', 'state', 'ssm', 'us-east-1.json'), 0o644);
    symlinkSync(join(place, 'disk', 'state'), join(place, 'local'));
    symlinkSync(join(place, 'elsewhere'), join(place, 'disk', 'state', 'linked'));
    tightenStateModes(join(place, 'local'));
    assert.equal(modeOf(join(place, 'disk', 'state')), 0o700);
    assert.equal(modeOf(join(place, 'disk', 'state', 'ssm', 'us-east-1.json')), 0o600);
    assert.equal(modeOf(join(place, 'elsewhere', 'notes.txt')), 0o644, 'what a link below points to is not the state');
  });
});
