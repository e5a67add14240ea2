import { type AttributeValue, BatchGetItemCommand, BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';

/**
 * Writes directory items 25 at a time without ever overwriting one that is there: BatchWriteItem
 * has no conditions, so each batch first asks (BatchGetItem, consistent read) which user names are
 * present and writes only the others. Measured on dynalite, that is ~4× faster than a conditional
 * PutItem per user (README, `npm run bench`). Items DynamoDB leaves unprocessed are retried with
 * exponential backoff and full jitter.
 */

export const BATCH_SIZE = 25;

export interface BatchOutcome {
  /** User names written by this batch. */
  written: string[];
  /** User names already in the table, left as they are. */
  present: string[];
}

export interface WriterStats {
  /** Requests DynamoDB answered with unprocessed items or keys (it was throttling), and SDK retries. */
  throttled: number;
}

export interface WriterOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Tries for one request's unprocessed part before the import stops (default 10). */
  maxAttempts?: number;
  /** First backoff ceiling in ms, doubled per try (default 50; capped at 5 s). */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export class UnprocessedError extends Error {
  override name = 'UnprocessedError';
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createDirectoryWriter(options: WriterOptions) {
  const { client, tableName, maxAttempts = 10, baseDelayMs = 50, sleep = wait, random = Math.random } = options;
  const stats: WriterStats = { throttled: 0 };

  const backoff = (attempt: number) => sleep(Math.floor(random() * Math.min(5_000, baseDelayMs * 2 ** attempt)));
  const countSdkRetries = (metadata: { attempts?: number } | undefined) => {
    stats.throttled += Math.max(0, (metadata?.attempts ?? 1) - 1);
  };

  async function presentNames(names: readonly string[]): Promise<Set<string>> {
    const present = new Set<string>();
    let keys: Record<string, AttributeValue>[] = names.map((username) => ({ username: { S: username } }));
    for (let attempt = 0; keys.length > 0; attempt += 1) {
      if (attempt === maxAttempts) throw new UnprocessedError(`DynamoDB left ${keys.length} reads unprocessed after ${attempt} tries`);
      if (attempt > 0) {
        stats.throttled += 1;
        await backoff(attempt);
      }
      const result = await client.send(
        new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true, ProjectionExpression: 'username' } } }),
      );
      countSdkRetries(result.$metadata);
      for (const item of result.Responses?.[tableName] ?? []) if (item.username?.S !== undefined) present.add(item.username.S);
      keys = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
    return present;
  }

  async function writeAll(items: readonly Record<string, AttributeValue>[]): Promise<void> {
    let requests: WriteRequest[] = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt += 1) {
      if (attempt === maxAttempts) throw new UnprocessedError(`DynamoDB left ${requests.length} writes unprocessed after ${attempt} tries`);
      if (attempt > 0) {
        stats.throttled += 1;
        await backoff(attempt);
      }
      const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
      countSdkRetries(result.$metadata);
      requests = result.UnprocessedItems?.[tableName] ?? [];
    }
  }

  /** Writes up to 25 items (keyed by `username`) that are not in the table yet. */
  async function writeBatch(items: readonly Record<string, AttributeValue>[]): Promise<BatchOutcome> {
    const names = items.map((item) => item.username?.S as string);
    const present = await presentNames(names);
    const absent = items.filter((item) => !present.has(item.username?.S as string));
    await writeAll(absent);
    return { written: names.filter((name) => !present.has(name)), present: names.filter((name) => present.has(name)) };
  }

  return { writeBatch, stats };
}

export type DirectoryWriter = ReturnType<typeof createDirectoryWriter>;
