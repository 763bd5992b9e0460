import { ServiceError } from '../wire.ts';

/**
 * UpdateTable's GlobalSecondaryIndexUpdates Create and Delete, which dynalite accepts and then
 * ignores: the emulator checks them as DynamoDB does and applies them to dynalite's table record
 * itself (the store fills a new index from the table's items).
 */

type Input = Record<string, unknown>;

export interface KeyElement {
  AttributeName: string;
  KeyType: string;
}

export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: string;
}

export interface GlobalIndexEntry {
  IndexName: string;
  KeySchema: KeyElement[];
  Projection: { ProjectionType?: string; NonKeyAttributes?: string[] };
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number; NumberOfDecreasesToday?: number };
  IndexStatus?: string;
  IndexArn?: string;
  IndexSizeBytes?: number;
  ItemCount?: number;
}

/** The part of dynalite's table record these changes read and write. */
export interface TableEntry {
  TableName: string;
  TableArn?: string;
  TableStatus: string;
  KeySchema?: KeyElement[];
  AttributeDefinitions?: AttributeDefinition[];
  BillingModeSummary?: { BillingMode?: string };
  GlobalSecondaryIndexes?: GlobalIndexEntry[];
  LocalSecondaryIndexes?: { IndexName: string; KeySchema?: KeyElement[] }[];
}

export type IndexChange = { create: GlobalIndexEntry; definitions: AttributeDefinition[] } | { delete: string };

/** DynamoDB's limit of global secondary indexes per table. */
const MAX_GLOBAL_INDEXES = 20;
const INDEX_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

const invalid = (message: string) => new ServiceError('ValidationException', `One or more parameter values were invalid: ${message}`);

/**
 * Takes the index Create and Delete entries out of an UpdateTable input, checked for shape; the
 * rest (Update entries, throughput, billing...) stays for dynalite. AttributeDefinitions go with
 * the changes: they only describe a new index's keys.
 */
export function takeIndexChanges(input: Input): { changes: IndexChange[]; rest: Input } {
  const updates = input.GlobalSecondaryIndexUpdates;
  if (!Array.isArray(updates)) return { changes: [], rest: input };
  const { AttributeDefinitions: definitionsInput, GlobalSecondaryIndexUpdates: _taken, ...others } = input;
  const definitions = attributeDefinitions(definitionsInput);
  const changes: IndexChange[] = [];
  const kept: unknown[] = [];
  for (const update of updates as Input[]) {
    const entry = (update ?? {}) as { Create?: Input; Delete?: Input };
    if (entry.Create) changes.push({ create: indexToCreate(entry.Create), definitions });
    else if (entry.Delete) changes.push({ delete: indexName(entry.Delete.IndexName) });
    else kept.push(update);
  }
  if (changes.length === 0) return { changes, rest: input };
  // One online index build or removal at a time per table, as in DynamoDB.
  if (changes.length > 1) throw new ServiceError('LimitExceededException', 'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table');
  return { changes, rest: kept.length > 0 ? { ...others, GlobalSecondaryIndexUpdates: kept } : others };
}

/**
 * The table record after the change: a new index CREATING (filled by the store, then ACTIVE),
 * with its key attributes defined, or the index gone with the definitions only it used. Throws
 * DynamoDB's error when the change does not fit the table. `billingMode`: the table's, as this
 * UpdateTable leaves it.
 */
export function applyIndexChange(table: TableEntry, change: IndexChange, billingMode = table.BillingModeSummary?.BillingMode ?? 'PROVISIONED'): TableEntry {
  if (table.TableStatus !== 'ACTIVE') throw new ServiceError('ResourceInUseException', `Attempt to change a resource which is still in use: Table is being ${table.TableStatus.toLowerCase()}: ${table.TableName}`);
  const indexes = table.GlobalSecondaryIndexes ?? [];
  if ('delete' in change) {
    if (!indexes.some((index) => index.IndexName === change.delete)) throw new ServiceError('ResourceNotFoundException', `Requested resource not found: Index: ${change.delete} not found for table ${table.TableName}`);
    const remaining = indexes.filter((index) => index.IndexName !== change.delete);
    const next: TableEntry = { ...table, GlobalSecondaryIndexes: remaining };
    if (remaining.length === 0) delete next.GlobalSecondaryIndexes;
    return { ...next, AttributeDefinitions: (table.AttributeDefinitions ?? []).filter((definition) => keyAttributes(next).has(definition.AttributeName)) };
  }
  const index = change.create;
  if (indexes.some((existing) => existing.IndexName === index.IndexName) || (table.LocalSecondaryIndexes ?? []).some((local) => local.IndexName === index.IndexName)) {
    throw new ServiceError('ValidationException', `Attempting to create an index which already exists: ${index.IndexName}`);
  }
  if (indexes.length >= MAX_GLOBAL_INDEXES) throw new ServiceError('LimitExceededException', `Subscriber limit exceeded: a table can have at most ${MAX_GLOBAL_INDEXES} global secondary indexes`);
  if (billingMode === 'PAY_PER_REQUEST' && index.ProvisionedThroughput) throw invalid(`ProvisionedThroughput should not be specified for index: ${index.IndexName} when BillingMode is PAY_PER_REQUEST`);
  if (billingMode !== 'PAY_PER_REQUEST' && !index.ProvisionedThroughput) throw invalid(`ProvisionedThroughput must be specified for index: ${index.IndexName}`);
  const definitions = mergeDefinitions(table.AttributeDefinitions ?? [], change.definitions);
  const undefinedKeys = index.KeySchema.map((key) => key.AttributeName).filter((name) => !definitions.some((definition) => definition.AttributeName === name));
  if (undefinedKeys.length > 0) {
    throw invalid(`Some index key attributes are not defined in AttributeDefinitions. Keys: [${undefinedKeys.join(', ')}], AttributeDefinitions: [${definitions.map((d) => d.AttributeName).join(', ')}]`);
  }
  const created: GlobalIndexEntry = {
    ...index,
    ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0, ...index.ProvisionedThroughput, NumberOfDecreasesToday: 0 },
    IndexStatus: 'CREATING',
    IndexArn: `${table.TableArn}/index/${index.IndexName}`,
    IndexSizeBytes: 0,
    ItemCount: 0,
  };
  const next: TableEntry = { ...table, GlobalSecondaryIndexes: [...indexes, created] };
  return { ...next, AttributeDefinitions: definitions.filter((definition) => keyAttributes(next).has(definition.AttributeName)) };
}

/** The attribute names any key of the table or its indexes uses: the only ones DynamoDB keeps definitions of. */
function keyAttributes(table: TableEntry): Set<string> {
  const schemas = [table.KeySchema ?? [], ...(table.LocalSecondaryIndexes ?? []).map((index) => index.KeySchema ?? []), ...(table.GlobalSecondaryIndexes ?? []).map((index) => index.KeySchema)];
  return new Set(schemas.flat().map((key) => key.AttributeName));
}

function mergeDefinitions(current: AttributeDefinition[], given: AttributeDefinition[]): AttributeDefinition[] {
  const merged = [...current];
  for (const definition of given) {
    const known = merged.find((existing) => existing.AttributeName === definition.AttributeName);
    if (!known) merged.push(definition);
    else if (known.AttributeType !== definition.AttributeType) {
      throw invalid(`Cannot change the type of key attribute ${definition.AttributeName} from ${known.AttributeType} to ${definition.AttributeType}`);
    }
  }
  return merged;
}

function attributeDefinitions(value: unknown): AttributeDefinition[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid('AttributeDefinitions must be a list');
  return value.map((definition: Input) => {
    const type = definition?.AttributeType;
    if (typeof definition?.AttributeName !== 'string' || (type !== 'S' && type !== 'N' && type !== 'B')) throw invalid('each attribute definition needs an AttributeName and an AttributeType of S, N or B');
    return { AttributeName: definition.AttributeName, AttributeType: type };
  });
}

function indexName(value: unknown): string {
  if (typeof value !== 'string' || !INDEX_NAME.test(value)) throw invalid(`an index name must be 3 to 255 letters, digits, '_', '-' or '.': ${JSON.stringify(value) ?? 'none given'}`);
  return value;
}

function indexToCreate(create: Input): GlobalIndexEntry {
  const IndexName = indexName(create.IndexName);
  const keys = create.KeySchema;
  const validKeys = Array.isArray(keys) && keys.every((key: Input) => typeof key?.AttributeName === 'string' && (key.KeyType === 'HASH' || key.KeyType === 'RANGE'));
  const shape = validKeys ? (keys as KeyElement[]).map((key) => key.KeyType).join(',') : '';
  if (shape !== 'HASH' && shape !== 'HASH,RANGE') throw invalid(`index ${IndexName}: KeySchema must be one HASH key, optionally followed by one RANGE key`);
  const projection = (create.Projection ?? {}) as GlobalIndexEntry['Projection'];
  const type = projection.ProjectionType ?? 'ALL';
  if (type !== 'ALL' && type !== 'KEYS_ONLY' && type !== 'INCLUDE') throw invalid(`index ${IndexName}: ProjectionType must be ALL, KEYS_ONLY or INCLUDE`);
  const nonKey = projection.NonKeyAttributes;
  if (nonKey !== undefined && (type !== 'INCLUDE' || !Array.isArray(nonKey) || nonKey.some((name) => typeof name !== 'string'))) throw invalid(`index ${IndexName}: NonKeyAttributes is a list of names, and only for ProjectionType INCLUDE`);
  const throughput = create.ProvisionedThroughput as { ReadCapacityUnits?: unknown; WriteCapacityUnits?: unknown } | undefined;
  const units = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= 1;
  if (throughput !== undefined && !(units(throughput.ReadCapacityUnits) && units(throughput.WriteCapacityUnits))) throw invalid(`index ${IndexName}: ProvisionedThroughput needs ReadCapacityUnits and WriteCapacityUnits of at least 1`);
  return {
    IndexName,
    KeySchema: (keys as KeyElement[]).map((key) => ({ AttributeName: key.AttributeName, KeyType: key.KeyType })),
    Projection: { ProjectionType: type, ...(nonKey ? { NonKeyAttributes: [...nonKey] } : {}) },
    ...(throughput ? { ProvisionedThroughput: { ReadCapacityUnits: throughput.ReadCapacityUnits as number, WriteCapacityUnits: throughput.WriteCapacityUnits as number } } : {}),
  };
}
