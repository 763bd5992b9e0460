import { Command, Option } from 'commander';
import type { BackupEntry } from '../backup/backup.ts';
import { StackpilotError } from '../errors.ts';
import type { Redactor } from '../redaction.ts';
import { terminalQuestions } from './ask.ts';
import { EXIT } from './exit-codes.ts';
import { withTargetOptions, type TargetFlags } from './options.ts';
import { redactingWriters } from './terminal.ts';

const targetOptions = (flags: TargetFlags) => ({ env: flags.env, target: flags.target, region: flags.region, regions: flags.regions, profile: flags.profile, stackName: flags.stackName });

export function backupCommand(secrets: Redactor): Command {
  return withTargetOptions(new Command('backup'))
    .summary('back up the tables and buckets of the deployed stacks')
    .description(
      `Backs up the stateful resources of the environment's deployed stacks, nested
stacks included: each DynamoDB table with an on-demand backup (waited for until
AVAILABLE) and an export of its items (JSON Lines, under
stackpilot-backups/<id>/items/ in the project's artifacts bucket, read by a
restore into an existing table), each S3 bucket by copying its current objects
into the artifacts bucket under stackpilot-backups/<id>/objects/. Each backup
gets a checksum of its content (order-independent sha256 over items or objects)
and, once complete, an entry in the backup catalog
(stackpilot-backups/catalog/<id>.json): a backup that was killed midway is
never listed as restorable, and \`stackpilot backups\` names it. Other stateful
types (RDS, Aurora, Redshift, ElastiCache, EFS, Neptune) are protected by their
DeletionPolicy/UpdateReplacePolicy Snapshot instead.

Exit codes: 0 backed up, 3 usage or I/O problem (no deployed table or bucket,
an AWS call that fails included).`,
    )
    .option('-s, --stack <stack>', 'only this stack (project stack id or stack name) and its nested stacks')
    .option('--resource <logicalId>', 'only the resources with this logical id')
    .option('--json', 'print the catalog entries as JSON lines')
    .action(async (path: string, flags: TargetFlags & { stack?: string; resource?: string; json?: boolean }) => {
      const { backUpProject } = await import('../backup/project-backups.ts');
      const { out, err } = redactingWriters(secrets);
      await backUpProject(path, { ...targetOptions(flags), stack: flags.stack, resource: flags.resource }, (message) => err(`${message}\n`), (entry) => out(flags.json ? `${JSON.stringify(entry)}\n` : `${entryLine(entry)}\n`));
    });
}

export function backupsCommand(secrets: Redactor): Command {
  return withTargetOptions(new Command('backups'))
    .summary('list the backups in the catalog')
    .description(
      `Lists the complete backups of the project's environment, oldest first, from the
catalog in the artifacts bucket of the environment's region and account: as a
table, or as JSON (the catalog entries). Backups that began and never completed
(killed midway) are not listed as backups: they are named on standard error,
with where their partial copies are.

Exit codes: 0 listed (none is not an error), 3 usage or I/O problem.`,
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (path: string, flags: TargetFlags & { format: 'text' | 'json' }) => {
      const { listProjectBackups } = await import('../backup/project-backups.ts');
      const { out, err } = redactingWriters(secrets);
      const { entries, unfinished } = await listProjectBackups(path, targetOptions(flags));
      if (flags.format === 'json') out(`${JSON.stringify(entries, null, 2)}\n`);
      else if (entries.length === 0) err('no backups yet: take one with `stackpilot backup`\n');
      else out(backupTable(entries));
      for (const u of unfinished) err(`unfinished backup ${u.id} of ${u.what}, begun ${u.time}: killed midway, or still under way; not restorable. Its partial copies are under ${u.prefix} in the artifacts bucket.\n`);
    });
}

interface RestoreFlags extends TargetFlags {
  to?: string;
  intoCurrent?: boolean;
  yes?: boolean;
}

export function restoreCommand(secrets: Redactor): Command {
  return withTargetOptions(new Command('restore').argument('<backupId>', 'the backup to restore (see stackpilot backups)'))
    .summary('restore a backup, and verify it by count and checksum')
    .description(
      `Restores one backup of the catalog, then verifies it: counts the items or
objects of what was restored and recomputes their checksum, and reports "count
x/y, checksum ok|MISMATCH".

DynamoDB: by default into a new table (--to NAME, default
<original>-restored-<id suffix>), made by RestoreTableFromBackup.
--into-current writes the items into the table the stack owns now (found by the
backup's logical id), which then holds exactly what the backup held. S3: copies
the objects into the bucket the stack owns now (--into-current) or into --to
BUCKET (created when missing); objects the backup did not hold are removed from
it.

A target that is not empty is replaced only with --yes; on a terminal, you are
asked. A restore cut short (Ctrl-C, a kill) leaves the target partly restored:
run it again to finish.

Exit codes: 0 restored and verified, 1 verification failed or restore refused
(a non-empty target without --yes), 3 usage or I/O problem (an unknown backup
id included).`,
    )
    .option('--to <name>', 'restore into this table or bucket')
    .option('--into-current', 'restore into the table or bucket the stack owns now')
    .option('-y, --yes', 'replace what a non-empty target holds, without asking')
    .action(async (id: string, path: string, flags: RestoreFlags) => {
      const { restoreProjectBackup } = await import('../backup/project-backups.ts');
      const { RESTORE_REFUSED } = await import('../backup/restore.ts');
      const { out, err } = redactingWriters(secrets);
      const questions = terminalQuestions();
      try {
        const { result } = await restoreProjectBackup(path, id, { ...targetOptions(flags), to: flags.to, intoCurrent: flags.intoCurrent === true, overwrite: flags.yes === true, confirm: questions && ((question) => questions.yesNo(secrets.redact(question))) }, (message) => err(`${message}\n`));
        const { verification: v } = result;
        out(`restored ${id} into ${result.into}: ${result.written} written${result.removed ? `, ${result.removed} removed` : ''}${result.retried ? `, ${result.retried} retried` : ''}\n`);
        out(`count ${v.count}/${v.expectedCount}, checksum ${v.checksumOk ? 'ok' : 'MISMATCH'}\n`);
        process.exitCode = v.ok ? EXIT.ok : EXIT.failed;
      } catch (error) {
        if (!(error instanceof StackpilotError && error.code === RESTORE_REFUSED)) throw error;
        err(`refused: ${error.message}\n  ${error.hint ?? ''}\n`);
        process.exitCode = EXIT.failed;
      }
    });
}

function entryLine(e: BackupEntry): string {
  return `${e.id}  ${e.stack}/${e.logicalId} (${e.physicalId})  ${e.count} ${e.kind === 'dynamodb-table' ? 'items' : 'objects'}  ${e.checksum}`;
}

/** The catalog as a table; a REGION column when the backups come from several regions. */
function backupTable(entries: BackupEntry[]): string {
  const regional = new Set(entries.map((e) => e.region)).size > 1;
  const region = (cells: string[], e?: BackupEntry) => (regional ? [...cells.slice(0, 2), e ? e.region : 'REGION', ...cells.slice(2)] : cells);
  const rows = [region(['ID', 'TIME', 'RESOURCE', 'KIND', 'COUNT', 'CHECKSUM']), ...entries.map((e) => region([e.id, e.time, `${e.stack}/${e.logicalId}`, e.kind, String(e.count), e.checksum.slice(0, 19)], e))];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `${r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()}\n`).join('');
}
