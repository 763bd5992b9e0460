// `npm run bench`: prints the figures each issue names. Runs the built CLI (npm run build).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './measure.ts';
import { benchDrift } from './drift.bench.ts';
import { benchBackup } from './backup.bench.ts';
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

if (!existsSync(join(REPO, 'dist', 'cli.js'))) {
  console.error('bench: build the CLI first (npm run build)');
  process.exit(1);
}
// The SDK is pinned to releases that run on Node 20; its notice about later ones is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
console.log(`stackpilot benchmarks on Node ${process.version}\n`);
benchValidate();
console.log('');
await benchEngine();
console.log('');
await benchLocalAws();
console.log('');
await benchSchedule();
console.log('');
await benchServeUploads();
console.log('');
await benchScale();
console.log('');
await benchFuzz();
console.log('');
await benchSsmWrites();
console.log('');
await benchWatch();
console.log('');
await benchDrift();
await benchBackup();
console.log('');
await benchRegions();
