import type { BuildOptions } from 'esbuild';

export function cliBundleOptions(outdir: string): BuildOptions;
