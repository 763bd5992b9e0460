import {
  CreateBackupCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  UpdateContinuousBackupsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { physicalIdFor } from '../physical-ids.ts';
import { errorName, found, namingOf, NameTakenError, type ResourceProvider } from '../provider.ts';

type Props = Record<string, unknown>;
const obj = (v: unknown): Props => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Props) : {});
const list = (v: unknown): Props[] => (Array.isArray(v) ? v.map(obj) : []);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const bool = (v: unknown) => v === true || v === 'true';

/** `AWS::DynamoDB::Table`: a real table in the DynamoDB data plane; deleting the resource deletes its items. */
export const dynamoDbTableProvider: ResourceProvider = {
  async create(request) {
    const table = physicalIdFor(request.type, request.facts, request.properties, namingOf(request));
    const ddb = request.clients.dynamodb;
    const taken = () => new NameTakenError(`Resource of type 'AWS::DynamoDB::Table' with identifier '${table}' already exists.`);
    if (await tableExists(ddb, table)) throw taken();
    request.claim(table);
    try {
      await ddb.send(new CreateTableCommand(createTableInput(table, request.resolved)));
    } catch (error) {
      if (errorName(error) === 'ResourceInUseException') throw taken();
      throw error;
    }
    const description = await waitForActive(ddb, table);
    await applyTimeToLive(ddb, table, {}, request.resolved);
    await applyPointInTimeRecovery(ddb, table, {}, request.resolved);
    return { physicalId: table, attributes: attributesOf(description) };
  },

  async update(request) {
    const ddb = request.clients.dynamodb;
    const table = request.physicalId;
    const before = request.previousResolved;
    const after = request.resolved;
    const billingChanged = !same(before.BillingMode, after.BillingMode) || !same(before.ProvisionedThroughput, after.ProvisionedThroughput);
    if (billingChanged || !same(before.StreamSpecification, after.StreamSpecification)) {
      await ddb.send(new UpdateTableCommand({
        TableName: table,
        ...(billingChanged ? billing(after) : {}),
        ...(!same(before.StreamSpecification, after.StreamSpecification) ? { StreamSpecification: streamSpecification(after) ?? { StreamEnabled: false } } : {}),
      }));
      await waitForActive(ddb, table);
    }
    await updateGlobalSecondaryIndexes(ddb, table, before, after);
    await applyTimeToLive(ddb, table, before, after);
    await applyPointInTimeRecovery(ddb, table, before, after);
    const description = await describe(ddb, table);
    await retag(ddb, description.TableArn!, before, after);
    return { ...request.attributes, ...attributesOf(description) };
  },

  exists: (table, clients) => tableExists(clients.dynamodb, table),
  async delete(request) {
    const ddb = request.clients.dynamodb;
    try {
      if (request.snapshot) {
        await ddb.send(new CreateBackupCommand({ TableName: request.physicalId, BackupName: `${request.physicalId}-${request.logicalId}-snapshot`.slice(0, 255) }));
      }
      await ddb.send(new DeleteTableCommand({ TableName: request.physicalId }));
      await waitForDeletion(ddb, request.physicalId);
    } catch (error) {
      // CreateBackup names a missing table TableNotFoundException: a table never made (its create failed) has nothing to keep.
      if (errorName(error) === 'ResourceNotFoundException' || errorName(error) === 'TableNotFoundException') return;
      throw error;
    }
  },
};

function billing(p: Props): Pick<CreateTableCommandInput, 'BillingMode' | 'ProvisionedThroughput'> {
  if (p.BillingMode === 'PAY_PER_REQUEST') return { BillingMode: 'PAY_PER_REQUEST' };
  const throughput = obj(p.ProvisionedThroughput);
  return {
    BillingMode: 'PROVISIONED',
    ProvisionedThroughput: { ReadCapacityUnits: Number(throughput.ReadCapacityUnits ?? 5), WriteCapacityUnits: Number(throughput.WriteCapacityUnits ?? 5) },
  };
}

function streamSpecification(p: Props) {
  const stream = obj(p.StreamSpecification);
  return stream.StreamViewType ? { StreamEnabled: true, StreamViewType: String(stream.StreamViewType) as 'NEW_IMAGE' } : undefined;
}

const keySchema = (v: unknown) => list(v).map((k) => ({ AttributeName: String(k.AttributeName), KeyType: String(k.KeyType) as 'HASH' | 'RANGE' }));
const projection = (v: unknown) => {
  const p = obj(v);
  return { ProjectionType: String(p.ProjectionType ?? 'ALL') as 'ALL', ...(Array.isArray(p.NonKeyAttributes) ? { NonKeyAttributes: p.NonKeyAttributes.map(String) } : {}) };
};

function globalIndex(index: Props, table: Props): GlobalSecondaryIndex {
  const throughput = obj(index.ProvisionedThroughput);
  return {
    IndexName: String(index.IndexName),
    KeySchema: keySchema(index.KeySchema),
    Projection: projection(index.Projection),
    ...(table.BillingMode === 'PAY_PER_REQUEST' ? {} : { ProvisionedThroughput: { ReadCapacityUnits: Number(throughput.ReadCapacityUnits ?? 5), WriteCapacityUnits: Number(throughput.WriteCapacityUnits ?? 5) } }),
  };
}

function createTableInput(table: string, p: Props): CreateTableCommandInput {
  const sse = obj(p.SSESpecification);
  const globals = list(p.GlobalSecondaryIndexes);
  const locals = list(p.LocalSecondaryIndexes);
  const tags = list(p.Tags).map((t) => ({ Key: String(t.Key), Value: String(t.Value) }));
  return {
    TableName: table,
    KeySchema: keySchema(p.KeySchema),
    AttributeDefinitions: list(p.AttributeDefinitions).map((a) => ({ AttributeName: String(a.AttributeName), AttributeType: String(a.AttributeType) as 'S' })),
    ...billing(p),
    ...(globals.length > 0 ? { GlobalSecondaryIndexes: globals.map((g) => globalIndex(g, p)) } : {}),
    ...(locals.length > 0 ? { LocalSecondaryIndexes: locals.map((l) => ({ IndexName: String(l.IndexName), KeySchema: keySchema(l.KeySchema), Projection: projection(l.Projection) })) } : {}),
    ...(streamSpecification(p) ? { StreamSpecification: streamSpecification(p) } : {}),
    ...(bool(sse.SSEEnabled) ? { SSESpecification: { Enabled: true, ...(sse.SSEType ? { SSEType: String(sse.SSEType) as 'KMS' } : {}), ...(sse.KMSMasterKeyId ? { KMSMasterKeyId: String(sse.KMSMasterKeyId) } : {}) } } : {}),
    ...(tags.length > 0 ? { Tags: tags } : {}),
  };
}

/** Index additions and removals; DynamoDB takes one index change per UpdateTable. */
async function updateGlobalSecondaryIndexes(ddb: DynamoDBClient, table: string, before: Props, after: Props): Promise<void> {
  const names = (p: Props) => new Map(list(p.GlobalSecondaryIndexes).map((g) => [String(g.IndexName), g]));
  const old = names(before);
  const next = names(after);
  const definitions = list(after.AttributeDefinitions).map((a) => ({ AttributeName: String(a.AttributeName), AttributeType: String(a.AttributeType) as 'S' }));
  for (const name of old.keys()) {
    if (next.has(name) && same(old.get(name), next.get(name))) continue;
    await ddb.send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: name } }] }));
    await waitForActive(ddb, table);
  }
  for (const [name, index] of next) {
    if (old.has(name) && same(old.get(name), index)) continue;
    await ddb.send(new UpdateTableCommand({ TableName: table, AttributeDefinitions: definitions, GlobalSecondaryIndexUpdates: [{ Create: globalIndex(index, after) }] }));
    await waitForActive(ddb, table);
  }
}

/** Brings the table's tags from `before` to `after`: added or changed ones set, dropped ones removed. */
async function retag(ddb: DynamoDBClient, arn: string, before: Props, after: Props): Promise<void> {
  const tags = (p: Props) => list(p.Tags).map((t) => ({ Key: String(t.Key), Value: String(t.Value) }));
  const old = tags(before);
  const next = tags(after);
  const changed = next.filter((tag) => !old.some((o) => o.Key === tag.Key && o.Value === tag.Value));
  const removed = old.filter((o) => !next.some((tag) => tag.Key === o.Key)).map((o) => o.Key);
  if (changed.length > 0) await ddb.send(new TagResourceCommand({ ResourceArn: arn, Tags: changed }));
  if (removed.length > 0) await ddb.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: removed }));
}

async function applyTimeToLive(ddb: DynamoDBClient, table: string, before: Props, after: Props): Promise<void> {
  if (same(before.TimeToLiveSpecification, after.TimeToLiveSpecification)) return;
  const next = obj(after.TimeToLiveSpecification);
  const previous = obj(before.TimeToLiveSpecification);
  const enabled = bool(next.Enabled);
  const attribute = String(next.AttributeName ?? previous.AttributeName ?? '');
  if (!enabled && !bool(previous.Enabled)) return;
  await ddb.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { AttributeName: attribute, Enabled: enabled } }));
}

async function applyPointInTimeRecovery(ddb: DynamoDBClient, table: string, before: Props, after: Props): Promise<void> {
  const enabled = bool(obj(after.PointInTimeRecoverySpecification).PointInTimeRecoveryEnabled);
  if (enabled === bool(obj(before.PointInTimeRecoverySpecification).PointInTimeRecoveryEnabled)) return;
  await ddb.send(new UpdateContinuousBackupsCommand({ TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: enabled } }));
}

const tableExists = (ddb: DynamoDBClient, table: string) => found(() => describe(ddb, table), ['ResourceNotFoundException']);

async function describe(ddb: DynamoDBClient, table: string): Promise<TableDescription> {
  return (await ddb.send(new DescribeTableCommand({ TableName: table }))).Table ?? {};
}

/** The SDK's waiters, polling often: the local DynamoDB ends a table's CREATING or UPDATING at once, and fills a new index before it answers. */
const QUICK = { maxWaitTime: 60, minDelay: 0.005, maxDelay: 0.1 };

/** The table once ACTIVE (CloudFormation reports CREATE_COMPLETE or UPDATE_COMPLETE then). */
async function waitForActive(ddb: DynamoDBClient, table: string): Promise<TableDescription> {
  await waitUntilTableExists({ client: ddb, ...QUICK }, { TableName: table });
  return describe(ddb, table);
}

/** CloudFormation reports DELETE_COMPLETE once the table is gone, not when deletion starts. */
async function waitForDeletion(ddb: DynamoDBClient, table: string): Promise<void> {
  await waitUntilTableNotExists({ client: ddb, ...QUICK }, { TableName: table });
}

function attributesOf(table: TableDescription): Record<string, unknown> {
  return { Arn: table.TableArn, ...(table.LatestStreamArn ? { StreamArn: table.LatestStreamArn } : {}) };
}
