// How the CLI is bundled: shared by `npm run build` and the tests that start the CLI many times.
export function cliBundleOptions(outdir) {
  return {
    entryPoints: { cli: new URL('../src/cli/bin.ts', import.meta.url).pathname },
    outdir,
    // Commands that need the AWS SDK or the emulator load them on demand, in chunks of their own.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: 'linked',
    legalComments: 'none',
    // Some dependencies are CommonJS and call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  };
}
