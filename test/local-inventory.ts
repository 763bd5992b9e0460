import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeParametersCommand } from '@aws-sdk/client-ssm';
import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
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
  let token: string | undefined;
  do {
    const page = await clients.ssm.send(new DescribeParametersCommand({ NextToken: token }));
    parameters.push(...(page.Parameters ?? []).map((p) => p.Name!));
    token = page.NextToken;
  } while (token);
  return {
    buckets: ((await clients.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name!).sort(),
    tables: ((await clients.dynamodb.send(new ListTablesCommand({}))).TableNames ?? []).sort(),
    parameters: parameters.sort(),
    secrets: ((await clients.secretsManager.send(new ListSecretsCommand({}))).SecretList ?? []).map((s) => s.Name!).sort(),
  };
}
