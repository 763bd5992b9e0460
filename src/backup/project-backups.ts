import { awsStep } from '../deploy/aws-errors.ts';
import { loadDeployContext, type DeployContext, type StackTargetOptions } from '../deploy/context.ts';
import { describeStack } from '../deploy/inspect.ts';
import { artifactsBucketName } from '../deploy/package.ts';
import { openTarget, type Target } from '../deploy/target.ts';
import { inEveryRegion } from '../regions/fanout.ts';
import { StackpilotError } from '../errors.ts';
import { backUp, type BackupEntry, type BackupScope } from './backup.ts';
import { listBackups, listUnfinished, readBackup, type UnfinishedBackup } from './catalog.ts';
import { backupSubjects, currentPhysicalId } from './resources.ts';
import { restoreBackup, type RestoreOptions, type RestoreResult } from './restore.ts';

/** The commands' side of backups: a project and environment opened, its target and catalog found. */

type ProjectOptions = Pick<StackTargetOptions, 'env' | 'target' | 'region' | 'regions' | 'profile'>;

interface Opened {
  context: DeployContext;
  target: Target;
  scope: BackupScope;
}

const opened = (context: DeployContext, target: Target): Opened => {
  const { project, environment, region } = context;
  return { context, target, scope: { project: project.name, environment: environment.env ?? 'default', region, artifactsBucket: artifactsBucketName(project.name, target.accountId, region) } };
};

/** One region (a backup lives in one region's catalog): --region's, else the environment's. */
async function withProject<T>(path: string, options: ProjectOptions, work: (opened: Opened) => Promise<T>): Promise<T> {
  if ((options.regions?.length ?? 0) > 1) throw new StackpilotError('OneRegionOnly', 'a backup is restored in one region: --regions cannot name several', 'Name its region with --region (stackpilot backups lists each backup with its region).');
  const context = loadDeployContext(path, { ...options, region: options.regions?.[0] ?? options.region });
  const target = await openTarget({ target: options.target, region: context.region, profile: options.profile, projectRoot: context.project.root });
  try {
    return await work(opened(context, target));
  } finally {
    await target.close();
  }
}

/** Every region the environment covers (--region, --regions narrow it): results in the regions' order. */
async function inEachRegion<T>(path: string, options: ProjectOptions, work: (opened: Opened, labelled: boolean) => Promise<T>): Promise<T[]> {
  const { results } = await inEveryRegion(path, options, () => {}, ({ context, target, labelled }) => work(opened(context, target), labelled));
  return [...results.values()];
}

export interface BackupSelection {
  /** A project stack id or CloudFormation stack name: only that stack (and its nested stacks). */
  stack?: string;
  /** Only resources with this logical id. */
  resource?: string;
}

/** Backs up the tables and buckets of the environment's deployed stacks, nested stacks included, one after another in each region. */
export async function backUpProject(path: string, options: ProjectOptions & BackupSelection, progress: (message: string) => void, onEntry: (entry: BackupEntry) => void): Promise<BackupEntry[]> {
  let nothing: StackpilotError | undefined;
  const perRegion = await inEachRegion(path, options, (region, labelled) =>
    backUpRegion(region, options, progress, onEntry).catch((error: unknown) => {
      // With several regions, one with nothing to back up is no failure while another has something.
      if (!labelled || !(error instanceof StackpilotError) || error.code !== 'NothingToBackUp') throw error;
      nothing = error;
      return [];
    }),
  );
  const entries = perRegion.flat();
  if (entries.length === 0 && nothing) throw nothing;
  return entries;
}

async function backUpRegion({ context, target, scope }: Opened, options: BackupSelection, progress: (message: string) => void, onEntry: (entry: BackupEntry) => void): Promise<BackupEntry[]> {
  const stacks = context.project.stacks.map((s) => ({ id: s.id, name: context.stackName(s.id) })).filter((s) => options.stack === undefined || s.id === options.stack || s.name === options.stack);
  if (stacks.length === 0) throw new StackpilotError('StackNotFound', `${context.project.name} has no stack ${options.stack}`, `Stacks: ${context.project.stacks.map((s) => s.id).join(', ')}.`);
  const subjects = await awsStep(`read the resources of ${context.project.name}'s stacks`, async () => {
    const found = [];
    for (const stack of stacks) if (await describeStack(target.cloudformation, stack.name)) found.push(...(await backupSubjects(target.cloudformation, stack.name)));
    return found.filter((s) => options.resource === undefined || s.logicalId === options.resource);
  });
  if (subjects.length === 0) throw new StackpilotError('NothingToBackUp', `no deployed table or bucket${options.resource ? ` ${options.resource}` : ''} in ${stacks.map((s) => s.name).join(', ')}`, 'Deploy the stacks first, or check --stack and --resource (stackpilot status shows what is deployed).');
  const entries: BackupEntry[] = [];
  for (const subject of subjects) {
    const entry = await awsStep(`back up ${subject.stackName}/${subject.logicalId} (${subject.physicalId})`, () => backUp(target, scope, subject, progress));
    onEntry(entry);
    entries.push(entry);
  }
  return entries;
}

/** The catalog's backups of the project in the environment (each region's artifacts bucket), oldest first within a region, and the backups there that never completed. */
export async function listProjectBackups(path: string, options: ProjectOptions): Promise<{ entries: BackupEntry[]; unfinished: UnfinishedBackup[] }> {
  const perRegion = await inEachRegion(path, options, ({ target, scope }) =>
    awsStep(`read the backup catalog in s3://${scope.artifactsBucket}`, async () => ({
      entries: await listBackups(target.s3, scope.artifactsBucket, { project: scope.project, environment: scope.environment }),
      unfinished: await listUnfinished(target.s3, scope.artifactsBucket),
    })),
  );
  return { entries: perRegion.flatMap((r) => r.entries), unfinished: perRegion.flatMap((r) => r.unfinished) };
}

export interface ProjectRestoreOptions extends Omit<RestoreOptions, 'current'> {
  /** Restore into the table or bucket the stack owns now. */
  intoCurrent: boolean;
}

/** Restores a backup of the project's catalog (see restoreBackup) and verifies it. */
export async function restoreProjectBackup(path: string, id: string, options: ProjectOptions & ProjectRestoreOptions, progress: (message: string) => void): Promise<{ entry: BackupEntry; result: RestoreResult }> {
  return withProject(path, options, async ({ target, scope }) => {
    const entry = await awsStep(`read backup ${id} from s3://${scope.artifactsBucket}`, () => readBackup(target.s3, scope.artifactsBucket, id));
    if (entry.project !== scope.project || entry.environment !== scope.environment) {
      throw new StackpilotError('BackupOfAnotherEnvironment', `backup ${id} is of ${entry.project} environment ${entry.environment}, not ${scope.project} environment ${scope.environment}`, `Restore it with --env ${entry.environment}.`);
    }
    const current = options.intoCurrent && options.to === undefined ? await awsStep(`find ${entry.stack}/${entry.logicalId}`, () => currentPhysicalId(target.cloudformation, entry.stack, entry.logicalId)) : undefined;
    const result = await awsStep(`restore backup ${id}`, () => restoreBackup(target, scope.artifactsBucket, entry, { ...options, current }, progress));
    return { entry, result };
  });
}
