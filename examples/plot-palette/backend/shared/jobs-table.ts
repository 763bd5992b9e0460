/** Reading and writing the Jobs table. */
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { USER_ID_INDEX } from './constants.ts';
import { fromItem, toItem, type Item } from './items.ts';
import { JobConfig } from './models.ts';

/** A job id that is already taken. */
export class JobExistsError extends Error {
  override name = 'JobExistsError';
}

/** Writes a new job; refuses, rather than overwrites, a job id that already exists. */
export async function putNewJob(client: DynamoDBClient, tableName: string, job: JobConfig): Promise<void> {
  try {
    await client.send(new PutItemCommand({ TableName: tableName, Item: toItem(JobConfig, job), ConditionExpression: 'attribute_not_exists(job_id)' }));
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new JobExistsError(`job ${job.job_id} already exists in ${tableName}`);
    throw error;
  }
}

/** The job with `jobId`, read consistently; undefined if there is none. */
export async function getJob(client: DynamoDBClient, tableName: string, jobId: string): Promise<JobConfig | undefined> {
  const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: { job_id: { S: jobId } }, ConsistentRead: true }));
  return Item ? fromItem(JobConfig, Item) : undefined;
}

/** A user's jobs through `user-id-index`, newest first unless `oldestFirst`, following every page. */
export async function listJobsForUser(client: DynamoDBClient, tableName: string, userId: string, options: { oldestFirst?: boolean; limit?: number } = {}): Promise<JobConfig[]> {
  const jobs: JobConfig[] = [];
  let startKey: Item | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: USER_ID_INDEX,
        KeyConditionExpression: 'user_id = :user',
        ExpressionAttributeValues: { ':user': { S: userId } },
        ScanIndexForward: options.oldestFirst ?? false,
        ExclusiveStartKey: startKey,
        ...(options.limit ? { Limit: options.limit - jobs.length } : {}),
      }),
    );
    for (const item of page.Items ?? []) jobs.push(fromItem(JobConfig, item));
    startKey = page.LastEvaluatedKey;
  } while (startKey && (!options.limit || jobs.length < options.limit));
  return jobs;
}
