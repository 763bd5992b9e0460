import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, temporaryFolder, writeProject } from '../helpers.ts';

const TOPIC = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n";

/** A project whose templates sit in a subfolder, as most real ones do. */
function nestedLayoutProject() {
  return writeProject({
    'stackpilot.yaml': 'project: harbour\nstacks:\n  app:\n    template: infrastructure/templates/app.yaml\n    name: harbour-${env}\nenvironments:\n  dev: { region: us-east-1 }\n',
    'infrastructure/templates/app.yaml': TOPIC,
  });
}

/** Every file and folder below `dir`, relative, sorted: to show nothing was created. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('project discovery: a command run inside a project finds its stackpilot.yaml', () => {
  it('status from a subfolder reports the stacks deployed from the project folder, and makes no state there', () => {
    const dir = nestedLayoutProject();
    const deploy = runCli(['deploy', '--env', 'dev', '--yes'], { cwd: dir, env: { CI: 'true' } });
    assert.equal(deploy.code, 0, deploy.stderr + deploy.stdout);
    const inside = join(dir, 'infrastructure', 'templates');
    for (const args of [['status', '--env', 'dev'], ['status', '..', '--env', 'dev']]) {
      const status = runCli(args, { cwd: inside });
      assert.equal(status.code, 0, status.stderr + status.stdout);
      assert.match(status.stdout, /harbour-dev\s+CREATE_COMPLETE/);
    }
    assert.equal(existsSync(join(dir, 'infrastructure', '.stackpilot')), false);
    assert.equal(existsSync(join(inside, '.stackpilot')), false);
  });
});

describe('a path that does not exist', () => {
  it('is an error (exit 3) for every command, and creates nothing anywhere', () => {
    const dir = temporaryFolder();
    const before = tree(dir);
    for (const command of [['validate'], ['plan'], ['deploy', '--yes'], ['status'], ['outputs'], ['delete', '--yes'], ['local', 'serve', '--port', '0'], ['local', 'reset', '--yes']]) {
      const run = runCli([...command, 'nope'], { cwd: dir, timeout: 60_000 });
      assert.equal(run.code, 3, `${command.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /nope: no such file or directory/, command.join(' '));
    }
    assert.deepEqual(tree(dir), before, 'no .stackpilot/ or anything else was created');
  });

  it('gives the same JSON error shape on standard output wherever JSON was asked for (the last line of JSON lines)', () => {
    const dir = temporaryFolder();
    for (const command of [['validate', '-f', 'json'], ['plan', '--json'], ['deploy', '--json', '--yes'], ['outputs', '--format', 'json'], ['drift', '-f', 'json']]) {
      const run = runCli([...command, 'nope'], { cwd: dir });
      assert.equal(run.code, 3, `${command.join(' ')}: ${run.stderr}`);
      const parsed = JSON.parse(command.includes('deploy') ? run.stdout.trim().split('\n').at(-1)! : run.stdout) as { ok: boolean; error: { code: string; message: string; hint?: string }; summary?: { errors: number } };
      assert.equal(parsed.ok, false, command.join(' '));
      assert.equal(parsed.error.code, 'PathNotFound');
      assert.equal(parsed.error.message, 'nope: no such file or directory');
      assert.match(parsed.error.hint ?? '', /Check the path/);
    }
  });

  it('gives a usage error the same JSON shape when JSON was asked for', () => {
    const dir = temporaryFolder();
    for (const command of [['outputs', '--format', 'json', '--no-such-flag'], ['deploy', '--json', '--tag', 'aws:reserved=1']]) {
      const run = runCli(command, { cwd: dir });
      assert.equal(run.code, 3, command.join(' '));
      const parsed = JSON.parse(run.stdout) as { ok: boolean; error: { code: string; message: string } };
      assert.equal(parsed.ok, false);
      assert.equal(parsed.error.code, 'UsageError');
      assert.match(parsed.error.message, /--no-such-flag|--tag aws:reserved/);
    }
  });
});
