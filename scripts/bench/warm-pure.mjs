// Warm cost of the AWS-free triggers (Define, preTokenGeneration, ...), measured on the built
// bundles themselves in one process: require dist/<fn>.js, then call handler(event, context) in
// batches over the sample events. The bundles' Powertools logger writes its JSON lines to stdout,
// which the parent points at /dev/null, so log serialisation and the write are part of the cost.
// Usage: node scripts/bench/warm-pure.mjs '<json spec>' <out.json>
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { summary } from './common.mjs';

const require = createRequire(import.meta.url);
const [specText, outFile] = process.argv.slice(2);
const spec = JSON.parse(specText); // [{ name, bundle, events: [{ file, event }] }]
const BATCH = Number(process.env.BENCH_WARM_BATCH ?? 200);
const BATCHES = Number(process.env.BENCH_WARM_BATCHES ?? 40);

const context = (name) => ({
  functionName: name,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
  memoryLimitInMB: '256',
  awsRequestId: 'bench',
  logGroupName: `/aws/lambda/${name}`,
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 5_000,
  done() {},
  fail() {},
  succeed() {},
});

const results = {};
for (const { name, bundle, events } of spec) {
  try {
    const { handler } = require(bundle);
    if (typeof handler !== 'function') throw new Error(`${bundle} exports no handler function`);
    const ctx = context(name);
    let errors = 0;
    const run = async (event) => {
      try {
        await handler(event, ctx);
      } catch {
        errors += 1;
      }
    };
    // First call separately (first-call JIT/lazy init), then a discarded warm-up batch.
    const t0 = performance.now();
    await run(structuredClone(events[0].event));
    const firstCallUs = (performance.now() - t0) * 1000;
    const perCall = [];
    for (let b = -1; b < BATCHES; b += 1) {
      const batch = Array.from({ length: BATCH }, (_, i) => structuredClone(events[i % events.length].event));
      const start = performance.now();
      for (const event of batch) await run(event);
      const us = ((performance.now() - start) * 1000) / BATCH;
      if (b >= 0) perCall.push(us);
    }
    errors = 0;
    // Per sample event (one batch each), for the JSON only; also counts events the handler refuses.
    const perEvent = {};
    for (const { file, event } of events) {
      const batch = Array.from({ length: BATCH }, () => structuredClone(event));
      const before = errors;
      const start = performance.now();
      for (const e of batch) await run(e);
      perEvent[file] = { us: ((performance.now() - start) * 1000) / BATCH, throws: errors > before };
    }
    results[name] = { ok: true, firstCallUs, perCallUs: summary(perCall), calls: BATCH * BATCHES, events: events.length, perEvent };
  } catch (error) {
    results[name] = { ok: false, error: String(error?.message ?? error).split('\n')[0] };
  }
}
writeFileSync(outFile, JSON.stringify(results, null, 2));
