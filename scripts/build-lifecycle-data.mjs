// Reduces two lifecycle tables cfn-lint ships (MIT-0) to committed data, read on first need by
// src/validate/rules/resources/lifecycle-data.ts:
// - data/lambda-runtimes.json: AWS's "Lambda runtimes" table (deprecation date, block function
//   create, block function update), as cfn-lint keeps it (src/cfnlint/data/AdditionalSpecs/
//   LmbdRuntimeLifecycle.json, "dates from AWS docs");
// - data/service-lifecycle.json: resource types of AWS services in maintenance, sunset or shut
//   down, with the date (src/cfnlint/data/schemas/patches/extensions/all/<type>/lifecycle.json,
//   from AWS's sunset and full-shutdown service lists);
// - data/deprecated-properties.json: properties the registry schemas mark deprecated
//   (`deprecatedProperties`, as cfn-lint ships the us-east-1 schemas: src/cfnlint/data/schemas/
//   resources/<hash>.json), plus the facts below that the schemas do not carry: which of them AWS
//   no longer accepts (and since when), and what to use instead.
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
const DEPRECATED_DOC = 'https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-schema.html';
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

// Deprecated properties: type -> [{ path ('A/B/*/C'), status, since?, instead?, reason? }]. The registry's
// pointers are `/properties/A/B/*/C` (B a property of A's object, `*` each item of a list); the
// schemas say such a property is still accepted. Paths the schema no longer has, or has
// read-only, are dropped (SP3002 reports them as unknown). The facts AWS documents and the
// schemas do not hold, by hand:
const EC2_CLASSIC = { since: '2023-08-15', reason: 'the retirement of EC2-Classic, where cache security groups live' };
const IOT_ANALYTICS = { since: services['AWS::IoTAnalytics::Channel']?.date, reason: 'the shutdown of AWS IoT Analytics' };
const KNOWN = new Map(Object.entries({
  'AWS::AppSync::DataSource ElasticsearchConfig': { instead: 'OpenSearchServiceConfig' },
  'AWS::Athena::WorkGroup WorkGroupConfigurationUpdates': { instead: 'WorkGroupConfiguration' },
  'AWS::AutoScaling::AutoScalingGroup NotificationConfiguration': { instead: 'NotificationConfigurations' },
  'AWS::CloudFront::Distribution DistributionConfig/CustomOrigin': { instead: 'DistributionConfig/Origins' },
  'AWS::CloudFront::Distribution DistributionConfig/S3Origin': { instead: 'DistributionConfig/Origins' },
  'AWS::EC2::EIPAssociation EIP': { instead: 'AllocationId' },
  'AWS::ElastiCache::CacheCluster CacheSecurityGroupNames': { status: 'rejected', ...EC2_CLASSIC, instead: 'VpcSecurityGroupIds' },
  'AWS::ElastiCache::ReplicationGroup CacheSecurityGroupNames': { status: 'rejected', ...EC2_CLASSIC, instead: 'SecurityGroupIds' },
  'AWS::GameLift::Fleet LogPaths': { instead: 'RuntimeConfiguration' },
  'AWS::GameLift::Fleet ServerLaunchParameters': { instead: 'RuntimeConfiguration' },
  'AWS::GameLift::Fleet ServerLaunchPath': { instead: 'RuntimeConfiguration' },
  'AWS::Interconnect::Connection RemoteOwnerAccount': { instead: 'RemoteAccount' },
  'AWS::IoT::TopicRule TopicRulePayload/Actions/*/IotAnalytics': { status: 'rejected', ...IOT_ANALYTICS },
  'AWS::IoT::TopicRule TopicRulePayload/ErrorAction/IotAnalytics': { status: 'rejected', ...IOT_ANALYTICS },
  // AWS's Location service model: "Deprecated. No longer allowed." since 2022-02-01.
  'AWS::Location::GeofenceCollection PricingPlanDataSource': { status: 'rejected', since: '2022-02-01' },
  'AWS::Location::Tracker PricingPlanDataSource': { status: 'rejected', since: '2022-02-01' },
  'AWS::Neptune::DBInstance DBSnapshotIdentifier': { instead: 'SnapshotIdentifier of AWS::Neptune::DBCluster' },
  'AWS::SSO::InstanceAccessControlAttributeConfiguration InstanceAccessControlAttributeConfiguration': { instead: 'AccessControlAttributes' },
  'AWS::XRay::SamplingRule SamplingRuleRecord': { instead: 'SamplingRule' },
  'AWS::XRay::SamplingRule SamplingRuleUpdate': { instead: 'SamplingRule' },
}));

/** The schema node a pointer's segments lead to (following `$ref`s), or undefined. */
function schemaNode(schema, segments) {
  const resolve = (node) => {
    for (let depth = 0; node?.$ref && depth < 32; depth++) node = schema.definitions?.[node.$ref.replace('#/definitions/', '')];
    return node;
  };
  let node = { properties: schema.properties };
  for (const segment of segments) {
    node = resolve(node);
    node = segment === '*' ? node?.items : node?.properties?.[segment];
    if (!node) return undefined;
  }
  return node;
}

const deprecated = {};
const used = new Set();
for (const [, type, hash] of provider.matchAll(/^\s+"([A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+)": "([0-9a-f]+)",?$/gm)) {
  const schema = JSON.parse(git('show', `${schemas}:src/cfnlint/data/schemas/resources/${hash}.json`));
  for (const pointer of schema.deprecatedProperties ?? []) {
    const segments = pointer.split('/').slice(2);
    // A read-only property is not one a template sets (SP3002 reports it as unknown).
    const readOnly = (schema.readOnlyProperties ?? []).some((p) => `${pointer}/`.startsWith(`${p.replaceAll('/*', '')}/`));
    if (!pointer.startsWith('/properties/') || readOnly || !schemaNode(schema, segments)) continue;
    const key = `${type} ${segments.join('/')}`;
    used.add(key);
    (deprecated[type] ??= []).push({ path: segments.join('/'), status: 'deprecated', ...KNOWN.get(key) });
  }
}
const unused = [...KNOWN.keys()].filter((key) => !used.has(key));
if (unused.length > 0) throw new Error(`facts for properties the schemas do not mark deprecated: ${unused.join(', ')}`);
const deprecatedOut = write('deprecated-properties.json', {
  source: `${SOURCE_REPOSITORY}@${schemas} src/cfnlint/data/schemas/resources (deprecatedProperties: ${DEPRECATED_DOC}), with rejections and successors from AWS's documentation (scripts/build-lifecycle-data.mjs)`,
  date: dateOf(schemas),
  types: Object.fromEntries(Object.entries(deprecated).sort(([a], [b]) => a.localeCompare(b))),
});
console.log(`deprecated properties: ${Object.values(deprecated).flat().length} in ${Object.keys(deprecated).length} types -> ${deprecatedOut}`);
