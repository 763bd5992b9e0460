import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { LocalAws } from '../../src/emulator/local-aws.ts';
import { REPO, temporaryFolder } from '../helpers.ts';

const TSX_LOADER = import.meta.resolve('tsx');
const LOCAL_AWS_MODULE = join(REPO, 'src/emulator/local-aws.ts');

// A process that writes parameters (overwrites and labels among them) and secret versions
// without pause, telling each one answered on stdout: "<i>".
const WRITER = `
const { LocalAws } = await import(process.env.LOCAL_AWS_MODULE);
const { SSMClient, PutParameterCommand, LabelParameterVersionCommand } = await import('@aws-sdk/client-ssm');
const { SecretsManagerClient, CreateSecretCommand, PutSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
const local = await LocalAws.open({ dataDir: process.env.DATA_DIR });
const ssm = new SSMClient(local.clientConfig());
const secrets = new SecretsManagerClient(local.clientConfig());
await secrets.send(new CreateSecretCommand({ Name: 'rolling', SecretString: 'secret-0' }));
for (let i = 1; ; i++) {
  await ssm.send(new PutParameterCommand({ Name: '/kill/p' + (i % 40), Value: 'value-' + i, Type: i % 2 ? 'SecureString' : 'String', Overwrite: true }));
  await ssm.send(new LabelParameterVersionCommand({ Name: '/kill/p' + (i % 40), Labels: ['Latest'] }));
  await secrets.send(new PutSecretValueCommand({ SecretId: 'rolling', SecretString: 'secret-' + i }));
  process.stdout.write(i + '\\n');
}
`;

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/**
 * Runs the writer until it has answered `count` rounds, then kills it (SIGKILL) in the middle of a
 * later one, and returns the last round it answered: the writer does not wait for this reader, so
 * it may have answered a few more by the time the kill lands (all of which must be kept).
 */
async function writeThenKill(dataDir: string, count: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, '--input-type=module', '-e', WRITER], {
    cwd: REPO,
    env: { ...process.env, DATA_DIR: dataDir, LOCAL_AWS_MODULE, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let answered = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    answered = Number(line);
    if (answered >= count && !child.killed) child.kill('SIGKILL');
  }
  await exited;
  assert.ok(answered >= count, `the writer stopped before it was killed: ${stderr}`);
  return answered;
}

describe('parameters and secrets written when a process is killed (SIGKILL)', () => {
  for (const count of [30, 77]) {
    it(`opens cleanly and keeps every answered write, killed after ${count} rounds`, async () => {
      const root = temporaryFolder('item-kill');
      roots.push(root);
      const dataDir = join(root, 'local');
      const answered = await writeThenKill(dataDir, count);
      const local = await LocalAws.open({ dataDir });
      for (const service of ['ssm', 'secretsmanager']) {
        assert.deepEqual(readdirSync(join(dataDir, service, 'us-east-1')).filter((name) => !name.endsWith('.json')), [], `${service}: drafts of interrupted writes are cleared`);
      }
      try {
        const ssm = new SSMClient(local.clientConfig());
        // Each of the last 40 answered rounds wrote a different parameter: its value is that round's or a later one's (the round being killed).
        for (let i = Math.max(1, answered - 39); i <= answered; i++) {
          const latest = (await ssm.send(new GetParameterCommand({ Name: `/kill/p${i % 40}`, WithDecryption: true }))).Parameter!;
          const round = Number(latest.Value?.slice('value-'.length));
          assert.ok(round === i || round === answered + 1, `/kill/p${i % 40} holds ${latest.Value}, answered round ${i}`);
          if (round === i) assert.equal((await ssm.send(new GetParameterCommand({ Name: `/kill/p${i % 40}:Latest` }))).Parameter?.Version, latest.Version);
        }
        const secret = (await new SecretsManagerClient(local.clientConfig()).send(new GetSecretValueCommand({ SecretId: 'rolling' }))).SecretString;
        assert.ok(secret === `secret-${answered}` || secret === `secret-${answered + 1}`, `the secret holds ${secret} after ${answered} rounds`);
      } finally {
        await local.close();
      }
    });
  }
});
