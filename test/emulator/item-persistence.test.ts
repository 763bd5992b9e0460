import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand, PutSecretValueCommand, RotateSecretCommand, SecretsManagerClient, TagResourceCommand } from '@aws-sdk/client-secrets-manager';
import { AddTagsToResourceCommand, DeleteParameterCommand, GetParameterCommand, GetParameterHistoryCommand, LabelParameterVersionCommand, ListTagsForResourceCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { StackpilotError } from '../../src/errors.ts';
import { itemFileName } from '../../src/emulator/item-files.ts';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { temporaryFolder } from '../helpers.ts';

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function newDataDir(): string {
  const root = temporaryFolder('items');
  roots.push(root);
  return join(root, 'local');
}

async function withLocal<T>(dataDir: string, use: (clients: { ssm: SSMClient; secrets: SecretsManagerClient }) => Promise<T>): Promise<T> {
  const local = await LocalAws.open({ dataDir });
  try {
    return await use({ ssm: new SSMClient(local.clientConfig()), secrets: new SecretsManagerClient(local.clientConfig()) });
  } finally {
    await local.close();
  }
}

/** Each file of a folder with what identifies its content on disk: a rewrite (temporary file, rename) changes the inode. */
function fileIdentities(folder: string): Map<string, string> {
  return new Map(readdirSync(folder).map((name) => {
    const found = statSync(join(folder, name));
    return [name, `${found.ino}:${found.mtimeMs}`];
  }));
}

describe('SSM parameters and secrets on disk, one file each', () => {
  it('writes only the parameter a call changes, and removes only the one deleted', async () => {
    const dataDir = newDataDir();
    const folder = join(dataDir, 'ssm', 'us-east-1');
    await withLocal(dataDir, async ({ ssm }) => {
      for (let i = 0; i < 20; i++) await ssm.send(new PutParameterCommand({ Name: `/fleet/p${i}`, Value: `v${i}`, Type: 'String' }));
      const before = fileIdentities(folder);
      assert.equal(before.size, 20, 'one file per parameter');
      await ssm.send(new PutParameterCommand({ Name: '/fleet/p7', Value: 'changed', Overwrite: true }));
      await ssm.send(new LabelParameterVersionCommand({ Name: '/fleet/p8', Labels: ['Live'] }));
      await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/fleet/p9', Tags: [{ Key: 'env', Value: 'prod' }] }));
      await ssm.send(new DeleteParameterCommand({ Name: '/fleet/p3' }));
      const afterwards = fileIdentities(folder);
      const touched = ['/fleet/p7', '/fleet/p8', '/fleet/p9'].map(itemFileName);
      for (const [name, identity] of before) {
        if (name === itemFileName('/fleet/p3')) assert.ok(!afterwards.has(name), 'the deleted parameter has no file');
        else if (touched.includes(name)) assert.notEqual(afterwards.get(name), identity, `${name} is rewritten`);
        else assert.equal(afterwards.get(name), identity, `${name} is left as it was`);
      }
    });
    // What a kill in the middle of a write leaves: the draft beside the item's file, which keeps its old content.
    const draft = join(folder, `${itemFileName('/fleet/p7')}.4242.1.tmp`);
    writeFileSync(draft, '{"name": "/fleet/p7", "ver');
    await withLocal(dataDir, async ({ ssm }) => {
      assert.ok(!existsSync(draft), 'the draft is cleared');
      assert.equal((await ssm.send(new GetParameterCommand({ Name: '/fleet/p7' }))).Parameter?.Value, 'changed');
      assert.equal((await ssm.send(new GetParameterCommand({ Name: '/fleet/p8:Live' }))).Parameter?.Value, 'v8');
      assert.deepEqual((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/fleet/p9' }))).TagList, [{ Key: 'env', Value: 'prod' }]);
      await assert.rejects(ssm.send(new GetParameterCommand({ Name: '/fleet/p3' })), { name: 'ParameterNotFound' });
    });
  });

  it('keeps history, labels, secret versions, tags and rotation settings across a reopen, values sealed and files owner-only', async () => {
    const dataDir = newDataDir();
    const clear = ['token-one', 'token-two', 'secret-one', 'secret-two'];
    await withLocal(dataDir, async ({ ssm, secrets }) => {
      await ssm.send(new PutParameterCommand({ Name: '/api/token', Value: clear[0], Type: 'SecureString' }));
      await ssm.send(new PutParameterCommand({ Name: '/api/token', Value: clear[1], Overwrite: true }));
      await ssm.send(new LabelParameterVersionCommand({ Name: '/api/token', ParameterVersion: 1, Labels: ['Old'] }));
      await secrets.send(new CreateSecretCommand({ Name: 'db', SecretString: clear[2] }));
      await secrets.send(new PutSecretValueCommand({ SecretId: 'db', SecretString: clear[3] }));
      await secrets.send(new TagResourceCommand({ SecretId: 'db', Tags: [{ Key: 'team', Value: 'data' }] }));
      await secrets.send(new RotateSecretCommand({ SecretId: 'db', RotationLambdaARN: 'arn:aws:lambda:us-east-1:123456789012:function:rotate', RotateImmediately: false }));
    });
    for (const service of ['ssm', 'secretsmanager']) {
      const folder = join(dataDir, service, 'us-east-1');
      assert.equal(statSync(folder).mode & 0o777, 0o700);
      const names = readdirSync(folder);
      assert.ok(names.length > 0, `${service} keeps its items in ${folder}`);
      for (const name of names) {
        assert.equal(statSync(join(folder, name)).mode & 0o777, 0o600, name);
        const text = readFileSync(join(folder, name), 'utf8');
        for (const value of clear) assert.ok(!text.includes(value), `${service}/${name} holds ${value} in the clear`);
      }
    }
    await withLocal(dataDir, async ({ ssm, secrets }) => {
      const history = (await ssm.send(new GetParameterHistoryCommand({ Name: '/api/token', WithDecryption: true }))).Parameters!;
      assert.deepEqual(history.map((p) => [p.Value, p.Labels]), [[clear[0], ['Old']], [clear[1], []]]);
      assert.equal((await secrets.send(new GetSecretValueCommand({ SecretId: 'db', VersionStage: 'AWSPREVIOUS' }))).SecretString, clear[2]);
      const described = await secrets.send(new DescribeSecretCommand({ SecretId: 'db' }));
      assert.deepEqual([described.Tags, described.RotationEnabled], [[{ Key: 'team', Value: 'data' }], true]);
      assert.equal((await secrets.send(new ListSecretVersionIdsCommand({ SecretId: 'db' }))).Versions?.length, 2);
    });
  });
});

describe('a parameter file under another name', () => {
  it('is damaged state, named with the repair, rather than a second copy that would shadow the first', async () => {
    const dataDir = newDataDir();
    await withLocal(dataDir, async ({ ssm }) => ssm.send(new PutParameterCommand({ Name: '/copied', Value: 'v', Type: 'String' })));
    const folder = join(dataDir, 'ssm', 'us-east-1');
    const copy = join(folder, 'copied-backup.json');
    writeFileSync(copy, readFileSync(join(folder, itemFileName('/copied'))));
    const error = await LocalAws.open({ dataDir }).then(
      async (local) => local.close(),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof StackpilotError && error.code === 'LocalStateDamaged', String(error));
    assert.ok(error.message.includes(copy), error.message);
    assert.ok(error.hint?.includes(`remove ${copy}`), error.hint);
  });
});

describe('the single-file layout of earlier versions', () => {
  const legacyParameters = (value: string) => JSON.stringify({ '/old': { name: '/old', tags: [], versions: [{ version: 1, value, type: 'String', dataType: 'text', tier: 'Standard', lastModifiedDate: 1 }] } });

  it('is converted once to one file per parameter, and the old file removed', async () => {
    const dataDir = newDataDir();
    mkdirSync(join(dataDir, 'ssm'), { recursive: true });
    writeFileSync(join(dataDir, 'ssm', 'us-east-1.json'), legacyParameters('from-the-old-file'));
    await withLocal(dataDir, async ({ ssm }) => assert.equal((await ssm.send(new GetParameterCommand({ Name: '/old' }))).Parameter?.Value, 'from-the-old-file'));
    assert.ok(!existsSync(join(dataDir, 'ssm', 'us-east-1.json')));
    assert.deepEqual(readdirSync(join(dataDir, 'ssm', 'us-east-1')), [itemFileName('/old')]);
  });

  it('is converted again after a kill left a half-written conversion beside it', async () => {
    const dataDir = newDataDir();
    const draft = join(dataDir, 'ssm', 'us-east-1.converting.tmp');
    mkdirSync(draft, { recursive: true });
    writeFileSync(join(draft, itemFileName('/old')), '{"name": "/old", "versi');
    writeFileSync(join(dataDir, 'ssm', 'us-east-1.json'), legacyParameters('from-the-old-file'));
    await withLocal(dataDir, async ({ ssm }) => assert.equal((await ssm.send(new GetParameterCommand({ Name: '/old' }))).Parameter?.Value, 'from-the-old-file'));
    assert.deepEqual(readdirSync(join(dataDir, 'ssm')), ['us-east-1']);
  });

  it('gives way to the converted folder when a kill came after the conversion, before the old file went', async () => {
    const dataDir = newDataDir();
    mkdirSync(join(dataDir, 'ssm'), { recursive: true });
    writeFileSync(join(dataDir, 'ssm', 'us-east-1.json'), legacyParameters('from-the-old-file'));
    await withLocal(dataDir, async ({ ssm }) => ssm.send(new PutParameterCommand({ Name: '/old', Value: 'written-since', Overwrite: true })));
    writeFileSync(join(dataDir, 'ssm', 'us-east-1.json'), legacyParameters('from-the-old-file'));
    await withLocal(dataDir, async ({ ssm }) => assert.equal((await ssm.send(new GetParameterCommand({ Name: '/old' }))).Parameter?.Value, 'written-since'));
    assert.ok(!existsSync(join(dataDir, 'ssm', 'us-east-1.json')));
  });
});
