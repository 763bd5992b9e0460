import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../emulator/state-files.ts';
import { StackpilotError } from '../errors.ts';
import type { DeployContext } from './context.ts';

/**
 * Where deploy keeps outputs: one file per target, environment and region, so deploying staging
 * leaves dev's outputs alone and one region's deploy leaves another's:
 * `PATH/.stackpilot/outputs/<target>/<environment>/<region>.json`. A project without a manifest
 * has no environment: a template's file is named by its stack, a folder's by the folder.
 * Each file says what it describes: `{"environment", "region", "account", "target", "writtenAt",
 * "<stack>": {"Output": "value"}}` (the stacks beside, as outputs.json always had them).
 */

export const OUTPUTS_FOLDER = join('.stackpilot', 'outputs');
/** Where outputs went before they were kept per environment and region. */
export const LEGACY_OUTPUTS_FILE = 'outputs.json';

/** What an outputs document says it describes (beside the region or regions). */
export interface OutputsHeader {
  environment?: string;
  account: string;
  target: 'local' | 'aws';
  /** When deploy wrote it; absent from what `outputs` reads from live stacks. */
  writtenAt?: string;
}

/** A name from the manifest or the command line made safe as one path segment. */
function segment(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^\.+/, '-').slice(0, 128);
  return safe === '' ? '-' : safe;
}

/** The name outputs of this context are filed under: its environment, else its stack (a template) or folder. */
export function outputsScope(context: DeployContext): string {
  const { project, environment } = context;
  if (environment.env !== undefined) return environment.env;
  return project.kind === 'template' ? context.stackName(project.stacks[0]?.id ?? project.name) : project.name;
}

export function savedOutputsFile(context: DeployContext, target: 'local' | 'aws', region: string): string {
  return join(context.project.root, OUTPUTS_FOLDER, segment(target), segment(outputsScope(context)), `${segment(region)}.json`);
}

/**
 * The outputs file's shape (what deploy writes, `outputs --format json` prints): what it
 * describes, then by stack; with several regions `{..., "regions": {region: {stack: ...}}}`.
 */
export function outputsDocument(header: OutputsHeader, regions: [string, Record<string, Record<string, string>>][], labelled: boolean): Record<string, unknown> {
  const describes = (region?: string) => ({
    ...(header.environment !== undefined ? { environment: header.environment } : {}),
    ...(region !== undefined ? { region } : {}),
    account: header.account,
    target: header.target,
    ...(header.writtenAt !== undefined ? { writtenAt: header.writtenAt } : {}),
  });
  if (labelled) return { ...describes(), regions: Object.fromEntries(regions) };
  const [[region, stacks]] = regions;
  return { ...describes(region), ...stacks };
}

/** Writes an outputs document whole or not at all, owner-only like the rest of `.stackpilot/`, its folder made when missing. */
export function writeOutputsFile(file: string, document: unknown): void {
  try {
    writeFileAtomic(file, `${JSON.stringify(document, null, 2)}\n`);
  } catch (error) {
    // Checked before the deploy; a disk that fills up since is still no reason for a stack trace.
    throw new StackpilotError('FileUnwritable', `the stacks are deployed, but the outputs file ${file} could not be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'stackpilot outputs --format json prints the same outputs.');
  }
}

/** A saved outputs document, or undefined when there is none; one that cannot be read or parsed is an error naming it. */
export function readSavedOutputs(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StackpilotError('OutputsFileUnreadable', `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'Deploy again to write it afresh, or read the live stacks (leave out --saved).');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new StackpilotError('OutputsFileUnreadable', `${file} is not an outputs document`, 'Deploy again to write it afresh, or read the live stacks (leave out --saved).');
  return parsed as Record<string, unknown>;
}

/** One region's saved outputs: its file, and the stacks it holds (undefined when nothing was saved there). */
export interface SavedRegionOutputs {
  region: string;
  file: string;
  document?: Record<string, unknown>;
  /** By project stack id: only the project's stacks are read from the file. */
  stacks: Map<string, Record<string, string>>;
}

/** The outputs the last deploy saved for each region the command covers, read offline. */
export function readSavedProjectOutputs(contexts: DeployContext[], target: 'local' | 'aws'): SavedRegionOutputs[] {
  return contexts.map((context) => {
    const file = savedOutputsFile(context, target, context.region);
    const document = readSavedOutputs(file);
    const stacks = new Map<string, Record<string, string>>();
    for (const { id } of context.project.stacks) {
      const outputs = document && Object.hasOwn(document, id) ? document[id] : undefined;
      if (outputs !== null && typeof outputs === 'object' && !Array.isArray(outputs)) stacks.set(id, Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, String(v)])));
    }
    return { region: context.region, file, ...(document ? { document } : {}), stacks };
  });
}
