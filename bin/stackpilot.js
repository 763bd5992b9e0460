#!/usr/bin/env node
// Runs the bundled CLI (built by `npm run build`, which `npm install` runs).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runBundle } from './run-bundle.js';

const bundle = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('stackpilot: the CLI has not been built yet; run `npm run build` (npm install runs it).\n');
  process.exit(3);
}
runBundle(bundle);
