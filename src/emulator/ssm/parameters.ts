import { isJsonObject } from '../state-files.ts';
import type { Tag } from '../tags.ts';
import { ServiceError } from '../wire.ts';

export interface ParameterVersion {
  version: number;
  value: string;
  type: string;
  description?: string;
  /** The regular expression the value was checked against when it was put. */
  allowedPattern?: string;
  keyId?: string;
  dataType: string;
  tier: string;
  /** Epoch seconds, as awsJson carries timestamps. */
  lastModifiedDate: number;
  /** Absent in files written before labels existed. */
  labels?: string[];
}

export interface StoredParameter {
  name: string;
  tags: Tag[];
  versions: ParameterVersion[];
}

/** Where a parameter lives: its ARN needs them. */
export interface ParameterScope {
  region: string;
  accountId: string;
}

/** What makes a stored parameter unusable: the fields the actions rely on. */
export function parameterProblem(parameter: Record<string, unknown>): string | undefined {
  if (typeof parameter.name !== 'string') return 'has no name';
  if (!Array.isArray(parameter.versions) || parameter.versions.length === 0) return 'has no versions';
  if (!Array.isArray(parameter.tags)) return 'has no tags list';
  const broken = (parameter.versions as unknown[]).find((version) => !isJsonObject(version) || typeof version.version !== 'number' || typeof version.value !== 'string' || typeof version.type !== 'string');
  return broken === undefined ? undefined : 'has a version without a number, value or type';
}

export function latestVersion(parameter: StoredParameter): ParameterVersion {
  return parameter.versions[parameter.versions.length - 1];
}

/** Who changed a version: the one local identity, the user GetCallerIdentity names (see sts.ts). */
function lastModifiedUser(scope: ParameterScope): string {
  return `arn:aws:iam::${scope.accountId}:user/stackpilot-local`;
}

export function parameterArn(name: string, scope: ParameterScope): string {
  return `arn:aws:ssm:${scope.region}:${scope.accountId}:parameter/${name.replace(/^\//, '')}`;
}

/** `name`, `name:3` (a version) or `name:Production` (a label): the parameter's name and what selects the version. */
export function parseSelector(selector: string): { name: string; selector?: string } {
  const separator = selector.lastIndexOf(':');
  return separator > 0 ? { name: selector.slice(0, separator), selector: selector.slice(separator + 1) } : { name: selector };
}

/** The version a selector picks (the latest without one), failing as SSM does. */
export function selectVersion(parameter: StoredParameter, selector: string | undefined): ParameterVersion {
  if (selector === undefined) return latestVersion(parameter);
  if (/^\d+$/.test(selector)) return requireVersion(parameter, Number(selector));
  const labelled = parameter.versions.find((v) => v.labels?.includes(selector));
  if (!labelled) throw versionNotFound(parameter, selector);
  return labelled;
}

export function requireVersion(parameter: StoredParameter, version: number): ParameterVersion {
  const found = parameter.versions.find((v) => v.version === version);
  if (!found) throw versionNotFound(parameter, String(version));
  return found;
}

function versionNotFound(parameter: StoredParameter, selector: string): ServiceError {
  return new ServiceError('ParameterVersionNotFound', `Systems Manager could not find version ${selector} of ${parameter.name}. Verify the version and try again.`);
}

/** A value as a read returns it: a SecureString read without decryption is an opaque ciphertext blob, as AWS hands back. */
export function valueAsRead(version: ParameterVersion, withDecryption: boolean): string {
  if (version.type !== 'SecureString' || withDecryption) return version.value;
  return Buffer.from(`stackpilot-local-kms:${version.keyId}:${version.value}`).toString('base64');
}

/** A parameter as GetParameter, GetParameters and GetParametersByPath return it. */
export function parameterShape(parameter: StoredParameter, version: ParameterVersion, scope: ParameterScope, withDecryption: boolean, selector?: string) {
  return {
    Name: parameter.name,
    Type: version.type,
    Value: valueAsRead(version, withDecryption),
    Version: version.version,
    ...(selector === undefined ? {} : { Selector: `:${selector}` }),
    LastModifiedDate: version.lastModifiedDate,
    ARN: parameterArn(parameter.name, scope),
    DataType: version.dataType,
  };
}

/** A parameter as DescribeParameters lists it: its latest version, without the value. */
export function metadataShape(parameter: StoredParameter, scope: ParameterScope) {
  const latest = latestVersion(parameter);
  return {
    Name: parameter.name,
    ARN: parameterArn(parameter.name, scope),
    Type: latest.type,
    ...(latest.keyId ? { KeyId: latest.keyId } : {}),
    LastModifiedDate: latest.lastModifiedDate,
    LastModifiedUser: lastModifiedUser(scope),
    ...(latest.description ? { Description: latest.description } : {}),
    ...(latest.allowedPattern ? { AllowedPattern: latest.allowedPattern } : {}),
    Version: latest.version,
    Tier: latest.tier,
    Policies: [],
    DataType: latest.dataType,
  };
}

/** One version as GetParameterHistory returns it. */
export function historyShape(parameter: StoredParameter, version: ParameterVersion, scope: ParameterScope, withDecryption: boolean) {
  return {
    Name: parameter.name,
    Type: version.type,
    ...(version.keyId ? { KeyId: version.keyId } : {}),
    LastModifiedDate: version.lastModifiedDate,
    LastModifiedUser: lastModifiedUser(scope),
    ...(version.description ? { Description: version.description } : {}),
    ...(version.allowedPattern ? { AllowedPattern: version.allowedPattern } : {}),
    Value: valueAsRead(version, withDecryption),
    Version: version.version,
    Labels: version.labels ?? [],
    Tier: version.tier,
    Policies: [],
    DataType: version.dataType,
  };
}

/** A copy of a parameter with each version's value mapped where it is secret (`isSecret`). */
export function mapParameterValues(parameter: StoredParameter, isSecret: (version: ParameterVersion) => boolean, map: (value: string) => string): StoredParameter {
  return { ...parameter, versions: parameter.versions.map((version) => (isSecret(version) ? { ...version, value: map(version.value) } : version)) };
}
