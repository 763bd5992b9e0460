import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackpilotError } from '../errors.ts';
import { BEDROCK_MODELS } from '../spec/bedrock-models-data.ts';
import { findPackageFile } from '../spec/package-files.ts';

/** data/region-types.json, as scripts/build-region-types.mjs writes it. */
export interface RegionTypesData {
  /** `owner/repository@commit` the lists were read from. */
  source: string;
  /** Date of that commit (the schemas' date). */
  date: string;
  /** Regions the data covers. */
  regions: string[];
  /** Regions the source has no list of its own for: nothing is said about them. */
  uncoveredRegions: string[];
  typeCount: number;
  /** Types every covered region offers. */
  everywhere: string[];
  /** Type -> the covered regions that do not offer it, or `+ regions` that alone do; types offered everywhere are left out. */
  missing: Record<string, string>;
}

/** src/spec/bedrock-models-data.ts: model id -> regions it can be invoked from. */
export interface BedrockModelsData {
  source: string;
  date: string;
  models: Record<string, string>;
}

/** Services per region as AWS published them at the last `stackpilot regions refresh` (see refreshed-services.ts). */
export interface PublishedServices {
  /** ISO date and time of the refresh. */
  refreshedAt: string;
  byRegion: Map<string, Set<string>>;
  /** Ids any refreshed region lists: a type whose id none lists is one the service-id mapping misses. */
  known: Set<string>;
}

export type Availability = { offered: true } | { offered: false; reason: string } | { offered: undefined };

const REGION_TYPES_FILE = join('data', 'region-types.json');

/**
 * CloudFormation service prefixes whose id in AWS's global-infrastructure parameters differs from
 * the lower-cased prefix. Partial: a prefix missing here is looked up lower-cased, and a prefix
 * whose id is not published at all keeps the bundled answer.
 */
const SERVICE_IDS = new Map<string, string>([
  ['ApiGatewayV2', 'apigateway'],
  ['ApplicationAutoScaling', 'application-autoscaling'],
  ['CertificateManager', 'acm'],
  ['Cognito', 'cognito-idp'],
  ['ElasticLoadBalancing', 'elb'],
  ['ElasticLoadBalancingV2', 'elb'],
  ['Elasticsearch', 'es'],
  ['KinesisFirehose', 'firehose'],
  ['OpenSearchService', 'es'],
]);

/** The global-infrastructure service id of a type's service (`AWS::DynamoDB::Table` -> `dynamodb`). */
export function serviceIdOf(type: string): string | undefined {
  const [vendor, prefix] = type.split('::');
  if (vendor !== 'AWS' || !prefix) return undefined;
  return SERVICE_IDS.get(prefix) ?? prefix.toLowerCase();
}

export class RegionTypes {
  readonly regions: Set<string>;
  private readonly absent = new Map<string, Set<string>>();
  private readonly only = new Map<string, Set<string>>();
  private readonly services = new Map<string, Set<string>>();

  constructor(readonly data: RegionTypesData) {
    this.regions = new Set(data.regions);
    for (const [type, list] of Object.entries(data.missing)) {
      if (list.startsWith('+ ')) this.only.set(type, new Set(list.slice(2).split(' ')));
      else this.absent.set(type, new Set(list.split(' ')));
    }
  }

  /** Whether the bundled lists say `type` is offered in `region`; undefined where they say nothing. */
  offers(type: string, region: string): boolean | undefined {
    if (!this.regions.has(region)) return undefined;
    const only = this.only.get(type);
    if (only) return only.has(region);
    const absent = this.absent.get(type);
    return absent ? !absent.has(region) : true;
  }

  /** Every type the data names. */
  types(): string[] {
    return [...this.data.everywhere, ...this.only.keys(), ...this.absent.keys()];
  }

  /** The services a region offers in the bundled data: those with a type offered there. */
  servicesIn(region: string): Set<string> {
    let services = this.services.get(region);
    if (!services) {
      services = new Set();
      for (const type of this.types()) {
        const id = serviceIdOf(type);
        if (id && this.offers(type, region)) services.add(id);
      }
      this.services.set(region, services);
    }
    return services;
  }
}

let regionTypes: RegionTypes | undefined;

/** The bundled per-region type lists, read on first use (most projects never ask). */
export function bundledRegionTypes(): RegionTypes {
  regionTypes ??= new RegionTypes(JSON.parse(readFileSync(findDataFile(), 'utf8')) as RegionTypesData);
  return regionTypes;
}

function findDataFile(): string {
  const found = findPackageFile(REGION_TYPES_FILE);
  if (found) return found;
  throw new StackpilotError('RegionDataMissing', `The region availability data (${REGION_TYPES_FILE}) is missing from the installation.`, 'Reinstall stackpilot.');
}

/**
 * Whether a resource type is offered in a region: the bundled lists, overridden at service level
 * by what AWS publishes when `services` (refreshed) covers the region. A type the lists do not
 * name as missing anywhere counts as offered: it is offered everywhere, or unknown to the data
 * (custom, registry, newer), which SP3001 judges.
 */
export function typeAvailability(type: string, region: string, published?: PublishedServices): Availability {
  const bundled = bundledRegionTypes();
  const offered = bundled.offers(type, region);
  const serviceId = serviceIdOf(type);
  const inRegion = published?.byRegion.get(region);
  if (serviceId && inRegion && published?.known.has(serviceId)) {
    if (!inRegion.has(serviceId)) return { offered: false, reason: `not offered in ${region} (AWS listed no ${serviceId} service there at the refresh of ${published.refreshedAt.slice(0, 10)})` };
    // The service arrived after the bundled data: its types are taken as offered.
    if (offered === false && !bundled.servicesIn(region).has(serviceId)) return { offered: true };
  }
  if (offered === undefined) return { offered: undefined };
  return offered ? { offered: true } : { offered: false, reason: `not offered in ${region} (CloudFormation resource types of ${bundled.data.date})` };
}

const GEOGRAPHY = '(us|eu|apac|us-gov|jp|au|ca|global)\\.';
const GEOGRAPHY_PREFIX = new RegExp(`^${GEOGRAPHY}`);
/** Where an inference profile of each geography can be called from (`global.` from anywhere the model is). */
const PROFILE_SOURCES = new Map([
  ['us.', /^us-(?!gov-)/],
  ['us-gov.', /^us-gov-/],
  ['eu.', /^eu-/],
  ['apac.', /^ap-/],
  ['jp.', /^ap-northeast-[13]$/],
  ['au.', /^ap-southeast-[24]$/],
  ['ca.', /^ca-/],
]);
let bedrockModels: Map<string, Set<string>> | undefined;

/**
 * Whether a Bedrock model can be invoked from a region. The name may be a full model id
 * (`anthropic.claude-3-5-sonnet-20240620-v1:0`), an inference profile id (`us.` + model id) or a
 * family (`anthropic.claude-3-5-sonnet`: offered where any of its versions is). Names the table
 * does not know are not judged.
 */
export function modelAvailability(model: string, region: string): Availability {
  bedrockModels ??= new Map(Object.entries(BEDROCK_MODELS.models).map(([id, regions]) => [id, new Set(regions.split(' '))]));
  const geography = GEOGRAPHY_PREFIX.exec(model)?.[0];
  const sources = geography ? PROFILE_SOURCES.get(geography) : undefined;
  if (sources && !sources.test(region)) return { offered: false, reason: `the ${geography} inference profile is called from its own geography's regions only` };
  const name = geography ? model.slice(geography.length) : model;
  const versions = [...bedrockModels].filter(([id]) => id === name || id.startsWith(`${name}-`) || id.startsWith(`${name}:`));
  if (versions.length === 0) return { offered: undefined };
  if (versions.some(([, regions]) => regions.has(region))) return { offered: true };
  return { offered: false, reason: `offered in ${[...new Set(versions.flatMap(([, r]) => [...r]))].sort().join(', ')} (Bedrock models of ${BEDROCK_MODELS.date})` };
}

/** Providers of Bedrock model ids: a value `provider.name` of these is taken for a model id. */
export const BEDROCK_MODEL_ID = new RegExp(`^(${GEOGRAPHY})?(amazon|anthropic|meta|mistral|cohere|ai21|stability|deepseek|writer|qwen|openai|twelvelabs|luma)\\.[a-z0-9][a-z0-9.:-]*$`);
