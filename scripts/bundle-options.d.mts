import type { BuildOptions } from 'esbuild';

export function cliBundleOptions(outdir: string): BuildOptions;
export function bundleCli(outdir: string): Promise<string>;
