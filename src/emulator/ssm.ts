import { join } from 'node:path';
import { compileUserPattern } from '../template/user-pattern.ts';
import { RegionalItems, type ItemTable } from './item-files.ts';
import { maxResults, page } from './paging.ts';
import { publicParameter } from './ssm-public-parameters.ts';
import { globalInfrastructureUnder } from './ssm/global-infrastructure.ts';
import { labelVersion, unlabelVersion } from './ssm/labels.ts';
import { isUnderPath, legacyFilters, parameterMatcher } from './ssm/parameter-filters.ts';
import {
  historyShape,
  latestVersion,
  mapParameterValues,
  metadataShape,
  parameterProblem,
  parameterShape,
  parseSelector,
  selectVersion,
  type ParameterScope,
  type ParameterVersion,
  type StoredParameter,
} from './ssm/parameters.ts';
import { isSealed, type StateSecrets } from './state-secrets.ts';
import { mergeTags, requireSome, withoutTags, type Tag } from './tags.ts';
import { ServiceError, jsonErrorReply, jsonReply, readJsonBody, targetAction, type LocalReply, type LocalRequest, type ServiceEmulator } from './wire.ts';

type Input = Record<string, unknown>;
type Parameters = ItemTable<StoredParameter>;

const PARAMETER_TYPES = new Set(['String', 'StringList', 'SecureString']);
const MAX_VERSIONS = 100;
/** Tags on one resource (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_AddTagsToResource.html). */
const MAX_TAGS = 50;

/**
 * SSM Parameter Store over awsJson 1.1 (`X-Amz-Target: AmazonSSM.<Action>`), one table per
 * region, one file per parameter (see item-files.ts).
 */
export class SsmEmulator implements ServiceEmulator {
  private readonly tables: RegionalItems<StoredParameter>;

  /** `secrets` seals the SecureString values in the files of `dataDir`. */
  constructor(
    private readonly accountId: string,
    dataDir: string | undefined,
    secrets: StateSecrets | undefined,
  ) {
    this.tables = new RegionalItems(dataDir && join(dataDir, 'ssm'), (region) => ({
      kind: 'SSM parameter',
      losing: `the SSM parameters of ${region}`,
      keyOf: (parameter) => parameter.name,
      check: parameterProblem,
      ...(secrets ? { mapSecrets: sealingOf(secrets) } : {}),
    }));
  }

  /** Reads every region's parameters on disk now, so that damaged state shows when the emulator opens. */
  open(): void {
    this.tables.openAll();
  }

  async handle(request: LocalRequest): Promise<LocalReply> {
    try {
      const input = readJsonBody<Input>(request);
      const parameters = this.tables.forRegion(request.region);
      const scope: ParameterScope = { region: request.region, accountId: this.accountId };
      return jsonReply(200, this.act(targetAction(request), input, parameters, scope));
    } catch (error) {
      if (error instanceof ServiceError) return jsonErrorReply(error.code, error.message, error.status);
      throw error;
    }
  }

  private act(action: string, input: Input, parameters: Parameters, scope: ParameterScope): unknown {
    const table = parameters.items;
    const withDecryption = input.WithDecryption === true;
    switch (action) {
      case 'PutParameter':
        return changing(parameters, String(input.Name ?? ''), () => putParameter(table, input));
      case 'GetParameter':
        return { Parameter: describe(table, scope, String(input.Name ?? ''), withDecryption) };
      case 'GetParameters':
        return getParameters(table, scope, (input.Names as string[] | undefined) ?? [], withDecryption);
      case 'GetParametersByPath':
        return getParametersByPath(table, scope, input);
      case 'GetParameterHistory': {
        const parameter = requireParameter(table, String(input.Name ?? ''));
        const { items, nextToken } = page(parameter.versions, versionKey, input, maxResults(input, 50));
        return { Parameters: items.map((version) => historyShape(parameter, version, scope, withDecryption)), ...(nextToken ? { NextToken: nextToken } : {}) };
      }
      case 'DescribeParameters':
        return describeParameters(table, scope, input);
      case 'DeleteParameter': {
        const name = String(input.Name ?? '');
        requireParameter(table, name);
        delete table[name];
        parameters.save(name);
        return {};
      }
      case 'DeleteParameters': {
        const names = (input.Names as string[] | undefined) ?? [];
        const deleted = names.filter((name) => table[name]);
        for (const name of deleted) {
          delete table[name];
          parameters.save(name);
        }
        return { DeletedParameters: deleted, InvalidParameters: names.filter((name) => !deleted.includes(name)) };
      }
      case 'LabelParameterVersion': {
        const parameter = requireParameter(table, String(input.Name ?? ''));
        const version = input.ParameterVersion === undefined ? undefined : Number(input.ParameterVersion);
        return changing(parameters, parameter.name, () => labelVersion(parameter, version, (input.Labels as string[] | undefined) ?? []));
      }
      case 'UnlabelParameterVersion': {
        const parameter = requireParameter(table, String(input.Name ?? ''));
        return changing(parameters, parameter.name, () => unlabelVersion(parameter, Number(input.ParameterVersion), (input.Labels as string[] | undefined) ?? []));
      }
      case 'AddTagsToResource': {
        const parameter = taggedParameter(table, input);
        const tags = requireSome<Tag>(input.Tags, 'tags');
        return changing(parameters, parameter.name, () => addTags(parameter, tags));
      }
      case 'RemoveTagsFromResource': {
        const parameter = taggedParameter(table, input);
        const keys = requireSome<string>(input.TagKeys, 'tagKeys');
        return changing(parameters, parameter.name, () => {
          parameter.tags = withoutTags(parameter.tags, keys);
          return {};
        });
      }
      case 'ListTagsForResource':
        return { TagList: taggedParameter(table, input).tags };
      default:
        throw new ServiceError('InvalidAction', `The action ${action} is not supported by the local SSM emulator`);
    }
  }
}

/** Runs a change of one parameter, then writes that parameter alone (see ItemTable.save). */
function changing<T>(parameters: Parameters, name: string, change: () => T): T {
  const result = change();
  parameters.save(name);
  return result;
}

function putParameter(table: Record<string, StoredParameter>, input: Input): { Version: number; Tier: string } {
  const name = String(input.Name ?? '');
  const value = input.Value;
  if (!name) throw new ServiceError('ValidationException', "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
  if (typeof value !== 'string') throw new ServiceError('ValidationException', "1 validation error detected: Value null at 'value' failed to satisfy constraint: Member must not be null");
  const existing = table[name];
  if (existing && input.Overwrite !== true) {
    throw new ServiceError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
  }
  if (existing && input.Tags) throw new ServiceError('ValidationException', "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.");
  const latest = existing && latestVersion(existing);
  const type = (input.Type as string | undefined) ?? latest?.type;
  if (!type) throw new ServiceError('ValidationException', 'A parameter type is required when you create a parameter.');
  if (!PARAMETER_TYPES.has(type)) throw new ServiceError('ValidationException', `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`);
  const allowedPattern = input.AllowedPattern === undefined ? undefined : String(input.AllowedPattern);
  if (allowedPattern !== undefined) checkAllowedPattern(allowedPattern, value);
  const version: ParameterVersion = {
    version: (latest?.version ?? 0) + 1,
    value,
    type,
    description: (input.Description as string | undefined) ?? latest?.description,
    allowedPattern,
    keyId: type === 'SecureString' ? ((input.KeyId as string | undefined) ?? 'alias/aws/ssm') : undefined,
    dataType: (input.DataType as string | undefined) ?? 'text',
    tier: (input.Tier as string | undefined) === 'Advanced' ? 'Advanced' : 'Standard',
    lastModifiedDate: Date.now() / 1000,
    labels: [],
  };
  const tags = (input.Tags as Tag[] | undefined) ?? [];
  if (tags.length > MAX_TAGS) throw tooManyTags();
  const parameter = existing ?? { name, tags, versions: [] };
  parameter.versions = [...parameter.versions, version].slice(-MAX_VERSIONS);
  table[name] = parameter;
  return { Version: version.version, Tier: version.tier };
}

/** SSM's AllowedPattern: at most 1024 characters, and the whole value must match it. */
function checkAllowedPattern(source: string, value: string): void {
  if (source.length > 1024) throw new ServiceError('ValidationException', "1 validation error detected: Value at 'allowedPattern' failed to satisfy constraint: Member must have length less than or equal to 1024");
  // RE2 (linear time): a hostile pattern cannot stall the local service (see user-pattern.ts).
  const pattern = compileUserPattern(source);
  if (!pattern.ok && pattern.problem === 'unsupported') {
    throw new ServiceError('ValidationException', `The AllowedPattern uses ${pattern.reason}, which the stackpilot local Parameter Store does not evaluate: it matches patterns in linear time (RE2)`);
  }
  if (!pattern.ok) throw new ServiceError('ValidationException', `The AllowedPattern is not a valid regular expression: ${pattern.reason}`);
  const matched = pattern.matches(value);
  if (matched === 'too-long') throw new ServiceError('ValidationException', 'The value is too long for the stackpilot local Parameter Store to check against its AllowedPattern');
  if (!matched) throw new ServiceError('ParameterPatternMismatchException', `Parameter value, cannot be validated against allowedPattern: ${source}`);
}

function getParameters(table: Record<string, StoredParameter>, scope: ParameterScope, names: string[], withDecryption: boolean) {
  const parameters: unknown[] = [];
  const invalid: string[] = [];
  for (const name of names) {
    try {
      parameters.push(describe(table, scope, name, withDecryption));
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      invalid.push(name);
    }
  }
  return { Parameters: parameters, InvalidParameters: invalid };
}

/**
 * The parameters in a hierarchy, by name, up to 10 a page
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html):
 * right below the path, or anywhere under it with Recursive; public global-infrastructure ones included.
 */
function getParametersByPath(table: Record<string, StoredParameter>, scope: ParameterScope, input: Input) {
  const path = String(input.Path ?? '');
  if (!path.startsWith('/')) throw new ServiceError('ValidationException', `The parameter path ${path} is not valid. A path must begin with a forward slash (/).`);
  const size = maxResults(input, 10);
  const matcher = parameterMatcher('GetParametersByPath', input.ParameterFilters);
  const recursive = input.Recursive === true;
  const published = globalInfrastructureUnder(path, recursive).flatMap(({ name }) => (table[name] ? [] : [publicParameterEntry(name, scope.region)!]));
  const found = [...Object.values(table).filter((parameter) => isUnderPath(parameter.name, path, recursive)), ...published]
    .flatMap((parameter) => {
      const version = matcher(parameter);
      return version ? [{ parameter, version }] : [];
    })
    .sort((a, b) => compareNames(a.parameter.name, b.parameter.name));
  const { items, nextToken } = page(found, (entry) => entry.parameter.name, input, size);
  return {
    Parameters: items.map(({ parameter, version }) => parameterShape(parameter, version, scope, input.WithDecryption === true)),
    ...(nextToken ? { NextToken: nextToken } : {}),
  };
}

/** The account's own parameters (not the public `/aws/service` ones) that pass the filters, by name, up to 50 a page. */
function describeParameters(table: Record<string, StoredParameter>, scope: ParameterScope, input: Input) {
  if (input.Filters !== undefined && input.ParameterFilters !== undefined) {
    throw new ServiceError('ValidationException', 'You can use either Filters or ParameterFilters in a single request.');
  }
  const size = maxResults(input, 50);
  const matcher = parameterMatcher('DescribeParameters', input.ParameterFilters ?? legacyFilters(input.Filters));
  const found = Object.values(table)
    .filter((parameter) => matcher(parameter) !== undefined)
    .sort((a, b) => compareNames(a.name, b.name));
  const { items, nextToken } = page(found, (parameter) => parameter.name, input, size);
  return { Parameters: items.map((parameter) => metadataShape(parameter, scope)), ...(nextToken ? { NextToken: nextToken } : {}) };
}

/** A parameter as GetParameter returns it; `name:3` selects a version, `name:label` a labelled one. */
function describe(table: Record<string, StoredParameter>, scope: ParameterScope, selector: string, withDecryption: boolean) {
  const { name, selector: which } = parseSelector(selector);
  const parameter = table[name] ?? publicParameterEntry(name, scope.region) ?? requireParameter(table, name);
  return parameterShape(parameter, selectVersion(parameter, which), scope, withDecryption, which);
}

function requireParameter(table: Record<string, StoredParameter>, name: string): StoredParameter {
  const parameter = table[name];
  if (!parameter) throw new ServiceError('ParameterNotFound', `Parameter ${name} not found.`);
  return parameter;
}

/** The parameter a tagging call names: ResourceType Parameter, ResourceId its name. */
function taggedParameter(table: Record<string, StoredParameter>, input: Input): StoredParameter {
  if (input.ResourceType !== 'Parameter') {
    throw new ServiceError('InvalidResourceType', `The resource type ${String(input.ResourceType)} is not supported by the local SSM emulator: only Parameter resources are.`);
  }
  const parameter = table[String(input.ResourceId ?? '')];
  if (!parameter) throw new ServiceError('InvalidResourceId', 'The resource ID is not valid. Verify that you entered the correct ID and try again.');
  return parameter;
}

/** Adds tags; a key already there takes the new value. */
function addTags(parameter: StoredParameter, tags: Tag[]): Record<string, never> {
  const merged = mergeTags(parameter.tags, tags);
  if (merged.length > MAX_TAGS) throw tooManyTags();
  parameter.tags = merged;
  return {};
}

function tooManyTags(): ServiceError {
  return new ServiceError('TooManyTagsError', `The resource can have at most ${MAX_TAGS} tags. Remove one or more tags and try again.`);
}

// Names sort by code unit, so a page boundary is the same whatever the locale.
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Versions page in order; their keys sort as their numbers do.
function versionKey(version: ParameterVersion): string {
  return String(version.version).padStart(6, '0');
}

/**
 * Seals the secret values of a parameter when written and opens them when read: every
 * SecureString, and a plain value that carries a secret the local account knows (a NoEcho value a
 * stack passed on).
 */
function sealingOf(secrets: StateSecrets) {
  const isSecret = (version: ParameterVersion) => version.type === 'SecureString' || secrets.holdsKnownSecret(version.value) || isSealed(version.value);
  return {
    seal: (parameter: StoredParameter) => mapParameterValues(parameter, isSecret, (value) => secrets.seal(value)),
    open: (parameter: StoredParameter) => mapParameterValues(parameter, () => true, (value) => secrets.unseal(value)),
  };
}

/** A public `/aws/service/...` parameter as if stored: version 1, never written. */
function publicParameterEntry(name: string, region: string): StoredParameter | undefined {
  const found = publicParameter(name, region);
  if (!found) return undefined;
  return { name, tags: [], versions: [{ version: 1, value: found.value, type: found.type, dataType: found.dataType, tier: 'Standard', lastModifiedDate: 0 }] };
}
