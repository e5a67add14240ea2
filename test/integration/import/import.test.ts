import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCheckpointPath, readCheckpoint } from '../../../local/import/checkpoint.js';
import type { Dialect } from '../../../local/import/dialects.js';
import { GENERATED_PASSWORD_HASH, generatedLine, generateExport } from '../../../local/import/generate.js';
import { createImport, type ImportResult, type Rejection } from '../../../local/import/pipeline.js';
import { formatOfPath, openRecords } from '../../../local/import/records.js';
import { openRejectsFile } from '../../../local/import/rejects.js';
import { createDirectoryWriter } from '../../../local/import/writer.js';
import { createLegacyTable } from '../../../local/legacyImport.js';
import { startDynamo, type StandIn } from '../../../local/standins.js';

let dynamo: StandIn;
const dir = mkdtempSync(join(tmpdir(), 'import-it-'));
let tables = 0;

beforeAll(async () => {
  dynamo = await startDynamo();
});
afterAll(async () => {
  await dynamo?.close();
});

/** A client that counts every user name a BatchWriteItem carried to the table, and can fail on the nth one. */
function countingClient(options: { failOnWrite?: number; failAfterSending?: boolean } = {}) {
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, maxAttempts: 1 });
  const sent = new Map<string, number>();
  let writes = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'BatchWriteItemCommand') return next(args);
      writes += 1;
      const failHere = writes === options.failOnWrite;
      if (failHere && !options.failAfterSending) throw Object.assign(new Error('connection reset (injected)'), { name: 'InjectedFailure' });
      const input = args.input as { RequestItems: Record<string, { PutRequest?: { Item?: { username?: { S?: string } } } }[]> };
      for (const request of Object.values(input.RequestItems).flat()) {
        const name = request.PutRequest?.Item?.username?.S as string;
        sent.set(name, (sent.get(name) ?? 0) + 1);
      }
      const result = await next(args);
      if (failHere) throw Object.assign(new Error('response lost (injected)'), { name: 'InjectedFailure' });
      return result;
    },
    { step: 'initialize', name: 'countWrites' },
  );
  return { client, sent };
}

async function newTable(client: DynamoDBClient): Promise<string> {
  const table = `import-test-${(tables += 1)}`;
  await createLegacyTable(client, table);
  return table;
}

interface RunOptions {
  client: DynamoDBClient;
  table: string;
  path: string;
  dialect?: Dialect;
  checkpoint?: boolean;
  dryRun?: boolean;
  rejectsPath?: string;
  concurrency?: number;
  signal?: AbortSignal;
  onRejected?: () => void;
}

async function runImport(options: RunOptions): Promise<ImportResult & { rejections: Rejection[]; presentLines: number[] }> {
  const { client, table, path } = options;
  const format = formatOfPath(path);
  const source = openRecords(path, format);
  const checkpointPath = defaultCheckpointPath(path);
  const saved = options.checkpoint ? readCheckpoint(checkpointPath, path, table) : undefined;
  const rejections: Rejection[] = [];
  const presentLines: number[] = [];
  const rejects = options.rejectsPath === undefined ? undefined : openRejectsFile(options.rejectsPath, format === 'csv' ? 'csv' : 'jsonl', source.header);
  const result = await createImport({
    source,
    dialect: options.dialect ?? { kind: 'directory' },
    writer: options.dryRun ? undefined : createDirectoryWriter({ client, tableName: table, baseDelayMs: 1 }),
    concurrency: options.concurrency ?? 8,
    ...(options.checkpoint ? { checkpoint: { path: checkpointPath, exportPath: path, table, resumeAfter: saved?.done ?? 0 } } : {}),
    ...(rejects ? { rejects } : {}),
    onRejected: (rejection) => {
      rejections.push(rejection);
      options.onRejected?.();
    },
    ...(options.signal ? { signal: options.signal } : {}),
    onPresent: (line) => presentLines.push(line),
  }).run();
  return { ...result, rejections, presentLines };
}

async function tableSize(client: DynamoDBClient, table: string): Promise<number> {
  let count = 0;
  let start: Record<string, never> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: start }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey as typeof start;
  } while (start !== undefined);
  return count;
}

describe('a 50,000-row export', () => {
  const ROWS = 50_000;
  // Every 1,000th row is rejected (phone), every 777th repeats the row before: 50 + 64 rows are not loaded.
  const shape = { rejectEvery: 1_000, duplicateEvery: 777 };
  const expectedRejected = [...Array(ROWS).keys()].map((i) => i + 1).filter((n) => n % 1_000 === 0 || n % 777 === 0);
  const valid = ROWS - expectedRejected.length;

  it('streams through, every rejection and duplicate reported with its file line (dry run)', async () => {
    const path = join(dir, 'big.csv');
    await generateExport(path, { rows: ROWS, format: 'csv', ...shape });
    const { client, sent } = countingClient();
    const result = await runImport({ client, table: 'not-touched', path, dryRun: true });
    expect(result.counts).toEqual({ read: ROWS, loaded: valid, present: 0, resumed: 0, rejected: expectedRejected.length });
    expect(result.rejections.map((r) => r.line)).toEqual(expectedRejected.map((n) => generatedLine(n, 'csv')));
    expect(result.rejections.find((r) => r.line === generatedLine(777, 'csv'))?.reason).toBe(`username appears earlier in the file, on line ${generatedLine(776, 'csv')}`);
    expect(result.rejections.find((r) => r.line === generatedLine(1_000, 'csv'))?.reason).toMatch(/phoneNumber is not in E.164/);
    expect(sent.size).toBe(0);
    client.destroy();
  }, 120_000);

  it('written in parallel batches and stopped half-way by a failed write, continues from its checkpoint and loads each row exactly once', async () => {
    const path = join(dir, 'resume.json');
    await generateExport(path, { rows: ROWS, format: 'json', ...shape });
    const first = countingClient({ failOnWrite: Math.round(valid / 25 / 2), failAfterSending: true });
    const table = await newTable(first.client);
    const stopped = await runImport({ client: first.client, table, path, checkpoint: true });
    expect(stopped.failure?.message).toBe('response lost (injected)');
    const checkpoint = JSON.parse(readFileSync(defaultCheckpointPath(path), 'utf8')) as { done: number; complete: boolean };
    expect(checkpoint.complete).toBe(false);
    expect(checkpoint.done).toBeGreaterThan(ROWS / 3);
    expect(checkpoint.done).toBeLessThan((2 * ROWS) / 3);

    const second = countingClient();
    const resumed = await runImport({ client: second.client, table, path, checkpoint: true });
    expect(resumed.failure).toBeUndefined();
    // The batch whose answer was lost, and those in flight beside it, are found present and left alone.
    expect(resumed.counts.present).toBeGreaterThanOrEqual(25);
    expect(stopped.counts.loaded + 25 + resumed.counts.loaded).toBe(valid);
    const everyWrite = new Map(first.sent);
    for (const [name, times] of second.sent) everyWrite.set(name, (everyWrite.get(name) ?? 0) + times);
    expect(everyWrite.size).toBe(valid);
    expect([...everyWrite.values()].filter((times) => times !== 1)).toEqual([]);
    // Rejections are still reported for the whole file, with the line where each record starts.
    expect(resumed.rejections.map((r) => r.line)).toEqual(expectedRejected.map((n) => generatedLine(n, 'json')));
    expect(await tableSize(second.client, table)).toBe(valid);
    expect(readCheckpoint(defaultCheckpointPath(path), path, table)?.complete).toBe(true);
    first.client.destroy();
    second.client.destroy();
  }, 120_000);
});

describe('rerunning an import', () => {
  it('never overwrites a user already in the table, and says which it skipped', async () => {
    const path = join(dir, 'present.jsonl');
    await generateExport(path, { rows: 60, format: 'jsonl' });
    const { client } = countingClient();
    const table = await newTable(client);
    const changed = { username: { S: 'user0000007@example.com' }, passwordHash: { S: '$2b$10$changedSinceTheExport' } };
    await client.send(new PutItemCommand({ TableName: table, Item: changed }));
    const result = await runImport({ client, table, path });
    expect(result.counts).toMatchObject({ loaded: 59, present: 1 });
    expect(result.presentLines).toEqual([7]);
    const item = await client.send(new GetItemCommand({ TableName: table, Key: { username: changed.username } }));
    expect(item.Item).toEqual(changed);
    client.destroy();
  });

  it('does not bring back an entry removed after it was loaded (e.g. once the user migrated)', async () => {
    const path = join(dir, 'resurrect.csv');
    await generateExport(path, { rows: 100, format: 'csv' });
    const { client, sent } = countingClient();
    const table = await newTable(client);
    await runImport({ client, table, path, checkpoint: true });
    const gone = { username: { S: 'user0000010@example.com' } };
    await client.send(new DeleteItemCommand({ TableName: table, Key: gone }));
    sent.clear();
    // The checkpoint says the file was loaded completely: the command stops before reading it
    // (local/legacyImport.ts); even a run that reads it again settles nothing twice.
    const saved = readCheckpoint(defaultCheckpointPath(path), path, table);
    expect(saved).toMatchObject({ complete: true, done: 100 });
    const again = await runImport({ client, table, path, checkpoint: true });
    expect(again.counts).toMatchObject({ resumed: 100, loaded: 0 });
    expect(sent.size).toBe(0);
    expect((await client.send(new GetItemCommand({ TableName: table, Key: gone }))).Item).toBeUndefined();
    client.destroy();
  });

  it('refuses a checkpoint made for another file or table', async () => {
    const path = join(dir, 'changed.csv');
    await generateExport(path, { rows: 5, format: 'csv' });
    const { client } = countingClient();
    const table = await newTable(client);
    await runImport({ client, table, path, checkpoint: true });
    expect(() => readCheckpoint(defaultCheckpointPath(path), path, 'another-table')).toThrow(/this file or table differs/);
    await generateExport(path, { rows: 6, format: 'csv' });
    expect(() => readCheckpoint(defaultCheckpointPath(path), path, table)).toThrow(/this file or table differs/);
    client.destroy();
  });
});

describe('an import stopped by the operator (Ctrl-C)', () => {
  it('finishes the batches in flight, saves where it got to, and the rerun loads the rest once', async () => {
    const path = join(dir, 'interrupted.csv');
    await generateExport(path, { rows: 3_000, format: 'csv', rejectEvery: 1_000 });
    const first = countingClient();
    const table = await newTable(first.client);
    const stop = new AbortController();
    // Ctrl-C arrives when the first rejected row (line 1,001) has been read.
    const stopped = await runImport({ client: first.client, table, path, checkpoint: true, signal: stop.signal, onRejected: () => stop.abort() });
    expect(stopped.interrupted).toBe(true);
    expect(stopped.counts.read).toBe(1_000);
    const saved = readCheckpoint(defaultCheckpointPath(path), path, table);
    expect(saved).toMatchObject({ complete: false });
    expect(saved?.done).toBeGreaterThan(900);
    const second = countingClient();
    const resumed = await runImport({ client: second.client, table, path, checkpoint: true });
    expect(resumed.interrupted).toBe(false);
    expect(first.sent.size + second.sent.size).toBe(2_997);
    expect([...second.sent.keys()].filter((name) => first.sent.has(name))).toEqual([]);
    expect(await tableSize(second.client, table)).toBe(2_997);
    first.client.destroy();
    second.client.destroy();
  });
});

describe('a dry run', () => {
  it('reads and checks everything and touches no table', async () => {
    const path = join(dir, 'dry.json');
    await generateExport(path, { rows: 2_000, format: 'json', rejectEvery: 500 });
    const { client, sent } = countingClient();
    const result = await runImport({ client, table: 'no-such-table', path, dryRun: true, checkpoint: false });
    expect(result.counts).toEqual({ read: 2_000, loaded: 1_996, present: 0, resumed: 0, rejected: 4 });
    expect(sent.size).toBe(0);
    expect(existsSync(defaultCheckpointPath(path))).toBe(false);
    client.destroy();
  });
});

describe('the rejects file', () => {
  it('holds the rejected CSV rows as they were, with line and reason; fixed, it loads with the same command', async () => {
    const path = join(dir, 'with-rejects.csv');
    await generateExport(path, { rows: 300, format: 'csv', rejectEvery: 100 });
    const { client } = countingClient();
    const table = await newTable(client);
    const rejectsPath = join(dir, 'rejects.csv');
    const first = await runImport({ client, table, path, rejectsPath });
    expect(first.counts).toMatchObject({ loaded: 297, rejected: 3 });
    const rejects = readFileSync(rejectsPath, 'utf8').trimEnd().split('\r\n');
    expect(rejects[0]).toBe('username,passwordHash,email,emailVerified,phoneNumber,given_name,rejectedLine,rejectedReason');
    expect(rejects.slice(1).map((line) => line.split(',').slice(-2)[0])).toEqual(['101', '201', '301']);
    expect(rejects[1]).toContain(`user0000100@example.com,${GENERATED_PASSWORD_HASH},`);

    writeFileSync(rejectsPath, rejects.map((line) => line.replace(',555-0100,', ',+15550000100,')).join('\r\n'));
    const fixed = await runImport({ client, table, path: rejectsPath, rejectsPath: join(dir, 'rejects-again.csv') });
    expect(fixed.counts).toMatchObject({ read: 3, loaded: 3, rejected: 0 });
    const item = await client.send(new GetItemCommand({ TableName: table, Key: { username: { S: 'user0000200@example.com' } } }));
    expect(item.Item?.phoneNumber?.S).toBe('+15550000100');
    // The line and reason columns are the rejects file's own, never user attributes.
    expect(Object.keys(item.Item?.attributes?.M ?? {})).toEqual(['given_name']);
    client.destroy();
  });

  it('holds a JSON export\'s rejected records as JSON Lines that load again, whatever the export dialect', async () => {
    const path = join(dir, 'keycloak-realm.json');
    const credential = (iterations: number) => ({
      type: 'password',
      secretData: JSON.stringify({ value: Buffer.alloc(64, 1).toString('base64'), salt: Buffer.alloc(16, 2).toString('base64') }),
      credentialData: JSON.stringify({ hashIterations: iterations, algorithm: 'pbkdf2-sha512' }),
    });
    const realm = { realm: 'acme', users: [
      { username: 'ada', email: 'ada@example.com', emailVerified: true, credentials: [credential(210_000)] },
      { username: 'bo', email: 'bo@example', credentials: [credential(210_000)] },
      { username: 'cy', credentials: [credential(0)] },
    ] };
    writeFileSync(path, JSON.stringify(realm, null, 2));
    const { client } = countingClient();
    const table = await newTable(client);
    const rejectsPath = join(dir, 'keycloak-rejects.jsonl');
    const first = await runImport({ client, table, path, dialect: { kind: 'keycloak' }, rejectsPath });
    expect(first.rejections).toEqual([
      { line: 16, username: 'bo', reason: 'email is not a valid address' },
      { line: 27, username: 'cy', reason: 'hashIterations must be a whole number from 1 to 10000000' },
    ]);
    const lines = readFileSync(rejectsPath, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => [l.username, l.rejectedLine])).toEqual([['bo', 16], ['cy', 27]]);
    writeFileSync(rejectsPath, lines.map((l) => JSON.stringify(l.username === 'bo' ? { ...l, email: 'bo@example.com' } : { ...l, credentials: [credential(27_500)] })).join('\n'));
    const fixed = await runImport({ client, table, path: rejectsPath, dialect: { kind: 'keycloak' } });
    expect(fixed.counts).toMatchObject({ loaded: 2, rejected: 0 });
    expect(await tableSize(client, table)).toBe(3);
    client.destroy();
  });
});
