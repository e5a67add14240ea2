/**
 * legacy:import at size (issue 17), called by scripts/bench.mjs; prints a Markdown section.
 * - rows/s of `npm run legacy:import` (the real command, one process) into dynalite running in a
 *   process of its own, at BENCH_IMPORT_ROWS (default 100,000) rows, for a few --concurrency values;
 * - the write strategy it uses (BatchGetItem + BatchWriteItem, never overwriting) against the
 *   alternative of one conditional PutItem per user, at 10,000 rows;
 * - peak RSS of the command: dry runs at 10k, 100k and 1M rows (BENCH_IMPORT_MILLION=0 skips 1M),
 *   and writing runs (10k rows here, BENCH_IMPORT_ROWS in the rate table).
 * Run alone: npx tsx scripts/bench/import.ts
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { generateExport, generatedRow } from '../../local/import/generate.js';
import { itemFromLegacyUser, legacyUserFromRow } from '../../local/import/rows.js';
import { createDirectoryWriter } from '../../local/import/writer.js';
import { createLegacyTable } from '../../local/legacyImport.js';

const root = resolve(__dirname, '..', '..');
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const MILLION = process.env.BENCH_IMPORT_MILLION !== '0';
const work = mkdtempSync(join(tmpdir(), 'bench-import-'));
const log = (message: string) => process.stderr.write(`bench import: ${message}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function startDynaliteProcess(): Promise<{ endpoint: string; child: ChildProcess }> {
  const script = "require('dynalite')({ createTableMs: 0 }).listen(0, '127.0.0.1', function () { console.log(this.address().port); })";
  const child = spawn(process.execPath, ['-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolvePort, reject) => {
    child.stdout?.once('data', (data: Buffer) => resolvePort(data.toString().trim()));
    child.once('exit', (code) => reject(new Error(`dynalite exited with ${code}`)));
  });
  return { endpoint: `http://127.0.0.1:${port}`, child };
}

/** Runs the real command in one Node process (tsx as a loader) and reads its peak RSS as it exits. */
function runCommand(args: string[], endpoint: string): { seconds: number; peakRssMB: number; status: number | null; stderr: string } {
  const rssFile = join(work, 'rss');
  const preload = join(work, 'rss.cjs');
  writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));`);
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--require', preload, '--import', 'tsx', join(root, 'local/legacyImport.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  const seconds = (performance.now() - started) / 1000;
  return { seconds, peakRssMB: Number(readFileSync(rssFile, 'utf8')) / 1024, status: result.status, stderr: result.stderr };
}

async function exportOf(rows: number, format: 'csv' | 'json'): Promise<string> {
  const path = join(work, `users-${rows}.${format}`);
  await generateExport(path, { rows, format });
  return path;
}

/** 10,000 users written by the import's writer, then by one conditional PutItem each (64 in flight). */
async function compareStrategies(endpoint: string): Promise<{ batch: number; conditionalPut: number }> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const rows = 10_000;
  const items = Array.from({ length: rows }, (_, i) => itemFromLegacyUser(legacyUserFromRow({ ...generatedRow(i + 1) })));
  const pool = async (count: number, inFlight: number, work: (i: number) => Promise<unknown>) => {
    let next = 0;
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next < count) await work(next++);
    }));
  };
  await createLegacyTable(client, 'strategy-batch');
  await createLegacyTable(client, 'strategy-put');
  const writer = createDirectoryWriter({ client, tableName: 'strategy-batch' });
  let started = performance.now();
  await pool(rows / 25, 8, (b) => writer.writeBatch(items.slice(b * 25, b * 25 + 25)));
  const batch = rows / ((performance.now() - started) / 1000);
  started = performance.now();
  await pool(rows, 64, (i) =>
    client.send(new PutItemCommand({ TableName: 'strategy-put', Item: items[i], ConditionExpression: 'attribute_not_exists(username)' })),
  );
  const conditionalPut = rows / ((performance.now() - started) / 1000);
  client.destroy();
  return { batch, conditionalPut };
}

async function main(): Promise<void> {
  const lines: string[] = [];
  const say = (text = '') => lines.push(text);
  const { endpoint, child } = await startDynaliteProcess();
  try {
    say(`### legacy:import at size (scripts/bench/import.ts; ${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)} at start; dynalite in its own process)`);
    say();
    log(`generating ${fmt(ROWS)} rows`);
    const csv = await exportOf(ROWS, 'csv');
    const rateRows: string[] = [];
    for (const concurrency of [1, 8, 16]) {
      log(`writing ${fmt(ROWS)} CSV rows, --concurrency ${concurrency}`);
      const table = `bench-c${concurrency}`;
      const run = runCommand([csv, '--table', table, '--create-table', '--no-checkpoint', '--quiet', '--concurrency', String(concurrency)], endpoint);
      if (run.status !== 0) throw new Error(`import exited ${run.status}: ${run.stderr.slice(-500)}`);
      rateRows.push(`| ${concurrency} | ${fmt(ROWS)} | ${run.seconds.toFixed(1)} | ${fmt(ROWS / run.seconds)} | ${run.peakRssMB.toFixed(0)} |`);
    }
    say('| --concurrency | rows (CSV) | seconds (whole command) | rows/s | peak RSS MB |');
    say('|---|---|---|---|---|');
    for (const row of rateRows) say(row);
    say();

    log('write strategies at 10,000 rows');
    const strategies = await compareStrategies(endpoint);
    say(`Write strategy, 10,000 users: BatchGetItem + BatchWriteItem of 25 (8 in flight, the import's) ${fmt(strategies.batch)} rows/s; one conditional PutItem per user (64 in flight) ${fmt(strategies.conditionalPut)} rows/s.`);
    say();

    const sizes = [10_000, 100_000, ...(MILLION ? [1_000_000] : [])];
    const memoryRows: string[] = [];
    for (const rows of sizes) {
      for (const format of ['csv', 'json'] as const) {
        log(`dry run, ${fmt(rows)} ${format} rows`);
        const path = rows === ROWS && format === 'csv' ? csv : await exportOf(rows, format);
        const megabytes = statSync(path).size / 1024 / 1024;
        const dry = runCommand([path, '--table', 'unused', '--dry-run', '--quiet'], endpoint);
        if (dry.status !== 0) throw new Error(`dry run exited ${dry.status}: ${dry.stderr.slice(-500)}`);
        let written = rows === ROWS && format === 'csv' ? 'see --concurrency 8 above' : 'not run';
        if (rows < ROWS && format === 'csv') {
          log(`writing ${fmt(rows)} ${format} rows for memory`);
          const run = runCommand([path, '--table', `bench-mem-${rows}`, '--create-table', '--no-checkpoint', '--quiet'], endpoint);
          written = run.status === 0 ? `${run.peakRssMB.toFixed(0)} MB (${fmt(rows / run.seconds)} rows/s)` : `FAILED (${run.status})`;
        }
        memoryRows.push(`| ${fmt(rows)} | ${format} | ${megabytes.toFixed(0)} | ${dry.peakRssMB.toFixed(0)} | ${fmt(rows / dry.seconds)} | ${written} |`);
        if (path !== csv) rmSync(path);
      }
    }
    say('Peak RSS of the whole command (Node + SDK + tsx), dry run (reads, checks, detects duplicates; no writes) and writing (8 batches in flight):');
    say();
    say('| rows | format | file MB | dry run peak RSS MB | dry run rows/s | writing: peak RSS (rows/s) |');
    say('|---|---|---|---|---|---|');
    for (const row of memoryRows) say(row);
  } finally {
    child.kill();
    rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
