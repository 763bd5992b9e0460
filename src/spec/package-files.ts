import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A data file of the stackpilot package (`generated/...`, `data/...`) by its path from the package
 * root, found from this module upwards: works from src/spec (tsx, tests) and from dist (the bundled CLI).
 */
export function findPackageFile(relativePath: string): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    const candidate = join(dir, relativePath);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}
