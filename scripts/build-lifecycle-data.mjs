// Reduces two lifecycle tables cfn-lint ships (MIT-0) to committed data, read on first need by
// src/validate/rules/resources/lifecycle-data.ts:
// - data/lambda-runtimes.json: AWS's "Lambda runtimes" table (deprecation date, block function
//   create, block function update), as cfn-lint keeps it (src/cfnlint/data/AdditionalSpecs/
//   LmbdRuntimeLifecycle.json, "dates from AWS docs");
// - data/service-lifecycle.json: resource types of AWS services in maintenance, sunset or shut
//   down, with the date (src/cfnlint/data/schemas/patches/extensions/all/<type>/lifecycle.json,
//   from AWS's sunset and full-shutdown service lists).
// Usage, with a clone (or bare git dir) of github.com/aws-cloudformation/cfn-lint:
//   node scripts/build-lifecycle-data.mjs <clone> [runtimes-commit] [schemas-commit]
import { execFileSync } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE_REPOSITORY = 'aws-cloudformation/cfn-lint';
/** The commit "fix: Update Lambda runtime lifecycle dates from AWS docs (#4532)". */
const RUNTIMES_COMMIT = 'afd7953b0c15ff362086946fb6417f6ec65539ac';
const RUNTIMES_FILE = 'src/cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json';
/** The last commit with committed schemas and their patches (as scripts/build-region-types.mjs). */
const SCHEMAS_COMMIT = '602229535a34035f5b31c8d280e6c3773657e0f0';
const PATCHES = 'src/cfnlint/data/schemas/patches/extensions/all';
const RUNTIMES_DOC = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html';
const SERVICES_DOC = 'https://docs.aws.amazon.com/general/latest/gr/sunset_services.html';

const [clone, runtimesCommit = RUNTIMES_COMMIT, schemasCommit = SCHEMAS_COMMIT] = process.argv.slice(2);
if (!clone) {
  console.error(`usage: node scripts/build-lifecycle-data.mjs <clone of ${SOURCE_REPOSITORY}> [runtimes-commit] [schemas-commit]`);
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['--git-dir', gitDir(clone), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

function gitDir(path) {
  return execFileSync('git', ['-C', path, 'rev-parse', '--git-dir'], { encoding: 'utf8' }).trim().replace(/^\.git$/, join(path, '.git')).replace(/^\.$/, path);
}
const commitOf = (ref) => git('rev-parse', `${ref}^{commit}`).trim();
const dateOf = (commit) => git('show', '-s', '--format=%cs', commit).trim();
const dataDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'data');

function write(name, data) {
  const out = join(dataDir, name);
  writeFileSync(`${out}.tmp`, `${JSON.stringify(data, null, 1)}\n`);
  renameSync(`${out}.tmp`, out);
  return out;
}

// Lambda runtimes: identifier -> [deprecated, block create, block update, successor] (dates may be null).
const runtimes = git('show', `${commitOf(runtimesCommit)}:${RUNTIMES_FILE}`);
const runtimeTable = Object.fromEntries(
  Object.entries(JSON.parse(runtimes))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, r]) => [id, { deprecated: r.deprecated ?? null, blockCreate: r['create-block'] ?? null, blockUpdate: r['update-block'] ?? null, successor: r.successor ?? null }]),
);
const runtimesOut = write('lambda-runtimes.json', {
  source: `${SOURCE_REPOSITORY}@${commitOf(runtimesCommit)} ${RUNTIMES_FILE} (AWS's table: ${RUNTIMES_DOC})`,
  date: dateOf(commitOf(runtimesCommit)),
  runtimes: runtimeTable,
});
console.log(`lambda runtimes: ${Object.keys(runtimeTable).length} -> ${runtimesOut}`);

// Service lifecycle: resource type -> { status, date? }. Patch folders are the type in lower case;
// the type's own spelling comes from the registry schemas' provider list.
const schemas = commitOf(schemasCommit);
const provider = git('show', `${schemas}:src/cfnlint/data/schemas/providers/us_east_1.py`);
const byFolder = new Map([...provider.matchAll(/^\s+"([A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+)": "[0-9a-f]+",?$/gm)].map((m) => [m[1].toLowerCase().replaceAll('::', '_'), m[1]]));
const services = {};
for (const file of git('ls-tree', '-r', '--name-only', schemas, `${PATCHES}/`).trim().split('\n')) {
  const match = /\/all\/([a-z0-9_]+)\/lifecycle\.json$/.exec(file);
  if (!match) continue;
  const type = byFolder.get(match[1]);
  // A type gone from the registry is already an unknown type (SP3001).
  if (!type) continue;
  const op = JSON.parse(git('show', `${schemas}:${file}`)).find((o) => o.path === '/lifecycle');
  if (op) services[type] = op.value.date ? { status: op.value.status, date: op.value.date } : { status: op.value.status };
}
const servicesOut = write('service-lifecycle.json', {
  source: `${SOURCE_REPOSITORY}@${schemas} ${PATCHES}/*/lifecycle.json (AWS's lists: ${SERVICES_DOC})`,
  date: dateOf(schemas),
  types: Object.fromEntries(Object.entries(services).sort(([a], [b]) => a.localeCompare(b))),
});
console.log(`service lifecycle: ${Object.keys(services).length} types -> ${servicesOut}`);
