// Bundles the CLI into dist/cli.cjs so `npx stackpilot` starts without compiling TypeScript, then
// runs it once to write the V8 code cache it starts from (dist/cli.cjs.cache, see bin/run-bundle.js).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cachePathOf } from '../bin/run-bundle.js';
import { bundleCli } from './bundle-options.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = fileURLToPath(new URL('../dist', import.meta.url));
rmSync(cachePathOf(`${dist}/cli.cjs`), { force: true });
const bundle = await bundleCli(dist);

// What the cache holds: the code checking a template runs (the rest compiles when first called).
const warmUp = ['validate', '--format', 'json', 'examples/collab-platform/templates/network.yaml'];
const run = spawnSync(process.execPath, [fileURLToPath(new URL('warm-code-cache.mjs', import.meta.url)), bundle, ...warmUp], { cwd: root, encoding: 'utf8' });
if (run.error || run.signal || !/"summary"/.test(run.stdout)) {
  process.stderr.write(`bundle: the warm-up run that writes the code cache failed; the CLI starts without it (slower).\n${run.stderr}`);
}
console.log('bundle: dist/cli.cjs');
