#!/usr/bin/env node
// Runs the bundled CLI (built by `npm run build`, which `npm install` runs).
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

const bundle = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('stackpilot: the CLI has not been built yet; run `npm run build` (npm install runs it).\n');
  process.exit(3);
}
// A command lives for seconds: V8's default budget sends code to its optimizing compiler so soon
// that compiling (and throwing away) optimized code costs more than it saves. About 8x the
// default (132 KB) measured best: `validate` on the corpus 1751 -> 1351 ms of CPU, a lone
// template 229 -> 200 ms (npm run bench -- validate). Set before the bundle loads, so all of it runs under it.
setFlagsFromString('--interrupt-budget=1000000');
await import(bundle.href);
