import { CreateTableCommand, DeleteTableCommand, waitUntilTableExists, waitUntilTableNotExists } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { backUp, type BackupEntry, type BackupScope } from '../src/backup/backup.ts';
import { restoreBackup } from '../src/backup/restore.ts';
import { putRequest, writeRequests, type Item } from '../src/backup/table-data.ts';
import { openTarget, type Target } from '../src/deploy/target.ts';
import { verdict } from './measure.ts';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const SMALL = 1_000;
const TARGET_RATIO = 1.5;

/**
 * Backup and restore of a 100,000-item table on the local engine, against the time it takes to
 * load it (parallel BatchWriteItem): backup + restore --into-current should cost at most 1.5x the
 * load. Also the time a backup of a 1,000-item table adds to a deploy. Wall and CPU time both:
 * on a machine others share, CPU time is the steadier figure.
 */
export async function benchBackup(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'stackpilot-bench-backup-'));
  const target = await openTarget({ target: 'local', region: 'us-east-1', projectRoot: root });
  const scope: BackupScope = { project: 'bench', environment: 'dev', region: 'us-east-1', artifactsBucket: `bench-cfn-${target.accountId}-us-east-1` };
  try {
    console.log(`local backup and restore: a table of ${ITEMS.toLocaleString('en')} items (~200 bytes each)`);
    await createTable(target, 'bench-items');
    const items = Array.from({ length: ITEMS }, (_, i) => item(i));
    const load = await timed(() => writeRequests(target.dynamodb, 'bench-items', items, putRequest));
    row('load (BatchWriteItem)', load);
    const subject = { stackName: 'bench', logicalId: 'Items', physicalId: 'bench-items', resourceType: 'AWS::DynamoDB::Table' };
    let entry: BackupEntry | undefined;
    const backup = await timed(async () => (entry = await backUp(target, scope, subject)));
    row('backUp', backup);
    await target.dynamodb.send(new DeleteTableCommand({ TableName: 'bench-items' }));
    await waitUntilTableNotExists({ client: target.dynamodb, maxWaitTime: 60, minDelay: 0.01, maxDelay: 0.05 }, { TableName: 'bench-items' });
    await createTable(target, 'bench-items');
    let ok = false;
    const restore = await timed(async () => (ok = (await restoreBackup(target, scope.artifactsBucket, entry!, { current: 'bench-items', overwrite: false })).verification.ok));
    row(`restore --into-current (verified: ${ok ? 'ok' : 'MISMATCH'})`, restore);
    for (const clock of ['wall', 'cpu'] as const) {
      const both = backup[clock] + restore[clock];
      const ratio = both / load[clock];
      console.log(`  ${clock.padEnd(4)}: backup + restore = ${both.toFixed(2)} s vs load ${load[clock].toFixed(2)} s = ${ratio.toFixed(2)} x (target <= ${TARGET_RATIO}x: ${verdict(ratio, TARGET_RATIO)})`);
    }

    await createTable(target, 'bench-small');
    await writeRequests(target.dynamodb, 'bench-small', items.slice(0, SMALL), putRequest);
    const small = await timed(() => backUp(target, scope, { ...subject, logicalId: 'Small', physicalId: 'bench-small' }));
    console.log(`  backUp of a ${SMALL.toLocaleString('en')}-item table (what a backup adds to a deploy): ${(small.wall * 1000).toFixed(0)} ms (cpu ${(small.cpu * 1000).toFixed(0)} ms)`);
  } finally {
    await target.close();
    rmSync(root, { recursive: true, force: true });
  }
}

function item(i: number): Item {
  return { pk: { S: `customer-${i % 5000}` }, sk: { S: `order-${String(i).padStart(7, '0')}` }, total: { N: String(i * 1.25) }, status: { S: i % 3 ? 'shipped' : 'open' }, note: { S: 'x'.repeat(100) }, lines: { L: [{ M: { sku: { S: `sku-${i % 97}` }, qty: { N: '2' } } }] } };
}

async function createTable(target: Target, name: string): Promise<void> {
  await target.dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
    }),
  );
  await waitUntilTableExists({ client: target.dynamodb, maxWaitTime: 60, minDelay: 0.01, maxDelay: 0.05 }, { TableName: name });
}

interface Timing {
  wall: number;
  /** This process's CPU seconds, all threads (LevelDB's included): steadier than wall time on a busy machine. */
  cpu: number;
}

async function timed(work: () => Promise<unknown>): Promise<Timing> {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  await work();
  const cpu = process.cpuUsage(cpuStart);
  return { wall: (performance.now() - start) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

function row(what: string, time: Timing): void {
  console.log(`  ${what.padEnd(44)} ${time.wall.toFixed(2).padStart(7)} s (cpu ${time.cpu.toFixed(2).padStart(6)} s)   ${Math.round(ITEMS / time.wall).toLocaleString('en').padStart(8)} items/s`);
}
