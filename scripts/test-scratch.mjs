// The temporary folder of a test run (scripts/test.mjs) or of a mutation run (scripts/mutate.mjs):
// whatever a test leaves behind is found there and removed with it. A run killed outright (kill -9,
// a mutant's timeout) cannot remove its folder: the next run removes those whose process is gone
// (the folder's name carries it).
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM'; // alive, another user's
  }
}

/** tsx keeps its compile cache under the temporary folder: a run points at the shared one, so it stays warm. */
export const tsxCache = `tsx-${process.geteuid?.() ?? 'user'}`;

/** Makes the run's folder (`stackpilot-<kind>-<pid>-*`) after removing those of dead runs. */
export function makeScratch(kind) {
  for (const name of readdirSync(tmpdir())) {
    const pid = new RegExp(`^stackpilot-${kind}-(\\d+)-`).exec(name)?.[1];
    if (pid !== undefined && !isRunning(Number(pid))) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
  const scratch = mkdtempSync(join(tmpdir(), `stackpilot-${kind}-${process.pid}-`));
  mkdirSync(join(tmpdir(), tsxCache), { recursive: true });
  symlinkSync(join(tmpdir(), tsxCache), join(scratch, tsxCache));
  return scratch;
}

/** The environment of the tests: the run's folder as TMPDIR. */
export const testEnvironment = (scratch) => ({
  // The SDK's notice that its 2027 releases need Node 22 says nothing about the code under test.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  TMPDIR: scratch,
});
