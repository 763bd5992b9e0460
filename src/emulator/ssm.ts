import { join } from 'node:path';
import { publicParameter } from './ssm-public-parameters.ts';
import { RegionalDocuments, dictionary, isJsonObject, problemInEntries } from './state-files.ts';
import { isSealed, sealedValuesOf, type StateSecrets } from './state-secrets.ts';
import { ServiceError, jsonErrorReply, jsonReply, readJsonBody, targetAction, type LocalReply, type LocalRequest, type ServiceEmulator } from './wire.ts';

interface ParameterVersion {
  version: number;
  value: string;
  type: string;
  description?: string;
  keyId?: string;
  dataType: string;
  tier: string;
  /** Epoch seconds, as awsJson carries timestamps. */
  lastModifiedDate: number;
}

interface StoredParameter {
  name: string;
  tags: { Key: string; Value: string }[];
  versions: ParameterVersion[];
}

type ParameterTable = Record<string, StoredParameter>;

const PARAMETER_TYPES = new Set(['String', 'StringList', 'SecureString']);
const MAX_VERSIONS = 100;

/** SSM Parameter Store over awsJson 1.1 (`X-Amz-Target: AmazonSSM.<Action>`), one table per region. */
export class SsmEmulator implements ServiceEmulator {
  private readonly tables: RegionalDocuments<ParameterTable>;

  /** `secrets` seals the SecureString values in the files of `dataDir`. */
  constructor(
    private readonly accountId: string,
    dataDir: string | undefined,
    secrets: StateSecrets | undefined,
  ) {
    this.tables = new RegionalDocuments(dataDir && join(dataDir, 'ssm'), (region) => ({
      empty: () => dictionary(),
      check: parameterTableProblem,
      adopt: (value) => dictionary(value as object),
      ...(secrets ? sealedValuesOf(secrets, mapSecureStrings(secrets)) : {}),
      repair: { losing: `the SSM parameters of ${region}` },
    }));
  }

  /** Reads every region's parameters on disk now, so that damaged state shows when the emulator opens. */
  open(): void {
    this.tables.openAll();
  }

  async handle(request: LocalRequest): Promise<LocalReply> {
    try {
      const input = readJsonBody(request);
      const document = this.tables.forRegion(request.region);
      const context = { table: document.value, region: request.region };
      switch (targetAction(request)) {
        case 'PutParameter': {
          const output = this.putParameter(context.table, input);
          document.save();
          return jsonReply(200, output);
        }
        case 'GetParameter':
          return jsonReply(200, { Parameter: this.describe(context, String(input.Name ?? ''), input.WithDecryption === true) });
        case 'GetParameters':
          return jsonReply(200, this.getParameters(context, (input.Names as string[] | undefined) ?? [], input.WithDecryption === true));
        case 'DeleteParameter':
          this.requireParameter(context.table, String(input.Name ?? ''));
          delete context.table[String(input.Name)];
          document.save();
          return jsonReply(200, {});
        case 'DeleteParameters': {
          const names = (input.Names as string[] | undefined) ?? [];
          const deleted = names.filter((name) => context.table[name]);
          for (const name of deleted) delete context.table[name];
          document.save();
          return jsonReply(200, { DeletedParameters: deleted, InvalidParameters: names.filter((name) => !deleted.includes(name)) });
        }
        case 'DescribeParameters':
          return jsonReply(200, this.describeParameters(context.table, input));
        default:
          return jsonErrorReply('InvalidAction', `The action ${targetAction(request)} is not supported by the local SSM emulator`);
      }
    } catch (error) {
      if (error instanceof ServiceError) return jsonErrorReply(error.code, error.message, error.status);
      throw error;
    }
  }

  private putParameter(table: ParameterTable, input: Record<string, unknown>): { Version: number; Tier: string } {
    const name = String(input.Name ?? '');
    const value = input.Value;
    if (!name) throw new ServiceError('ValidationException', '1 validation error detected: Value null at \'name\' failed to satisfy constraint: Member must not be null');
    if (typeof value !== 'string') throw new ServiceError('ValidationException', "1 validation error detected: Value null at 'value' failed to satisfy constraint: Member must not be null");
    const existing = table[name];
    if (existing && input.Overwrite !== true) {
      throw new ServiceError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    }
    if (existing && input.Tags) throw new ServiceError('ValidationException', 'Invalid request: tags and overwrite can\'t be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.');
    const latest = existing?.versions[existing.versions.length - 1];
    const type = (input.Type as string | undefined) ?? latest?.type;
    if (!type) throw new ServiceError('ValidationException', 'A parameter type is required when you create a parameter.');
    if (!PARAMETER_TYPES.has(type)) throw new ServiceError('ValidationException', `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`);
    const version: ParameterVersion = {
      version: (latest?.version ?? 0) + 1,
      value,
      type,
      description: (input.Description as string | undefined) ?? latest?.description,
      keyId: type === 'SecureString' ? ((input.KeyId as string | undefined) ?? 'alias/aws/ssm') : undefined,
      dataType: (input.DataType as string | undefined) ?? 'text',
      tier: (input.Tier as string | undefined) === 'Advanced' ? 'Advanced' : 'Standard',
      lastModifiedDate: Date.now() / 1000,
    };
    const parameter = existing ?? { name, tags: (input.Tags as StoredParameter['tags'] | undefined) ?? [], versions: [] };
    parameter.versions = [...parameter.versions, version].slice(-MAX_VERSIONS);
    table[name] = parameter;
    return { Version: version.version, Tier: version.tier };
  }

  private getParameters(context: { table: ParameterTable; region: string }, names: string[], withDecryption: boolean) {
    const parameters: unknown[] = [];
    const invalid: string[] = [];
    for (const name of names) {
      try {
        parameters.push(this.describe(context, name, withDecryption));
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        invalid.push(name);
      }
    }
    return { Parameters: parameters, InvalidParameters: invalid };
  }

  /** The account's own parameters (not the public `/aws/service` ones), by name, a page at a time (NextToken is the last name of the page). */
  private describeParameters(table: ParameterTable, input: Record<string, unknown>) {
    const limit = Math.min(Math.max(Number(input.MaxResults ?? 50) || 50, 1), 50);
    const after = typeof input.NextToken === 'string' ? input.NextToken : '';
    const names = Object.keys(table).sort().filter((name) => name > after);
    const page = names.slice(0, limit);
    const parameters = page.map((name) => {
      const latest = table[name].versions[table[name].versions.length - 1];
      return { Name: name, Type: latest.type, Version: latest.version, LastModifiedDate: latest.lastModifiedDate, DataType: latest.dataType, Tier: latest.tier, ...(latest.description ? { Description: latest.description } : {}), ...(latest.keyId ? { KeyId: latest.keyId } : {}) };
    });
    return { Parameters: parameters, ...(names.length > limit ? { NextToken: page[page.length - 1] } : {}) };
  }

  /** A parameter as GetParameter returns it; `name:3` selects a version. */
  private describe(context: { table: ParameterTable; region: string }, selector: string, withDecryption: boolean) {
    const separator = selector.lastIndexOf(':');
    const name = separator > 0 ? selector.slice(0, separator) : selector;
    const parameter = context.table[name] ?? publicParameterEntry(name, context.region) ?? this.requireParameter(context.table, name);
    let version = parameter.versions[parameter.versions.length - 1];
    if (separator > 0) {
      const wanted = Number(selector.slice(separator + 1));
      const found = parameter.versions.find((v) => v.version === wanted);
      if (!found) throw new ServiceError('ParameterVersionNotFound', `Systems Manager could not find version ${selector.slice(separator + 1)} of ${name}. Verify the version and try again.`);
      version = found;
    }
    const value = version.type === 'SecureString' && !withDecryption ? encryptedForm(version) : version.value;
    return {
      Name: name,
      Type: version.type,
      Value: value,
      Version: version.version,
      Selector: separator > 0 ? selector.slice(separator) : undefined,
      LastModifiedDate: version.lastModifiedDate,
      ARN: `arn:aws:ssm:${context.region}:${this.accountId}:parameter/${name.replace(/^\//, '')}`,
      DataType: version.dataType,
    };
  }

  private requireParameter(table: ParameterTable, name: string): StoredParameter {
    const parameter = table[name];
    if (!parameter) throw new ServiceError('ParameterNotFound', `Parameter ${name} not found.`);
    return parameter;
  }
}

/** What makes a region's parameter file unusable: the fields GetParameter and PutParameter rely on. */
function parameterTableProblem(value: unknown): string | undefined {
  if (!isJsonObject(value)) return 'is not a JSON object';
  return problemInEntries(value, (name) => `parameter ${name}`, (parameter) => {
    if (!isJsonObject(parameter)) return 'is not a JSON object';
    if (!Array.isArray(parameter.versions) || parameter.versions.length === 0) return 'has no versions';
    if (!Array.isArray(parameter.tags)) return 'has no tags list';
    const broken = (parameter.versions as unknown[]).find((version) => !isJsonObject(version) || typeof version.version !== 'number' || typeof version.value !== 'string' || typeof version.type !== 'string');
    return broken === undefined ? undefined : 'has a version without a number, value or type';
  });
}

/** A copy of the table with the value of every SecureString version (of every parameter) mapped. */
/** The secret values of a document: every SecureString, and a plain value that carries a secret the local account knows (a NoEcho value a stack passed on). */
function mapSecureStrings(secrets: StateSecrets) {
  return (table: ParameterTable, map: (value: string) => string): ParameterTable =>
    Object.fromEntries(
      Object.entries(table).map(([name, parameter]) => [name, { ...parameter, versions: parameter.versions.map((version) => (version.type === 'SecureString' || secrets.holdsKnownSecret(version.value) || isSealed(version.value) ? { ...version, value: map(version.value) } : version)) }]),
    );
}

/** A public `/aws/service/...` parameter as if stored: version 1, never written. */
function publicParameterEntry(name: string, region: string): StoredParameter | undefined {
  const found = publicParameter(name, region);
  if (!found) return undefined;
  return { name, tags: [], versions: [{ version: 1, value: found.value, type: found.type, dataType: found.dataType, tier: 'Standard', lastModifiedDate: 0 }] };
}

// What AWS hands back for a SecureString read without decryption: an opaque ciphertext blob.
function encryptedForm(version: ParameterVersion): string {
  return Buffer.from(`stackpilot-local-kms:${version.keyId}:${version.value}`).toString('base64');
}
