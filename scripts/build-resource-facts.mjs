// Reduces @aws-cdk/aws-service-spec's database (tens of MB once inflated) to the few facts
// stackpilot needs per resource type, so loading them stays cheap at start-up.
// Output: generated/resource-facts.jsonl, read by src/spec/resource-facts.ts.
import { readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const specPackage = dirname(require.resolve('@aws-cdk/aws-service-spec/package.json'));
const db = JSON.parse(gunzipSync(readFileSync(join(specPackage, 'db.json.gz'))).toString('utf8'));
const specVersion = JSON.parse(readFileSync(join(specPackage, 'package.json'), 'utf8')).version;

const typeDefinitions = new Map(db.schema.typeDefinition.entities.map((d) => [d.$id, d]));
const shapes = []; // dense list of property-type shapes referenced from resources
const shapeIndex = new Map(); // spec $id -> index in shapes

// Type codes: S string, I integer, N number, B boolean, J json, T tag, [x] list of x,
// {x} map of x, #n shape n, x|y union.
function encodeType(type) {
  switch (type.type) {
    case 'string': return 'S';
    case 'integer': return 'I';
    case 'number': return 'N';
    case 'boolean': return 'B';
    case 'json': return 'J';
    case 'tag': return 'T';
    case 'date-time': return 'S';
    case 'null': return 'J';
    case 'array': return `[${encodeType(type.element)}]`;
    case 'map': return `{${encodeType(type.element)}}`;
    case 'union': return type.types.map(encodeType).join('|');
    case 'ref': return `#${shapeFor(type.reference.$ref)}`;
    default: throw new Error(`unknown type kind ${type.type}`);
  }
}

function encodeProperties(properties) {
  const out = {};
  for (const [name, property] of Object.entries(properties)) {
    let code = encodeType(property.type);
    // Older types are still accepted by CloudFormation, so literals may take either form.
    for (const previous of property.previousTypes ?? []) {
      const old = encodeType(previous);
      if (!code.split('|').includes(old)) code += `|${old}`;
    }
    const entry = { t: code };
    if (property.required) entry.r = 1;
    if (property.causesReplacement === 'yes') entry.x = 'yes';
    if (property.causesReplacement === 'maybe') entry.x = 'maybe';
    out[name] = entry;
  }
  return out;
}

function shapeFor(id) {
  const known = shapeIndex.get(id);
  if (known !== undefined) return known;
  const index = shapes.length;
  shapeIndex.set(id, index);
  shapes.push(null); // reserve the slot before recursing: shapes can be recursive
  const definition = typeDefinitions.get(id);
  shapes[index] = { n: definition.name, p: encodeProperties(definition.properties) };
  return index;
}

const resources = {};
for (const resource of db.schema.resource.entities) {
  const entry = {
    p: encodeProperties(resource.properties),
    a: Object.keys(resource.attributes),
    id: resource.primaryIdentifier ?? [],
  };
  if (resource.isStateful) entry.s = 1;
  if (resource.arnTemplate) entry.arn = resource.arnTemplate;
  if (resource.cfnRefIdentifier) entry.ref = resource.cfnRefIdentifier;
  if (resource.tagInformation) entry.tags = resource.tagInformation.tagPropertyName;
  resources[resource.cloudFormationType] = entry;
}

// One JSON entry a line, parsed only when a template uses it, behind a first line that says where
// each starts (in bytes after that line): the reader slices what it needs from the file's bytes,
// where parsing the whole 2.3 MB (as one JSON of JSON strings) cost 11 ms and its garbage
// at every start.
const types = Object.keys(resources).sort();
const entries = [...types.map((type) => JSON.stringify(resources[type])), ...shapes.map((shape) => JSON.stringify(shape))];
const offsets = [0];
for (const entry of entries) offsets.push(offsets.at(-1) + Buffer.byteLength(entry) + 1);
const header = JSON.stringify({ version: specVersion, types, shapes: shapes.length, offsets });
const out = join(root, 'generated', 'resource-facts.jsonl');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(`${out}.tmp`, `${header}\n${entries.join('\n')}\n`);
renameSync(`${out}.tmp`, out);
console.log(`resource facts: ${types.length} types, ${shapes.length} shapes -> ${out}`);
