// Bundles the CLI into dist/cli.js so `npx stackpilot` starts without compiling TypeScript.
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'src/cli/bin.ts' },
  outdir: 'dist',
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
});
console.log('bundle: dist/cli.js');
