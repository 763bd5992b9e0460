// Runs every *.test.ts under test/ and examples/ (the reference projects' own code) with
// node:test through tsx (Node 20's --test takes no globs).
// Extra arguments narrow the run: `npm test -- test/cli` or `npm test -- engine`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const filters = process.argv.slice(2);
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
// The SDK's notice that its 2027 releases need Node 22 says nothing about the code under test.
const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env };
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...selected], { cwd: root, stdio: 'inherit', env });
process.exit(run.status ?? 1);
