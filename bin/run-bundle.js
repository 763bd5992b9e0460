// Runs the CLI bundle (dist/cli.cjs) compiled from V8's code cache for it (dist/cli.cjs.cache),
// which `npm run build` writes after a warm-up run: V8 then neither parses the bundle nor compiles
// the functions the warm-up ran. Node 20 has no compile cache for ES modules, hence CommonJS.
import { isAscii } from 'node:buffer';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

/**
 * A command lives for seconds: V8's default budget sends code to its optimizing compiler so soon
 * that compiling (and throwing away) optimized code costs more than it saves. About 8x the
 * default (132 KB) measured best: `validate` on the corpus 1751 -> 1351 ms of CPU, a lone
 * template 229 -> 200 ms (npm run bench -- validate). Set before the bundle compiles, so all of it
 * runs under it, and so that the cache is made and used under the same flags (V8 refuses a cache
 * made under other flags).
 */
const V8_FLAGS = '--interrupt-budget=1000000';

export const cachePathOf = (bundlePath) => `${bundlePath}.cache`;

/** The cache, unless it is older than the bundle (V8 checks only the source's length). */
function readCache(bundlePath) {
  const cachePath = cachePathOf(bundlePath);
  if (!existsSync(cachePath) || statSync(cachePath).mtimeMs < statSync(bundlePath).mtimeMs) return undefined;
  return readFileSync(cachePath);
}

/** Replaces the cache in one step: a run started meanwhile reads the old one or the new one. */
function writeCache(bundlePath, script) {
  const cachePath = cachePathOf(bundlePath);
  const partial = `${cachePath}.${process.pid}.partial`;
  writeFileSync(partial, script.createCachedData());
  renameSync(partial, cachePath);
}

/** The bundle compiled as Node compiles a CommonJS module, from `cachedData` if V8 takes it. */
export function compileBundle(bundlePath, cachedData) {
  setFlagsFromString(V8_FLAGS);
  const bytes = readFileSync(bundlePath);
  // The build writes ASCII, which V8 takes as Latin-1 as is; decoding UTF-8 costs ~15 ms.
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  return new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundlePath, cachedData });
}

/**
 * Runs the CommonJS bundle at `bundlePath` as Node would. `refreshCache: 'always'` (the build's
 * warm-up) saves, as the process exits, the code compiled by then; by default the cache is saved
 * only when there was none V8 took (another Node version, a rebuilt bundle): that run pays for it
 * once, and never fails for it (a read-only install keeps starting without it).
 */
export function runBundle(bundlePath, { refreshCache = 'when-unusable' } = {}) {
  const cachedData = refreshCache === 'always' ? undefined : readCache(bundlePath);
  const script = compileBundle(bundlePath, cachedData);
  if (refreshCache === 'always' || !cachedData || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        writeCache(bundlePath, script);
      } catch (error) {
        if (refreshCache === 'always') throw error;
      }
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
}
