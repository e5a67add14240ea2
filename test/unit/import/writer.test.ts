import { BatchGetItemCommand, BatchWriteItemCommand, DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createDirectoryWriter } from '../../../local/import/writer.js';

const ddb = mockClient(DynamoDBClient);
afterEach(() => ddb.reset());

const item = (username: string) => ({ username: { S: username }, passwordHash: { S: '$2b$10$x' } });
const TABLE = 'legacy';

function writer(sleeps: number[] = [], random = () => 0.5) {
  return createDirectoryWriter({
    client: new DynamoDBClient({}),
    tableName: TABLE,
    maxAttempts: 4,
    baseDelayMs: 100,
    sleep: async (ms) => void sleeps.push(ms),
    random,
  });
}

describe('the directory writer', () => {
  it('writes only the users not already in the table, and says which were there', async () => {
    ddb.on(BatchGetItemCommand).resolves({ Responses: { [TABLE]: [{ username: { S: 'b' } }] } });
    ddb.on(BatchWriteItemCommand).resolves({});
    const outcome = await writer().writeBatch(['a', 'b', 'c'].map(item));
    expect(outcome).toEqual({ written: ['a', 'c'], present: ['b'] });
    const written = ddb.commandCalls(BatchWriteItemCommand)[0]?.args[0].input.RequestItems?.[TABLE] as WriteRequest[];
    expect(written.map((r) => r.PutRequest?.Item?.username?.S)).toEqual(['a', 'c']);
    expect(ddb.commandCalls(BatchGetItemCommand)[0]?.args[0].input.RequestItems?.[TABLE]).toMatchObject({ ConsistentRead: true });
  });

  it('retries what DynamoDB leaves unprocessed with growing, jittered waits, and counts it as throttling', async () => {
    ddb.on(BatchGetItemCommand).resolves({});
    ddb
      .on(BatchWriteItemCommand)
      .resolvesOnce({ UnprocessedItems: { [TABLE]: [{ PutRequest: { Item: item('b') } }, { PutRequest: { Item: item('c') } }] } })
      .resolvesOnce({ UnprocessedItems: { [TABLE]: [{ PutRequest: { Item: item('c') } }] } })
      .resolves({});
    const sleeps: number[] = [];
    const w = writer(sleeps);
    await w.writeBatch(['a', 'b', 'c'].map(item));
    const retried = ddb.commandCalls(BatchWriteItemCommand).map((call) => (call.args[0].input.RequestItems?.[TABLE] ?? []).length);
    expect(retried).toEqual([3, 2, 1]);
    // Full jitter: a random share (here one half) of a ceiling that doubles each try.
    expect(sleeps).toEqual([100, 200]);
    expect(w.stats.throttled).toBe(2);
  });

  it('retries unprocessed keys of the presence check too', async () => {
    ddb
      .on(BatchGetItemCommand)
      .resolvesOnce({ UnprocessedKeys: { [TABLE]: { Keys: [{ username: { S: 'b' } }] } } })
      .resolves({ Responses: { [TABLE]: [{ username: { S: 'b' } }] } });
    ddb.on(BatchWriteItemCommand).resolves({});
    expect(await writer().writeBatch(['a', 'b'].map(item))).toEqual({ written: ['a'], present: ['b'] });
  });

  it('gives up after its tries with an error naming how many writes are left, so the import stops and can resume', async () => {
    ddb.on(BatchGetItemCommand).resolves({});
    ddb.on(BatchWriteItemCommand).resolves({ UnprocessedItems: { [TABLE]: [{ PutRequest: { Item: item('a') } }] } });
    await expect(writer().writeBatch([item('a')])).rejects.toThrow('DynamoDB left 1 writes unprocessed after 4 tries');
  });

  it('keeps every wait under five seconds however many tries', async () => {
    ddb.on(BatchGetItemCommand).resolves({});
    ddb.on(BatchWriteItemCommand).resolves({ UnprocessedItems: { [TABLE]: [{ PutRequest: { Item: item('a') } }] } });
    const sleeps: number[] = [];
    const w = createDirectoryWriter({ client: new DynamoDBClient({}), tableName: TABLE, maxAttempts: 12, sleep: async (ms) => void sleeps.push(ms), random: () => 0.999 });
    await expect(w.writeBatch([item('a')])).rejects.toThrow();
    expect(Math.max(...sleeps)).toBeLessThan(5_000);
  });
});
