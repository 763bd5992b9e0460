import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { join } from 'node:path';
import type { AwsClients, EngineOptions } from '../engine/api.ts';
import { Engine } from '../engine/engine.ts';
import { StackpilotError } from '../errors.ts';
import { CloudFormationEmulator } from './cloudformation/cloudformation-emulator.ts';
import { DynamoDbEmulator } from './dynamodb/dynamodb-emulator.ts';
import { LocalRequestHandler } from './request-handler.ts';
import { S3Emulator } from './s3/s3-emulator.ts';
import { SecretsManagerEmulator } from './secrets-manager.ts';
import { serviceErrorReply } from './service-errors.ts';
import { SsmEmulator } from './ssm.ts';
import { tightenStateModes } from './state-files.ts';
import { acquireStateLock } from './state-lock.ts';
import { StateSecrets } from './state-secrets.ts';
import { StsEmulator } from './sts.ts';
import { ServiceError, jsonErrorReply, type LocalReply, type LocalRequest, type ServiceEmulator } from './wire.ts';

/** The endpoint local clients are configured with; `.invalid` guarantees nothing on a network answers it. */
export const LOCAL_ENDPOINT_HOST = 'local.stackpilot.invalid';
export const LOCAL_ENDPOINT = `http://${LOCAL_ENDPOINT_HOST}`;
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface LocalAwsOptions {
  /** Where state persists (the project's `.stackpilot/local/`); in memory when omitted. */
  dataDir?: string;
  accountId?: string;
  region?: string;
  /**
   * Options for the CloudFormation engines (faults, timeScale, random...). Region and account
   * come from here; clients default to this emulator's, stateDir to `<dataDir>/cloudformation/<region>`
   * and secrets to the data folder's.
   */
  engine?: Partial<EngineOptions>;
  /** The largest S3 object one PUT may upload: 5 GiB, S3's own limit, unless given. */
  maxObjectBytes?: number;
}

/** What `new XxxClient(local.clientConfig())` needs to talk to the emulator in-process. */
export interface LocalClientConfig {
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  requestHandler: LocalRequestHandler;
  /** S3 only (other clients ignore it): bucket in the path, so no DNS-style host is needed. */
  forcePathStyle: true;
}

/**
 * A local AWS account: the emulated services' data planes behind one request handler, usable
 * in-process by SDK v3 clients (`clientConfig()`) and over HTTP (`serveLocalAws`).
 */
export class LocalAws {
  readonly requestHandler: LocalRequestHandler;
  private readonly services: Record<string, ServiceEmulator>;
  private readonly dynamodb: DynamoDbEmulator;
  /** Seals the secret values in the state files, with the key of the data folder. */
  private readonly secrets: StateSecrets | undefined;
  private readonly s3: S3Emulator;
  private readonly clientSets = new Map<string, AwsClients>();
  private readonly engines = new Map<string, Promise<Engine>>();
  private readonly loadedEngines = new Set<Engine>();
  /** A process that exits on purpose mid-operation (a second Ctrl-C) still writes what its engines know. */
  private readonly persistOnExit = () => {
    for (const engine of this.loadedEngines) engine.persistNow();
  };
  private closed = false;

  private constructor(
    readonly accountId: string,
    readonly region: string,
    readonly dataDir: string | undefined,
    private readonly engineOptions: Partial<EngineOptions>,
    private readonly releaseLock: () => void,
    maxObjectBytes: number | undefined,
  ) {
    this.secrets = dataDir ? StateSecrets.inFolder(dataDir) : undefined;
    this.dynamodb = new DynamoDbEmulator(accountId, dataDir);
    // Virtual-hosted buckets: `BUCKET.s3.localhost`, `BUCKET.localhost` (and in-process, under the local endpoint's host).
    this.s3 = new S3Emulator(dataDir, ['s3.localhost', 'localhost', LOCAL_ENDPOINT_HOST], maxObjectBytes);
    this.services = {
      cloudformation: new CloudFormationEmulator((engineRegion) => this.engine(engineRegion)),
      s3: this.s3,
      dynamodb: this.dynamodb,
      sts: new StsEmulator(accountId),
      ssm: new SsmEmulator(accountId, dataDir, this.secrets),
      secretsmanager: new SecretsManagerEmulator(accountId, dataDir, this.secrets),
    };
    this.requestHandler = new LocalRequestHandler((request) => this.dispatch(request), region);
    if (dataDir) process.on('exit', this.persistOnExit);
  }

  /**
   * Takes the data folder's lock and reads the data planes' state, then loads the default
   * region's engine: state another process uses, or damaged state, is reported here (a
   * StackpilotError) and not by a later request, and operations a killed process left
   * unfinished start finishing in the background.
   */
  static async open(options: LocalAwsOptions = {}): Promise<LocalAws> {
    const releaseLock = options.dataDir ? acquireStateLock(options.dataDir) : () => {};
    let local: LocalAws;
    try {
      if (options.dataDir) tightenStateModes(options.dataDir);
      local = new LocalAws(options.accountId ?? '123456789012', options.region ?? 'us-east-1', options.dataDir, options.engine ?? {}, releaseLock, options.maxObjectBytes);
    } catch (error) {
      releaseLock();
      throw error;
    }
    try {
      for (const service of Object.values(local.services)) await service.open?.();
      await local.engine();
    } catch (error) {
      await local.close();
      throw error;
    }
    return local;
  }

  /** Answers one request, whichever way it arrived. */
  async dispatch(request: LocalRequest): Promise<LocalReply> {
    const service = this.services[request.service];
    if (!service) return jsonErrorReply('UnknownService', `The local emulator does not serve ${request.service}`, 400);
    try {
      return await service.handle(request);
    } catch (error) {
      // A fault of the emulator itself, or damaged state: answer it as AWS answers its own (a 500),
      // so the caller sees it, with the way out when there is one.
      const reason = error instanceof StackpilotError && error.hint ? `${error.message}. ${error.hint}` : error instanceof Error ? error.message : String(error);
      return serviceErrorReply(request, new ServiceError('InternalFailure', `Local ${request.service} emulator failed: ${reason}`, 500));
    }
  }

  /** Whether a browser request from another site is one a bucket's CORS configuration allows (only S3 has CORS). */
  allowsCrossOrigin(request: LocalRequest): boolean {
    return request.service === 's3' && this.s3.allowsCrossOrigin(request);
  }

  clientConfig(region: string = this.region): LocalClientConfig {
    return { region, endpoint: LOCAL_ENDPOINT, credentials: LOCAL_CREDENTIALS, requestHandler: this.requestHandler, forcePathStyle: true };
  }

  /** SDK clients of this emulator for the default region. */
  get clients(): AwsClients {
    return this.clientsFor(this.region);
  }

  clientsFor(region: string): AwsClients {
    let clients = this.clientSets.get(region);
    if (!clients) {
      const config = this.clientConfig(region);
      clients = { s3: new S3Client(config), dynamodb: new DynamoDBClient(config), ssm: new SSMClient(config), secretsManager: new SecretsManagerClient(config) };
      this.clientSets.set(region, clients);
    }
    return clients;
  }

  /**
   * The region's CloudFormation engine, made on first use: it provisions resources through
   * clients of this same emulator, and keeps its state in `<dataDir>/cloudformation/<region>/`.
   */
  engine(region: string = this.region): Promise<Engine> {
    let engine = this.engines.get(region);
    if (!engine) {
      engine = this.startEngine(region);
      this.engines.set(region, engine);
      // A failed start is not remembered: the next request tries again.
      engine.catch(() => this.engines.delete(region));
    }
    return engine;
  }

  private async startEngine(region: string): Promise<Engine> {
    const engine = new Engine({
      ...this.engineOptions,
      region,
      accountId: this.accountId,
      clients: this.engineOptions.clients ?? this.clientsFor(region),
      stateDir: this.engineOptions.stateDir ?? (this.dataDir && join(this.dataDir, 'cloudformation', region)),
      secrets: this.engineOptions.secrets ?? this.secrets,
    });
    await engine.load();
    this.loadedEngines.add(engine);
    return engine;
  }

  /** Resolves once every engine has finished its background stack operations. */
  async settled(): Promise<void> {
    await Promise.all([...this.engines.values()].map(async (engine) => (await engine).settled()));
  }

  /** Lets running stack operations finish, closes the data planes (LevelDB files) and releases the data folder. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.engines.values()].map(async (engine) => (await engine).settled()));
    process.off('exit', this.persistOnExit);
    await this.s3.settled();
    for (const clients of this.clientSets.values()) for (const key of Object.keys(clients) as (keyof AwsClients)[]) clients[key].destroy();
    try {
      await this.dynamodb.close();
    } finally {
      this.releaseLock();
    }
  }
}
