import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { join } from 'node:path';
import type { EngineOptions } from '../engine/api.ts';
import { LocalAws, type LocalClientConfig } from '../emulator/local-aws.ts';
import { servingProcess, type ServingAddress } from '../emulator/state-lock.ts';
import { StackpilotError } from '../errors.ts';
import { awsErrorInWords, nameFailedCalls } from './aws-errors.ts';
import type { Polling } from './watch.ts';

/** Where a deploy goes: the embedded local engine (default) or an AWS account. */
export interface TargetOptions {
  target: 'local' | 'aws';
  region: string;
  /** A named profile of the shared AWS config (aws target). */
  profile?: string;
  /** The project folder, whose `.stackpilot/local` holds the local target's state. */
  projectRoot: string;
  /** Local target only: injected faults and simulated resource durations. */
  engine?: Pick<EngineOptions, 'faults' | 'timeScale'>;
}

/** The clients a command uses: CloudFormation, S3 for artifacts, and the data planes whose resources deploy may have to clear away (see failed-create.ts). */
export interface TargetClients {
  cloudformation: CloudFormationClient;
  s3: S3Client;
  dynamodb: DynamoDBClient;
  ssm: SSMClient;
  secretsManager: SecretsManagerClient;
}

export interface Target extends TargetClients {
  kind: 'local' | 'aws';
  region: string;
  accountId: string;
  /** Local target only: the `stackpilot local serve` process this target's requests go to, when one holds the state. */
  servedBy?: { url: string; pid: number };
  /** How long to wait between polls of a stack or change set in progress. */
  polling: Polling;
  close(): Promise<void>;
}

const NAMING = { step: 'initialize', priority: 'high', name: 'stackpilotNameFailedCalls' } as const;

/**
 * Errors of the client's calls say which call failed (see nameFailedCalls). The SDK's logger
 * middleware goes: it copies every input and output, masked, for a logger stackpilot never
 * gives, a walk of every item of every Scan page and BatchWriteItem call.
 */
function namingFailedCalls<C extends { middlewareStack: { add(middleware: typeof nameFailedCalls, options: typeof NAMING): void; remove(name: string): boolean } }>(client: C): C {
  client.middlewareStack.add(nameFailedCalls, NAMING);
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

type ServedClientConfig = Pick<LocalClientConfig, 'region' | 'endpoint' | 'credentials' | 'forcePathStyle'>;

function targetClients(config: LocalClientConfig | ServedClientConfig | { region: string; profile?: string; retryMode: string; maxAttempts: number }): TargetClients {
  return {
    cloudformation: namingFailedCalls(new CloudFormationClient(config)),
    s3: namingFailedCalls(new S3Client(config)),
    dynamodb: namingFailedCalls(new DynamoDBClient(config)),
    ssm: namingFailedCalls(new SSMClient(config)),
    secretsManager: namingFailedCalls(new SecretsManagerClient(config)),
  };
}

const destroyAll = (clients: TargetClients) => Object.values(clients).forEach((client: { destroy(): void }) => client.destroy());

export async function openTarget(options: TargetOptions): Promise<Target> {
  const [target] = await openTargets({ ...options, regions: [options.region] });
  return target;
}

/**
 * One target per region. On the local target they share one LocalAws (it holds the state lock,
 * and serves every region: stacks, exports, tables and parameters kept per region, buckets
 * account-wide), closed with the last target.
 */
export async function openTargets(options: Omit<TargetOptions, 'region'> & { regions: string[] }): Promise<Target[]> {
  if (options.target === 'local') {
    const dataDir = join(options.projectRoot, '.stackpilot', 'local');
    let local: LocalAws;
    try {
      local = await LocalAws.open({ dataDir, region: options.regions[0], engine: options.engine });
    } catch (error) {
      const served = error instanceof StackpilotError && error.code === 'LocalStateLocked' ? servingProcess(dataDir) : undefined;
      if (!served) throw error;
      return servedTargets(served, options);
    }
    let open = options.regions.length;
    return options.regions.map((region) => {
      const clients = targetClients(local.clientConfig(region));
      return {
        kind: 'local',
        region,
        accountId: local.accountId,
        ...clients,
        polling: { first: 25, max: 25 },
        close: async () => {
          destroyAll(clients);
          if (--open === 0) await local.close();
        },
      };
    });
  }
  const opened = await Promise.allSettled(options.regions.map((region) => openAwsTarget({ ...options, region })));
  const targets = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const refused = opened.find((o) => o.status === 'rejected');
  if (refused) {
    await Promise.all(targets.map((t) => t.close()));
    throw refused.reason;
  }
  return targets;
}

/**
 * Targets whose requests go over HTTP to the `stackpilot local serve` that holds the local state,
 * signed with the key pair it accepts: a user keeps a local AWS up and deploys into it.
 */
function servedTargets(served: ServingAddress & { pid: number }, options: Omit<TargetOptions, 'region'> & { regions: string[] }): Target[] {
  if (options.engine?.faults !== undefined || options.engine?.timeScale !== undefined) {
    throw new StackpilotError('LocalStateLocked', `The local state is served by process ${served.pid} (stackpilot local serve at ${served.url}), whose engine this command cannot give faults or durations to`, `Stop process ${served.pid} first.`);
  }
  return options.regions.map((region) => {
    const clients = targetClients({ region, endpoint: served.url, credentials: served.credentials, forcePathStyle: true });
    return {
      kind: 'local',
      region,
      accountId: served.accountId,
      servedBy: { url: served.url, pid: served.pid },
      ...clients,
      polling: { first: 25, max: 25 },
      close: async () => destroyAll(clients),
    };
  });
}

async function openAwsTarget(options: TargetOptions): Promise<Target> {
  // The standard credential chain (environment, shared config and SSO, instance roles), a named
  // profile when given, and adaptive retries so throttling slows the deploy down instead of failing it.
  const config = { region: options.region, profile: options.profile, retryMode: 'adaptive', maxAttempts: 10 };
  const sts = namingFailedCalls(new STSClient(config));
  let accountId: string;
  try {
    accountId = (await sts.send(new GetCallerIdentityCommand({}))).Account!;
  } catch (error) {
    const failure = awsErrorInWords(error);
    if (!failure) throw error;
    throw new StackpilotError('AwsCredentials', `cannot reach AWS as ${options.profile ? `profile ${options.profile}` : 'the default credentials'} in ${options.region}: ${failure.message}`, `${failure.hint} \`aws sts get-caller-identity\` with the same profile and region should work first; or deploy to the local engine (--target local).`);
  } finally {
    sts.destroy();
  }
  const clients = targetClients(config);
  return {
    kind: 'aws',
    region: options.region,
    accountId,
    ...clients,
    // A change set is often ready, and a small stack done, within seconds: poll soon, then back
    // off to every 5 s so a long deploy stays well inside CloudFormation's API rate limits.
    polling: { first: 1000, max: 5000 },
    close: async () => destroyAll(clients),
  };
}
