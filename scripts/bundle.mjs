// Bundles the CLI into dist/cli.js so `npx stackpilot` starts without compiling TypeScript.
import { build } from 'esbuild';
import { cliBundleOptions } from './bundle-options.mjs';

await build(cliBundleOptions('dist'));
console.log('bundle: dist/cli.js');
