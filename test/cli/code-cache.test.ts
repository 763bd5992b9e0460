import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bundledCli } from '../cli-bundle.ts';
import { REPO, writeProject } from '../helpers.ts';

const broken = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicNam: alerts\n";

/**
 * An installed package's layout (bin/, dist/) with the current bundle: inside the repository, as
 * the bundle looks for generated/ and data/ from where it is.
 */
async function installedCopy(): Promise<{ bin: string; bundle: string; cache: string }> {
  const root = join(REPO, 'node_modules', '.cache', `stackpilot-start-${process.pid}`);
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'bin'), { recursive: true });
  mkdirSync(join(root, 'dist'), { recursive: true });
  for (const file of ['stackpilot.js', 'run-bundle.js']) copyFileSync(join(REPO, 'bin', file), join(root, 'bin', file));
  const bundle = join(root, 'dist', 'cli.cjs');
  copyFileSync(await bundledCli(), bundle);
  return { bin: join(root, 'bin', 'stackpilot.js'), bundle, cache: `${bundle}.cache` };
}

const run = (script: string, args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('starting from the code cache', async () => {
  const { bin, bundle, cache } = await installedCopy();
  const template = join(writeProject({ 'broken.yaml': broken }), 'broken.yaml');
  const warmUp = () => run(join(REPO, 'scripts', 'warm-code-cache.mjs'), [bundle, 'validate', template]);

  it('gives the findings and exit code the bundle gives without it', () => {
    const uncached = run(bundle, ['validate', template]);
    assert.equal(uncached.status, 2);
    assert.match(uncached.stdout, /SP3002 {2}AWS::SNS::Topic has no property TopicNam/);
    assert.equal(warmUp().status, 2);
    const cached = run(bin, ['validate', template]);
    assert.deepEqual({ status: cached.status, stdout: cached.stdout, stderr: cached.stderr }, { status: 2, stdout: uncached.stdout, stderr: uncached.stderr });
  });

  it('runs a rebuilt bundle as it is, not the code a cache older than it holds (even one V8 would take)', () => {
    assert.equal(warmUp().status, 2);
    // Same length, so V8's own check (the source's length) cannot tell the bundles apart.
    writeFileSync(bundle, readFileSync(bundle, 'latin1').replace('has no property', 'HAS NO PROPERTY'), 'latin1');
    const earlier = new Date(Date.now() - 60_000);
    utimesSync(cache, earlier, earlier);
    const rebuilt = run(bin, ['validate', template]);
    assert.equal(rebuilt.status, 2);
    assert.match(rebuilt.stdout, /AWS::SNS::Topic HAS NO PROPERTY TopicNam/);
  });

  it('replaces a cache V8 refuses (another Node version, a damaged file), and runs without it meanwhile', () => {
    writeFileSync(cache, 'not a code cache');
    const refused = run(bin, ['validate', template]);
    assert.equal(refused.status, 2);
    assert.match(refused.stdout, /AWS::SNS::Topic (has no property|HAS NO PROPERTY) TopicNam/);
    assert.notEqual(readFileSync(cache, 'latin1'), 'not a code cache');
    const accepted = spawnSync(process.execPath, ['--input-type=module', '-e', ACCEPTED_PROBE, bundle], { encoding: 'utf8' });
    assert.equal(accepted.stdout.trim(), 'accepted');
  });
});

/** Whether V8 takes the cache of the bundle (at argv[1]) as bin/run-bundle.js compiles it. */
const ACCEPTED_PROBE = `
import { readFileSync } from 'node:fs';
import { compileBundle } from ${JSON.stringify(join(REPO, 'bin', 'run-bundle.js'))};
const bundle = process.argv[1];
console.log(compileBundle(bundle, readFileSync(bundle + '.cache')).cachedDataRejected ? 'rejected' : 'accepted');
`;
