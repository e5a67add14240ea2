import type { Metafile } from 'esbuild';

/** Inputs evaluated when the bundle is required (reached through static imports or require()). */
export function eagerInputs(metafile: Metafile, entry: string): Set<string>;
/** Packages matching one of the prefixes among the eager inputs, sorted. */
export function eagerPackages(metafile: Metafile, entry: string, prefixes: readonly string[]): string[];
