import type { AttributeValue, DynamoDb } from '../aws/services.js';
import { isConditionFailure } from './codeStore.js';

/**
 * Codes sent per destination in a rolling window, across users and sessions, so many user names
 * cannot pump one phone number and one user cannot bomb an inbox. One item per destination
 * (`pk = DEST#<keyed hash of the address>`), updated by optimistic concurrency on `version`:
 * a slot is taken by exactly one writer, and a slot for a message that was not sent is given back.
 */

export interface SendLimiter {
  /** Takes a send slot for the destination at `now`; false when the window is full. */
  reserve(destinationKey: string, now: number): Promise<boolean>;
  /** Gives back the slot taken at `takenAt` (the message could not be sent). */
  release(destinationKey: string, takenAt: number): Promise<void>;
}

export interface SendLimiterOptions {
  tableName: string;
  maxSends: number;
  windowMs: number;
}

/** Optimistic writes per reservation: rounds that race for one address each need a try per writer ahead of them. */
const MAX_TRIES = 8;
export const SEND_LIMIT_WINDOW_MS = 3_600_000;

export function createDynamoSendLimiter(client: DynamoDb, options: SendLimiterOptions): SendLimiter {
  const { tableName, maxSends, windowMs } = options;
  const key = (destinationKey: string) => ({ pk: { S: `DEST#${destinationKey}` } });

  async function read(destinationKey: string): Promise<{ sends: number[]; version: number | undefined }> {
    const result = await client.call('GetItem', { TableName: tableName, Key: key(destinationKey), ConsistentRead: true });
    const item = result.Item;
    if (item === undefined) return { sends: [], version: undefined };
    return { sends: (item.sends?.L ?? []).map((entry) => Number(entry.N)), version: Number(item.version?.N ?? '0') };
  }

  /** Replaces the item if nobody else changed it since `version`; false on a lost race. */
  async function write(destinationKey: string, sends: number[], version: number | undefined, now: number): Promise<boolean> {
    const item: Record<string, AttributeValue> = {
      ...key(destinationKey),
      sends: { L: sends.map((sentAt) => ({ N: String(sentAt) })) },
      version: { N: String((version ?? 0) + 1) },
      ttl: { N: String(Math.ceil((now + windowMs) / 1000) + 60) },
    };
    try {
      await client.call('PutItem', {
          TableName: tableName,
          Item: item,
          ...(version === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': { N: String(version) } } }),
        });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  return {
    async reserve(destinationKey, now) {
      for (let attempt = 0; attempt < MAX_TRIES; attempt += 1) {
        const { sends, version } = await read(destinationKey);
        const recent = sends.filter((sentAt) => sentAt > now - windowMs);
        if (recent.length >= maxSends) return false;
        if (await write(destinationKey, [...recent, now], version, now)) return true;
      }
      throw new Error('Could not reserve a send slot: the destination record kept changing under concurrent updates.');
    },

    async release(destinationKey, takenAt) {
      for (let attempt = 0; attempt < MAX_TRIES; attempt += 1) {
        const { sends, version } = await read(destinationKey);
        const index = sends.indexOf(takenAt);
        if (index === -1) return;
        if (await write(destinationKey, sends.filter((_, i) => i !== index), version, takenAt)) return;
      }
    },
  };
}

/** The limiter as the Create trigger uses it: the code table, a rolling hour. */
export function sendLimiterFor(client: DynamoDb, config: { tableName: string; maxSendsPerDestinationPerHour: number }): SendLimiter {
  return createDynamoSendLimiter(client, { tableName: config.tableName, maxSends: config.maxSendsPerDestinationPerHour, windowMs: SEND_LIMIT_WINDOW_MS });
}
