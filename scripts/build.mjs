// Bundles every function into dist/<functionName>.js with the shared options in esbuild.config.cjs.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';

const require = createRequire(import.meta.url);
const { FUNCTIONS, bundleOptions } = require('../esbuild.config.cjs');

export async function buildAll({ outdir = 'dist', options = bundleOptions } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  const results = {};
  for (const [name, entry] of Object.entries(FUNCTIONS)) {
    const result = await build({ ...options, entryPoints: { [name]: entry }, outdir, metafile: true, logLevel: 'warning' });
    results[name] = result.metafile;
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildAll();
  console.log(`Built ${Object.keys(FUNCTIONS).join(', ')} into dist/`);
}
