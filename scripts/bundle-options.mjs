// How the CLI is bundled: shared by `npm run build` and the tests that start the CLI many times.
// One CommonJS file, which bin/run-bundle.js compiles from a V8 code cache (Node 20 has none for
// ES modules). The commands' heavy parts (AWS SDK, emulator) are in it but stay unevaluated until a
// command imports them: esbuild wraps each module so it runs on first use.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * commander loads node:child_process (and with it dgram, sockets...: ~3 ms) at start-up for
 * executable subcommands, which stackpilot has none of: it gets it on first use instead.
 */
const commanderWithoutChildProcess = {
  name: 'commander-without-child-process',
  setup(build) {
    build.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(
        "const childProcess = require('node:child_process');",
        "const childProcess = { get spawn() { return require('node:child_process').spawn; } };",
      ),
      loader: 'js',
    }));
  },
};

export function cliBundleOptions(outdir) {
  return {
    entryPoints: { cli: new URL('../src/cli/bin.ts', import.meta.url).pathname },
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // import() becomes require(): a script compiled by node:vm has no loader for import().
    supported: { 'dynamic-import': false },
    // Without the default "module" condition, packages resolve to their CommonJS builds: the AWS SDK's
    // (one file per package) starts ~7 ms faster than its ES build (a module, and its namespace, per file).
    conditions: [],
    // The sources find their package files from their own location.
    define: { 'import.meta.url': '__bundleUrl' },
    banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [commanderWithoutChildProcess],
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  };
}

/** Bundles the CLI into OUTDIR/cli.cjs, and returns that path. */
export async function bundleCli(outdir) {
  await build(cliBundleOptions(outdir));
  const bundle = join(outdir, 'cli.cjs');
  // esbuild escapes what is not ASCII in code but leaves comments as written: escaped there too, the
  // bundle reads as Latin-1, ~15 ms less than decoding it as UTF-8 (see bin/run-bundle.js).
  writeFileSync(bundle, readFileSync(bundle, 'utf8').replace(/[^\0-\x7f]/gu, (char) => `\\u{${char.codePointAt(0).toString(16)}}`));
  return bundle;
}
