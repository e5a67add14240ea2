/**
 * The functions' JSON log lines and EMF metric lines go to the running test's console instead of straight to the
 * terminal: vitest keeps a test's console output with the test and, with `silent: 'passed-only'`
 * (vitest.config.mts), prints it only when the test fails. Expected errors (a cold start refused on purpose) then
 * stay out of `npm test`'s output; a failing test still shows every line its code logged.
 * Tests that assert on log lines capture them themselves (test/support/logs.ts).
 */
const LOG_LINE = /^\{"(?:level|_aws)"/;

for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && LOG_LINE.test(chunk)) {
      console.log(chunk.trimEnd());
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }
    return write(chunk, ...rest);
  }) as typeof stream.write;
}
