import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundleCli } from '../scripts/bundle-options.mjs';
import { REPO } from './helpers.ts';

let bundled: Promise<string> | undefined;

/**
 * The CLI bundled from the current source (as `npm run build` does), once per test process: tests
 * that start the CLI dozens of times pay ~0.2 s a start instead of compiling TypeScript each time.
 * It lives inside the repository so that it finds `generated/` as dist/ does.
 */
export function bundledCli(): Promise<string> {
  bundled ??= (async () => {
    const outdir = join(REPO, 'node_modules', '.cache', `stackpilot-cli-${process.pid}`);
    mkdirSync(outdir, { recursive: true });
    process.on('exit', () => rmSync(outdir, { recursive: true, force: true }));
    return bundleCli(outdir);
  })();
  return bundled;
}
