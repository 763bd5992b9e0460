import type { StackState } from '../../deploy/inspect.ts';
import type { Colors } from '../../validate/format/text.ts';
import { formatColumns } from './columns.ts';

/** How `status` judges a stack: healthy, usable with something to know, or not usable as it stands. */
export type StackHealth = 'healthy' | 'usable' | 'unhealthy';

/** A stack's status judged, with a note that says what it means when that is not plain. */
export function judgeStatus(status: string): { health: StackHealth; note?: string } {
  if (status === 'UPDATE_ROLLBACK_COMPLETE') return { health: 'usable', note: 'the last update failed and was rolled back: the stack is usable, as it was before that update; fix the cause and deploy again' };
  if (/^(CREATE|UPDATE|IMPORT)_COMPLETE$/.test(status)) return { health: 'healthy' };
  if (status === 'NOT_DEPLOYED') return { health: 'unhealthy', note: 'not deployed: stackpilot deploy creates it' };
  if (status === 'ROLLBACK_COMPLETE' || status === 'ROLLBACK_FAILED') return { health: 'unhealthy', note: 'its create failed: it can only be deleted; deploy deletes it (once confirmed) and creates it again' };
  if (status === 'UPDATE_ROLLBACK_FAILED') return { health: 'unhealthy', note: 'the last update failed and so did its rollback: stackpilot rollback lists what stops it' };
  if (status === 'CREATE_FAILED' || status === 'UPDATE_FAILED') return { health: 'unhealthy', note: 'kept as it failed (deploy --disable-rollback): deploy again, or stackpilot rollback' };
  if (status.endsWith('_IN_PROGRESS')) return { health: 'unhealthy', note: 'an operation is under way: wait for it (stackpilot status again)' };
  return { health: 'unhealthy' };
}

/** A region's stacks as `status` shows them; `region` labels them when the command covers several. */
export interface RegionStates {
  region?: string;
  states: StackState[];
}

/**
 * `status` as one table, so columns line up however long a name (nested ones included): a
 * mark and the stack's name, its status, when it last changed; its nested stacks indented below
 * it, then any data that is gone and a note on what an unusual status means.
 */
export function statusLines(regions: RegionStates[], colors: Colors): { lines: string[]; healthy: boolean } {
  const marks: Record<StackHealth, string> = { healthy: colors.green('✔'), usable: colors.yellow('!'), unhealthy: colors.red('✖') };
  const labelWidth = Math.max(0, ...regions.map((r) => r.region?.length ?? 0));
  const rows: string[][] = [];
  // Lines of one long cell (data gone, a note) go under their row, outside the columns: they would widen them.
  const below = new Map<number, string[]>();
  let healthy = true;
  for (const { region, states } of regions) {
    const label = region === undefined ? [] : [colors.cyan(region)];
    const under = (text: string) => below.get(rows.length - 1)!.push(`${region === undefined ? '' : `${colors.cyan(region.padEnd(labelWidth))}  `}    ${text}`);
    for (const s of states) {
      const status = s.stack?.StackStatus ?? 'NOT_DEPLOYED';
      const judged = judgeStatus(status);
      const health = s.gone.length > 0 ? 'unhealthy' : judged.health;
      healthy &&= health !== 'unhealthy';
      const when = s.stack ? ((s.stack.LastUpdatedTime ?? s.stack.CreationTime)?.toISOString() ?? '') : '';
      rows.push([...label, `${marks[health]} ${s.stackName}`, status, when]);
      below.set(rows.length - 1, []);
      if (judged.note) under(colors.dim(judged.note));
      for (const g of s.gone) under(`${colors.red('✖')} data gone: ${g.stackName}/${g.logicalId} (${g.type} ${g.physicalId})`);
      for (const n of s.nested) rows.push([...label, `    ${n.stackName}`, n.status]);
    }
  }
  const lines = formatColumns(rows).flatMap((line, i) => [line, ...(below.get(i) ?? [])]);
  return { lines, healthy };
}
