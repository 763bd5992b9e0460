// `npm run bench`: prints the figures each issue names. Runs the built CLI (npm run build).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './measure.ts';
import { benchDrift } from './drift.bench.ts';
import { benchBackup } from './backup.bench.ts';
import { benchCost } from './cost.bench.ts';
import { benchEngine } from './engine.bench.ts';
import { benchFuzz } from './fuzz.bench.ts';
import { benchLocalAws } from './local-aws.bench.ts';
import { benchRegions } from './regions.bench.ts';
import { benchScale } from './scale.bench.ts';
import { benchSchedule } from './schedule.bench.ts';
import { benchServeUploads } from './serve-uploads.bench.ts';
import { benchSsmWrites } from './ssm-writes.bench.ts';
import { benchValidate } from './validate.bench.ts';
import { benchWatch } from './watch.bench.ts';

if (!existsSync(join(REPO, 'dist', 'cli.cjs'))) {
  console.error('bench: build the CLI first (npm run build)');
  process.exit(1);
}
// The SDK is pinned to releases that run on Node 20; its notice about later ones is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
/** Each part by the name `npm run bench -- NAME...` runs it alone (all run without a name). */
const PARTS: [string, () => unknown][] = [
  ['validate', benchValidate],
  ['engine', benchEngine],
  ['local-aws', benchLocalAws],
  ['schedule', benchSchedule],
  ['serve-uploads', benchServeUploads],
  ['scale', benchScale],
  ['fuzz', benchFuzz],
  ['ssm-writes', benchSsmWrites],
  ['watch', benchWatch],
  ['drift', benchDrift],
  ['backup', benchBackup],
  ['regions', benchRegions],
  ['cost', benchCost],
];
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !PARTS.some(([part]) => part === name));
if (unknown.length > 0) {
  console.error(`bench: no part named ${unknown.join(', ')}; the parts: ${PARTS.map(([part]) => part).join(', ')}`);
  process.exit(1);
}
console.log(`stackpilot benchmarks on Node ${process.version}\n`);
for (const [name, run] of PARTS) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  await run();
  console.log('');
}
