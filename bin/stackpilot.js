#!/usr/bin/env node
// Runs the bundled CLI (built by `npm run build`, which `npm install` runs).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('stackpilot: the CLI has not been built yet; run `npm run build` (npm install runs it).\n');
  process.exit(3);
}
await import(bundle.href);
