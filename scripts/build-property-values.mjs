// Reduces the values CloudFormation accepts for enum properties, as cfn-lint ships them (MIT-0):
// the us-east-1 registry schemas (src/cfnlint/data/schemas/resources/<hash>.json, named by
// providers/us_east_1.py) with the enum patches cfn-lint adds from the AWS SDK's service models
// and by hand (src/cfnlint/data/schemas/patches/{extensions,providers}/all/<type>/*.json), to
// data/property-values.json (committed data, read on first need by src/validate/rules/resources/
// property-values.ts). Only string enums are kept, by type, then definition ('' for the
// resource's own properties), then property.
//
// Same source commit as scripts/build-region-types.mjs (the last one with committed schemas).
// Usage, with a clone (or bare git dir) of github.com/aws-cloudformation/cfn-lint:
//   node scripts/build-property-values.mjs <clone> [commit]
import { execFileSync } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE_REPOSITORY = 'aws-cloudformation/cfn-lint';
const DEFAULT_COMMIT = '602229535a34035f5b31c8d280e6c3773657e0f0';
const SCHEMAS = 'src/cfnlint/data/schemas';
/**
 * Enums left out: Lambda runtimes are checked with their lifecycle dates (data/lambda-runtimes.json),
 * and a list frozen at the source date would call every runtime AWS added since unknown.
 */
const SKIPPED = new Set(['AWS::Lambda::Function//Runtime']);

const [clone, commit = DEFAULT_COMMIT] = process.argv.slice(2);
if (!clone) {
  console.error(`usage: node scripts/build-property-values.mjs <clone of ${SOURCE_REPOSITORY}> [commit]`);
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['--git-dir', gitDir(clone), ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });

function gitDir(path) {
  return execFileSync('git', ['-C', path, 'rev-parse', '--git-dir'], { encoding: 'utf8' }).trim().replace(/^\.git$/, join(path, '.git')).replace(/^\.$/, path);
}

const fullCommit = git('rev-parse', `${commit}^{commit}`).trim();
const date = git('show', '-s', '--format=%cs', fullCommit).trim();
const blob = (path) => git('show', `${fullCommit}:${path}`);

/** type -> definition -> property -> values */
const values = new Map();
function record(type, definition, property, list) {
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string')) return;
  if (SKIPPED.has(`${type}/${definition}/${property}`)) return;
  if (!values.has(type)) values.set(type, new Map());
  const byDefinition = values.get(type);
  if (!byDefinition.has(definition)) byDefinition.set(definition, new Map());
  byDefinition.get(definition).set(property, [...new Set(list)].sort());
}

/** The enum of a property schema, of itself or of its list items. */
const enumOf = (schema) => schema?.enum ?? schema?.items?.enum;

const provider = blob(`${SCHEMAS}/providers/us_east_1.py`);
const types = new Map([...provider.matchAll(/^\s+"([A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+)": "([0-9a-f]+)",?$/gm)].map((m) => [m[1], m[2]]));
if (types.size === 0) throw new Error('no types read from providers/us_east_1.py');

for (const [type, hash] of types) {
  const schema = JSON.parse(blob(`${SCHEMAS}/resources/${hash}.json`));
  for (const [name, property] of Object.entries(schema.properties ?? {})) record(type, '', name, enumOf(property));
  for (const [definition, shape] of Object.entries(schema.definitions ?? {})) {
    for (const [name, property] of Object.entries(shape.properties ?? {})) record(type, definition, name, enumOf(property));
  }
}

// Patch folders are named after the type in lower case (aws_dynamodb_table).
const byFolder = new Map([...types.keys()].map((t) => [t.toLowerCase().replaceAll('::', '_'), t]));
const patchFiles = git('ls-tree', '-r', '--name-only', fullCommit, `${SCHEMAS}/patches/`).trim().split('\n');
const PATCH_PATH = /^\/(?:definitions\/([^/]+)\/)?properties\/([^/]+)(\/items)?\/enum$/;
for (const file of patchFiles) {
  const match = /\/patches\/(?:extensions|providers)\/all\/([a-z0-9_]+)\/[^/]+\.json$/.exec(file);
  const type = match && byFolder.get(match[1]);
  if (!type) continue;
  for (const op of JSON.parse(blob(file))) {
    const path = op.op === 'add' || op.op === 'replace' ? PATCH_PATH.exec(op.path) : null;
    if (path) record(type, path[1] ?? '', path[2], op.value);
  }
}

/** JSON with one type a line, which src/validate/rules/resources/allowed-values-data.ts reads a type at a time. */
function propertyValuesJson({ types, ...about }) {
  const lines = Object.entries(types).map(([type, definitions]) => `${JSON.stringify(type)}:${JSON.stringify(definitions)}`);
  return `${JSON.stringify(about).slice(0, -1)},"types":{\n${lines.join(',\n')}\n}}\n`;
}

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'property-values.json');
const sorted = [...values.keys()].sort();
const data = {
  source: `${SOURCE_REPOSITORY}@${fullCommit} (${SCHEMAS}: us-east-1 registry schemas and enum patches)`,
  date,
  types: Object.fromEntries(sorted.map((type) => [type, Object.fromEntries([...values.get(type)].sort().map(([d, p]) => [d, Object.fromEntries([...p].sort())]))])),
};
writeFileSync(`${out}.tmp`, propertyValuesJson(data));
renameSync(`${out}.tmp`, out);
console.log(`property values: ${sorted.length} types, ${[...values.values()].reduce((n, d) => n + [...d.values()].reduce((m, p) => m + p.size, 0), 0)} enum properties -> ${out}`);
