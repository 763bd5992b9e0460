// Reduces the resource types CloudFormation offers in each region, as cfn-lint ships them
// (src/cfnlint/data/schemas/providers/<region>.py: the region's registry types, MIT-0), to
// data/region-types.json (committed data, read on first need by src/regions/availability.ts). Most
// types are offered everywhere (listed once), so the data keeps, per other type, the regions that
// do NOT offer it (or, written `+ ...`, the regions that do, when that list is the shorter).
//
// cfn-lint stopped committing these lists at 359b10ccb (2026-06-16, schemas now come from a
// release download), so the default commit is the last one that has them. Usage, with a clone
// (or bare git dir) of github.com/aws-cloudformation/cfn-lint:
//   node scripts/build-region-types.mjs <clone> [commit]
import { execFileSync } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE_REPOSITORY = 'aws-cloudformation/cfn-lint';
const DEFAULT_COMMIT = '602229535a34035f5b31c8d280e6c3773657e0f0';
const PROVIDERS = 'src/cfnlint/data/schemas/providers';
const REFERENCE_REGION = 'us-east-1';

const [clone, commit = DEFAULT_COMMIT] = process.argv.slice(2);
if (!clone) {
  console.error(`usage: node scripts/build-region-types.mjs <clone of ${SOURCE_REPOSITORY}> [commit]`);
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['--git-dir', gitDir(clone), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

function gitDir(path) {
  return execFileSync('git', ['-C', path, 'rev-parse', '--git-dir'], { encoding: 'utf8' }).trim().replace(/^\.git$/, join(path, '.git')).replace(/^\.$/, path);
}

const fullCommit = git('rev-parse', `${commit}^{commit}`).trim();
const date = git('show', '-s', '--format=%cs', fullCommit).trim();
const listing = git('ls-tree', fullCommit, `${PROVIDERS}/`).trim().split('\n');

/** Region name -> { blob, types } from each providers/<region>.py (`types: dict[str, str] = {"AWS::X::Y": "hash", ...}`). */
const regions = new Map();
for (const line of listing) {
  const match = /^\d+ blob ([0-9a-f]+)\t.*\/([a-z0-9_]+)\.py$/.exec(line);
  if (!match || match[2] === '__init__') continue;
  const [, blob, file] = match;
  const text = git('cat-file', 'blob', blob);
  const types = new Set([...text.matchAll(/^\s+"([A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+)": "[0-9a-f]+",?$/gm)].map((m) => m[1]));
  if (types.size === 0) throw new Error(`${file}.py: no types read`);
  regions.set(file.replaceAll('_', '-'), { blob, types });
}
const reference = regions.get(REFERENCE_REGION);
if (!reference) throw new Error(`no ${REFERENCE_REGION} in ${PROVIDERS}`);

// cfn-lint gives regions it has no schemas for (ISO partitions, the European Sovereign Cloud) a
// copy of us-east-1's list: those are left out as unknown rather than claimed to offer everything.
const covered = [...regions.keys()].filter((r) => r === REFERENCE_REGION || regions.get(r).blob !== reference.blob).sort();
const uncovered = [...regions.keys()].filter((r) => !covered.includes(r)).sort();

const allTypes = new Set(covered.flatMap((r) => [...regions.get(r).types]));
const missing = {};
const everywhere = [];
for (const type of [...allTypes].sort()) {
  const absent = covered.filter((r) => !regions.get(r).types.has(type));
  if (absent.length === 0) {
    everywhere.push(type);
    continue;
  }
  const offered = covered.filter((r) => !absent.includes(r));
  missing[type] = absent.length <= offered.length ? absent.join(' ') : `+ ${offered.join(' ')}`;
}

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'region-types.json');
const data = { source: `${SOURCE_REPOSITORY}@${fullCommit}`, date, regions: covered, uncoveredRegions: uncovered, typeCount: allTypes.size, everywhere, missing };
writeFileSync(`${out}.tmp`, `${JSON.stringify(data, null, 1)}\n`);
renameSync(`${out}.tmp`, out);
console.log(`region types: ${allTypes.size} types, ${covered.length} regions (${Object.keys(missing).length} types missing somewhere) -> ${out}`);
