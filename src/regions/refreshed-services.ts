import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeJsonAtomic } from '../emulator/state-files.ts';
import { StackpilotError } from '../errors.ts';
import type { PublishedServices } from './availability.ts';

/** Where `stackpilot regions refresh` keeps what AWS published, in the project's own folder. */
export const REFRESHED_SERVICES_FILE = join('.stackpilot', 'region-services.json');

export interface RefreshedServices {
  /** When AWS was asked (ISO date and time). */
  refreshedAt: string;
  target: 'aws' | 'local';
  /** Region -> the service ids AWS lists in it. */
  regions: Record<string, string[]>;
}

/** Writes the refreshed services into the project (atomically: a killed refresh leaves the previous file). */
export function saveRefreshedServices(projectRoot: string, refreshed: RefreshedServices): string {
  const file = join(projectRoot, REFRESHED_SERVICES_FILE);
  mkdirSync(dirname(file), { recursive: true });
  writeJsonAtomic(file, refreshed);
  return file;
}

/** The services a refresh saved in the project, if any; a damaged file is an error, not a silent fallback. */
export function readRefreshedServices(projectRoot: string): { refreshed: RefreshedServices; services: PublishedServices } | undefined {
  const file = join(projectRoot, REFRESHED_SERVICES_FILE);
  if (!existsSync(file)) return undefined;
  let refreshed: RefreshedServices;
  try {
    refreshed = JSON.parse(readFileSync(file, 'utf8')) as RefreshedServices;
    if (typeof refreshed.regions !== 'object' || refreshed.regions === null || typeof refreshed.refreshedAt !== 'string') throw new Error('not a refresh');
  } catch {
    throw new StackpilotError('RegionServicesDamaged', `${file} is not a region services file stackpilot wrote`, 'Run `stackpilot regions refresh` again, or delete the file to use the bundled data alone.');
  }
  const byRegion = new Map<string, Set<string>>();
  for (const [region, list] of Object.entries(refreshed.regions)) if (Array.isArray(list)) byRegion.set(region, new Set(list.filter((s) => typeof s === 'string')));
  return { refreshed, services: { refreshedAt: refreshed.refreshedAt, byRegion, known: new Set([...byRegion.values()].flatMap((s) => [...s])) } };
}
