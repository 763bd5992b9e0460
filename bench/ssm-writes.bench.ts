import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { LocalAws } from '../src/emulator/local-aws.ts';
import { median } from './measure.ts';

const WINDOW = 50;

/**
 * The cost of one SSM write on disk as the store grows: the median PutParameter (create), the
 * overwrite of an existing one (update) and DeleteParameter, with 500 and with 2,000 parameters
 * stored. Per-item files make the two the same; a store rewritten whole makes the second 4x.
 */
export async function benchSsmWrites(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'stackpilot-bench-ssm-'));
  const local = await LocalAws.open({ dataDir: join(root, 'local') });
  try {
    const ssm = new SSMClient(local.clientConfig());
    const timed = async (send: () => Promise<unknown>) => {
      const start = performance.now();
      await send();
      return performance.now() - start;
    };
    const put = (i: number) => ssm.send(new PutParameterCommand({ Name: `/bench/p${i}`, Value: `value-${i}`, Type: i % 2 ? 'String' : 'SecureString' }));
    const rows: string[] = [];
    let stored = 0;
    for (const size of [500, 2000]) {
      while (stored < size - WINDOW) await put(stored++);
      const create: number[] = [];
      while (stored < size) create.push(await timed(() => put(stored++)));
      const update: number[] = [];
      for (let i = size - WINDOW; i < size; i++) update.push(await timed(() => ssm.send(new PutParameterCommand({ Name: `/bench/p${i}`, Value: 'changed', Overwrite: true }))));
      const remove: number[] = [];
      for (let i = size - WINDOW; i < size; i++) remove.push(await timed(() => ssm.send(new DeleteParameterCommand({ Name: `/bench/p${i}` }))));
      for (let i = size - WINDOW; i < size; i++) await put(i);
      rows.push(`  ${String(size).padStart(5)} stored   create ${median(create).toFixed(3)} ms   update ${median(update).toFixed(3)} ms   delete ${median(remove).toFixed(3)} ms`);
    }
    console.log(`local SSM on disk: one write, median of ${WINDOW}, with 500 and 2,000 parameters stored`);
    for (const row of rows) console.log(row);
  } finally {
    await local.close();
    rmSync(root, { recursive: true, force: true });
  }
}
