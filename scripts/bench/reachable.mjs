// Which inputs of a bundle a cold start evaluates: everything reachable from the entry through static
// imports and require() calls, i.e. not only through a dynamic import() (esbuild keeps those lazily
// initialised in the same bundle, evaluated only when the import() runs).

/** Inputs evaluated when the bundle is required, from esbuild's metafile. */
export function eagerInputs(metafile, entry) {
  const seen = new Set();
  const queue = [entry];
  while (queue.length > 0) {
    const input = queue.pop();
    if (seen.has(input)) continue;
    seen.add(input);
    for (const imported of metafile.inputs[input]?.imports ?? []) {
      if (imported.kind !== 'dynamic-import' && !imported.external) queue.push(imported.path);
    }
  }
  return seen;
}

/** Packages (node_modules/<name>) matching one of the prefixes among the eager inputs. */
export function eagerPackages(metafile, entry, prefixes) {
  const found = new Set();
  for (const input of eagerInputs(metafile, entry)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
    if (name !== undefined && prefixes.some((prefix) => name.startsWith(prefix))) found.add(name);
  }
  return [...found].sort();
}
