import { join } from 'node:path';
import { stateSubfolders } from '../state-files.ts';
import { ServiceError, jsonErrorReply, jsonReply, readJsonBody, targetAction, type LocalReply, type LocalRequest, type ServiceEmulator } from '../wire.ts';
import { createBackup, deleteBackup, describeBackup, listBackups, restoreTableFromBackup } from './backups.ts';
import { DynamoRegion } from './dynamodb-region.ts';
import { applyIndexChange, takeIndexChanges, type IndexChange } from './global-indexes.ts';
import { checkDeletable, describeContinuousBackups, describeTableSettings, describeTimeToLive, recordTableSettings, updateContinuousBackups, updateTimeToLive } from './table-settings.ts';

const JSON_10 = 'application/x-amz-json-1.0';
const ERROR_NAMESPACE = 'com.amazonaws.dynamodb.v20120810#';

type Input = Record<string, unknown>;

// Served by the emulator itself: dynalite has no backups, PITR or TTL records.
const OWN_ACTIONS: Record<string, (region: DynamoRegion, input: Input) => unknown> = {
  CreateBackup: createBackup,
  DescribeBackup: describeBackup,
  ListBackups: listBackups,
  DeleteBackup: deleteBackup,
  RestoreTableFromBackup: restoreTableFromBackup,
  UpdateContinuousBackups: updateContinuousBackups,
  DescribeContinuousBackups: describeContinuousBackups,
  UpdateTimeToLive: updateTimeToLive,
  DescribeTimeToLive: describeTimeToLive,
};

/**
 * DynamoDB over awsJson 1.0: item and table operations go to dynalite untouched, one store per
 * region; backups, PITR, TTL, encryption, streams and deletion protection are kept beside it.
 */
export class DynamoDbEmulator implements ServiceEmulator {
  private readonly regions = new Map<string, Promise<DynamoRegion>>();

  constructor(
    private readonly accountId: string,
    private readonly dataDir: string | undefined,
  ) {}

  async handle(request: LocalRequest): Promise<LocalReply> {
    const region = await this.region(request.region);
    const action = targetAction(request);
    try {
      // Read here for every action, dynalite's too: a body that is not a JSON object is refused before anything reads it.
      const input = readJsonBody(request);
      const own = OWN_ACTIONS[action];
      if (own) return jsonReply(200, await own(region, input), JSON_10);
      switch (action) {
        case 'CreateTable':
          return await this.createTable(region, request, input);
        case 'DescribeTable':
          return this.withTableSettings(region, await region.tables.forward(request.headers, request.body), 'Table');
        case 'UpdateTable':
          return await this.updateTable(region, request, input);
        case 'DeleteTable': {
          const tableName = String(input.TableName ?? '');
          checkDeletable(region, tableName);
          const reply = await region.tables.forward(request.headers, request.body);
          if (reply.status === 200) region.forgetTable(tableName);
          return reply;
        }
        default:
          return await region.tables.forward(request.headers, request.body);
      }
    } catch (error) {
      if (error instanceof ServiceError) return jsonErrorReply(`${ERROR_NAMESPACE}${error.code}`, error.message, error.status, JSON_10);
      throw error;
    }
  }

  /** Opens every region that has tables on disk now, so that damaged state shows when the emulator opens. */
  async open(): Promise<void> {
    if (this.dataDir) await Promise.all(stateSubfolders(join(this.dataDir, 'dynamodb')).map((name) => this.region(name)));
  }

  async close(): Promise<void> {
    const opened = await Promise.allSettled(this.regions.values());
    this.regions.clear();
    await Promise.all(opened.filter((region) => region.status === 'fulfilled').map((region) => region.value.tables.close()));
  }

  private region(name: string): Promise<DynamoRegion> {
    let region = this.regions.get(name);
    if (!region) {
      region = DynamoRegion.open(name, this.accountId, this.dataDir && join(this.dataDir, 'dynamodb', name));
      this.regions.set(name, region);
      // A region that failed to open is not remembered: the next request tries again.
      region.catch(() => this.regions.delete(name));
    }
    return region;
  }

  private async createTable(region: DynamoRegion, request: LocalRequest, input: Input): Promise<LocalReply> {
    const reply = await region.tables.forward(request.headers, request.body);
    if (reply.status !== 200) return reply;
    region.forgetTable(String(input.TableName));
    recordTableSettings(region, input);
    // dynalite ignores CreateTable's Tags; apply them through its TagResource.
    const tags = input.Tags as unknown[] | undefined;
    if (tags?.length) {
      const arn = (JSON.parse(reply.body.toString()) as { TableDescription: { TableArn: string } }).TableDescription.TableArn;
      await region.tables.call('TagResource', { ResourceArn: arn, Tags: tags });
    }
    return this.withTableSettings(region, reply, 'TableDescription');
  }

  private async updateTable(region: DynamoRegion, request: LocalRequest, input: Input): Promise<LocalReply> {
    const tableName = String(input.TableName ?? '');
    const { SSESpecification, StreamSpecification, DeletionProtectionEnabled, ...tableInput } = input;
    const changesSettings = SSESpecification !== undefined || StreamSpecification !== undefined || DeletionProtectionEnabled !== undefined;
    const { changes: indexChanges, rest } = takeIndexChanges(tableInput);
    // Checked against the table before anything changes, so a refused index leaves the table as it was.
    if (indexChanges.length > 0) await checkIndexChanges(region, tableName, indexChanges, rest.BillingMode);
    // dynalite rejects an UpdateTable with nothing it knows to change; answer those here.
    const changesTable = Object.keys(rest).some((name) => name !== 'TableName');
    let reply: LocalReply | undefined;
    if (changesTable || (!changesSettings && indexChanges.length === 0)) {
      reply = await region.tables.forward(request.headers, Buffer.from(JSON.stringify(rest)));
      if (reply.status !== 200) return reply;
    } else {
      await region.describeTable(tableName);
    }
    for (const change of indexChanges) await region.tables.changeGlobalIndex(tableName, change);
    if (changesSettings) recordTableSettings(region, input);
    if (reply && indexChanges.length === 0) return this.withTableSettings(region, reply, 'TableDescription');
    const table = await region.describeTable(tableName);
    return jsonReply(200, { TableDescription: { ...table, ...describeTableSettings(region, table) } }, JSON_10);
  }

  /** Adds the emulator's own table fields to a successful dynalite reply. */
  private withTableSettings(region: DynamoRegion, reply: LocalReply, field: 'Table' | 'TableDescription'): LocalReply {
    if (reply.status !== 200) return reply;
    const output = JSON.parse(reply.body.toString()) as Record<string, Record<string, unknown>>;
    const table = output[field];
    output[field] = { ...table, ...describeTableSettings(region, table) };
    return jsonReply(200, output, JSON_10);
  }
}

/** Throws DynamoDB's error for an index change that does not fit the table, as the rest of the UpdateTable would leave it. */
async function checkIndexChanges(region: DynamoRegion, tableName: string, changes: IndexChange[], billingMode: unknown): Promise<void> {
  await region.describeTable(tableName);
  const table = await region.tables.tableEntry(tableName);
  if (!table) return;
  const billing = typeof billingMode === 'string' ? billingMode : (table.BillingModeSummary?.BillingMode ?? 'PROVISIONED');
  for (const change of changes) applyIndexChange(table, change, billing);
}
