// Runs every *.test.ts under test/ and examples/ (the reference projects' own code) with
// node:test through tsx (Node 20's --test takes no globs).
// Extra arguments narrow the run: `npm test -- test/cli` or `npm test -- engine`.
// STACKPILOT_TEST_BAIL=1 stops at the first failing test (mutation runs only need to know that one failed).
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { makeScratch, testEnvironment, tsxCache } from './test-scratch.mjs';

const root = join(import.meta.dirname, '..');

const filters = process.argv.slice(2);
const bail = process.env.STACKPILOT_TEST_BAIL === '1';
const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.name === 'node_modules') continue;
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith('.test.ts')) files.push(relative(root, path));
  }
};
walk(join(root, 'test'));
walk(join(root, 'examples'));
const selected = files.sort().filter((f) => filters.length === 0 || filters.some((filter) => f.includes(filter)));
if (selected.length === 0) {
  console.error(`no test file matches ${filters.join(' ')}`);
  process.exit(1);
}

const scratch = makeScratch('suite');
const env = { ...process.env, ...testEnvironment(scratch) };
const reporter = bail ? 'tap' : 'spec';
// Its own process group, so a bail stops the test files' processes and whatever they started.
const run = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-reporter=${reporter}`, ...selected], {
  cwd: root,
  env,
  detached: true,
  stdio: ['ignore', bail ? 'pipe' : 'inherit', 'inherit'],
});
// Never kill(-0): that would be this process's own group.
const stopGroup = () => {
  if (run.pid === undefined) return;
  try {
    process.kill(-run.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
};
let bailed = false;
if (bail) {
  createInterface({ input: run.stdout }).on('line', (line) => {
    process.stdout.write(line + '\n');
    if (!bailed && /^\s*not ok /.test(line)) {
      bailed = true;
      stopGroup();
    }
  });
}
process.on('SIGINT', () => { stopGroup(); process.exit(130); });
process.on('SIGTERM', () => { stopGroup(); process.exit(143); });

const status = await new Promise((resolve) => run.on('close', (code) => resolve(bailed ? 1 : (code ?? 1))));
const leftovers = readdirSync(scratch).filter((name) => name !== tsxCache);
rmSync(scratch, { recursive: true, force: true });
if (leftovers.length > 0 && status === 0 && !bail) {
  console.error(`the tests left ${leftovers.length} temporary folder(s) behind: ${leftovers.slice(0, 10).join(', ')}`);
  console.error('each test removes what it makes (temporaryFolder() in test/helpers.ts does it on exit)');
  process.exit(1);
}
process.exit(status);
