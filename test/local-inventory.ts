import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { paginateListTables } from '@aws-sdk/client-dynamodb';
import { paginateDescribeParameters } from '@aws-sdk/client-ssm';
import { paginateListSecrets } from '@aws-sdk/client-secrets-manager';
import type { LocalAws } from '../src/emulator/local-aws.ts';

export interface Inventory {
  buckets: string[];
  tables: string[];
  parameters: string[];
  secrets: string[];
}

/** Everything the local data planes hold in a region, by name, read through the SDK as any client would. */
export async function inventory(local: LocalAws, region = local.region): Promise<Inventory> {
  const clients = local.clientsFor(region);
  const parameters: string[] = [];
  for await (const page of paginateDescribeParameters({ client: clients.ssm }, {})) parameters.push(...(page.Parameters ?? []).map((p) => p.Name!));
  const tables: string[] = [];
  for await (const page of paginateListTables({ client: clients.dynamodb }, {})) tables.push(...(page.TableNames ?? []));
  const secrets: string[] = [];
  for await (const page of paginateListSecrets({ client: clients.secretsManager }, {})) secrets.push(...(page.SecretList ?? []).map((s) => s.Name!));
  return {
    buckets: ((await clients.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name!).sort(),
    tables: tables.sort(),
    parameters: parameters.sort(),
    secrets: secrets.sort(),
  };
}
