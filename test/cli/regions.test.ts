import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { copyExample, runCli } from '../helpers.ts';

describe('stackpilot commands over the regions of an environment', () => {
  it('deploy, status, outputs and delete cover both regions of plot-palette production, each line labelled; --region picks one', () => {
    const dir = copyExample('plot-palette');
    const deployed = runCli(['deploy', dir, '--env', 'production', '--yes'], { env: { CI: 'true' } });
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.match(deployed.stdout, /\] us-east-1 {2}✔ plot-palette-production {2}CREATE_COMPLETE/);
    assert.match(deployed.stdout, /\] us-west-2 {2}✔ plot-palette-production {2}CREATE_COMPLETE/);
    assert.match(deployed.stdout, /^ {2}us-west-2: ok, 1 deployed, 0 failed, 0 not started$/m);

    const status = runCli(['status', dir, '--env', 'production']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^us-east-1 {2}✔ plot-palette-production +CREATE_COMPLETE/m);
    assert.match(status.stdout, /^us-west-2 {2}✔ plot-palette-production +CREATE_COMPLETE/m);

    const all = runCli(['outputs', dir, '--env', 'production', '--format', 'json']);
    assert.equal(all.code, 0, all.stderr);
    const both = JSON.parse(all.stdout);
    assert.deepEqual(Object.keys(both.regions), ['us-east-1', 'us-west-2']);
    assert.notEqual(both.regions['us-east-1'].master.ApiEndpoint, undefined);
    const west = runCli(['outputs', dir, '--env', 'production', '--region', 'us-west-2', '--format', 'json']);
    assert.equal(west.code, 0, west.stderr);
    assert.deepEqual(Object.keys(JSON.parse(west.stdout)), ['environment', 'region', 'account', 'target', 'master'], 'one region: the single-region shape');
    assert.equal(JSON.parse(west.stdout).region, 'us-west-2');
    const unknown = runCli(['outputs', dir, '--env', 'production', '--regions', 'us-west-2,eu-west-1']);
    assert.equal(unknown.code, 3);
    assert.match(unknown.stderr, /production does not cover eu-west-1\n {2}Its regions are us-east-1, us-west-2/);

    const deleted = runCli(['delete', dir, '--env', 'production', '--yes'], { env: { CI: 'true' } });
    assert.equal(deleted.code, 0, deleted.stderr);
    const after = runCli(['status', dir, '--env', 'production']);
    assert.equal(after.code, 1);
    assert.match(after.stdout, /^us-east-1 {2}✖ plot-palette-production +NOT_DEPLOYED/m);
    assert.match(after.stdout, /^us-west-2 {2}✖ plot-palette-production +NOT_DEPLOYED/m);
  });
});
