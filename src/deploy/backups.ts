import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { backUp, backupKindOf, snapshotPolicyTypes, type BackupKind, type BackupScope } from '../backup/backup.ts';
import { failureInWords } from './aws-errors.ts';
import { BACKUP_KINDS, resourcePath, type EventSink, type PreviewedChange } from './events.ts';
import { stackAt, type LiveResource, type LiveStack } from './live-resources.ts';
import type { Target } from './target.ts';

/**
 * Backups before a change set runs. `auto`: the resources whose data the change deletes (buckets
 * only when they hold objects); `always`: every table and bucket of a stack that changes, nested
 * stacks included; `never`: none, said plainly.
 */
export type BackupMode = 'auto' | 'always' | 'never';

export interface PlannedBackup extends LiveResource {
  /** The stack that holds it, nested or not. */
  stackName: string;
  nestedPath: string[];
  kind: BackupKind;
}

/** `Storage/JobsTable (DynamoDB table plot-palette-jobs-development)`. */
export const backupInWords = (b: PlannedBackup): string => `${resourcePath(b.nestedPath, b.logicalId)} (${BACKUP_KINDS[b.kind].name} ${b.physicalId})`;

async function holdsObjects(s3: S3Client, bucket: string): Promise<boolean> {
  try {
    return ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }))).KeyCount ?? 0) > 0;
  } catch (error) {
    if ((error as Error).name === 'NoSuchBucket') return false;
    throw error;
  }
}

/** What to back up before a stack's change set (its preview `changes`) runs, from the stack as it stands (`stacks`). */
export async function backupsFor(s3: S3Client, mode: BackupMode, changes: PreviewedChange[], stacks: LiveStack[]): Promise<PlannedBackup[]> {
  if (mode === 'never' || changes.length === 0) return [];
  const candidates =
    mode === 'always'
      ? stacks.flatMap((s) => s.resources.map((r) => ({ ...r, stackName: s.stackName, nestedPath: s.nestedPath })))
      : changes.filter((c) => c.dataAtRisk).flatMap((c) => {
          const stack = stackAt(stacks, c.nestedPath);
          const live = stack?.resources.find((r) => r.logicalId === c.logicalId);
          return stack && live ? [{ ...live, stackName: stack.stackName, nestedPath: c.nestedPath }] : [];
        });
  const planned: PlannedBackup[] = [];
  for (const candidate of candidates) {
    const kind = backupKindOf(candidate.resourceType);
    if (!kind) continue;
    // An empty bucket loses nothing.
    if (mode === 'auto' && kind === 's3-bucket' && !(await holdsObjects(s3, candidate.physicalId))) continue;
    planned.push({ ...candidate, kind });
  }
  return planned;
}

/** Notices for a stack's preview: data lost that stackpilot does not back up, and backups turned off. */
export function dataLossNotices(stackName: string, changes: PreviewedChange[], mode: BackupMode): string[] {
  const atRisk = changes.filter((c) => c.dataAtRisk);
  const snapshotTypes = new Set<string>(snapshotPolicyTypes);
  const notices = atRisk
    .filter((c) => snapshotTypes.has(c.resourceType))
    .map((c) => `${stackName}: ${resourcePath(c.nestedPath, c.logicalId)} (${c.resourceType}) loses its data in this change, and stackpilot does not back up this type: give it DeletionPolicy: Snapshot and UpdateReplacePolicy: Snapshot (CloudFormation then snapshots it first); it has neither here.`);
  if (mode === 'never' && atRisk.length > 0) notices.push(`${stackName}: backups disabled (--backup never): ${atRisk.length} resource(s) will lose data`);
  return notices;
}

/**
 * Takes the backups one after another, each complete (in the catalog) before the next. The first
 * that fails ends it, with the reason; an interrupt starts no further backup.
 */
export async function takeBackups(
  target: Target,
  scope: BackupScope,
  context: { stack: string; stackName: string },
  backups: PlannedBackup[],
  emit: EventSink,
  signal?: AbortSignal,
): Promise<{ failure?: { reason: string; hint: string } }> {
  for (const b of backups) {
    if (signal?.aborted) return {};
    emit({ code: 'backup-start', ...context, logicalId: b.logicalId, nestedPath: b.nestedPath, kind: b.kind, physicalId: b.physicalId });
    try {
      const entry = await backUp(target, scope, { stackName: b.stackName, logicalId: b.logicalId, physicalId: b.physicalId, resourceType: b.resourceType });
      emit({ code: 'backup-done', ...context, logicalId: b.logicalId, nestedPath: b.nestedPath, kind: b.kind, id: entry.id, count: entry.count });
    } catch (error) {
      const failure = failureInWords(error);
      if (!failure) throw error;
      return {
        failure: {
          reason: `the backup of ${backupInWords(b)} failed, so nothing was changed: ${failure.message}`,
          hint: `${failure.hint ? `${failure.hint} ` : ''}Deploy again to retry the backup, or pass --backup never to go ahead without it and accept the loss of its data.`,
        },
      };
    }
  }
  return {};
}
