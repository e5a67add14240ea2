import type { Channel } from '../auth/config.js';
import type { DynamoDb } from '../aws/services.js';

/**
 * The pending first sign-in of an account passwordless sign-up created: one item per user name in the
 * code table (`pk = SIGNUP#<userName>`), written by preSignUp, read by Create, closed by Verify. Only these
 * functions can write the table, so a user cannot create or extend one (unlike a user-writable attribute).
 * It names the sign-up address by a keyed hash, so a code never follows a changed address.
 */

export interface PendingSignUp {
  channel: Channel;
  addressHash: string;
  createdAt: number;
}

export interface PendingSignUpStore {
  record(userName: string, pending: PendingSignUp, expiresAt: number): Promise<void>;
  /** The open record; undefined once it is closed or past its expiry. */
  read(userName: string, now: number): Promise<PendingSignUp | undefined>;
  /** The address is proven: the record is closed for good (and left for TTL to delete). */
  close(userName: string, now: number): Promise<void>;
}

const key = (userName: string) => ({ pk: { S: `SIGNUP#${userName}` } });

export function createDynamoPendingSignUpStore(client: DynamoDb, tableName: string): PendingSignUpStore {
  return {
    async record(userName, pending, expiresAt) {
      await client.call('PutItem', {
          TableName: tableName,
          Item: {
            ...key(userName),
            channel: { S: pending.channel },
            addressHash: { S: pending.addressHash },
            createdAt: { N: String(pending.createdAt) },
            expiresAt: { N: String(expiresAt) },
            ttl: { N: String(Math.ceil(expiresAt / 1000)) },
          },
        });
    },
    async read(userName, now) {
      const { Item: item } = await client.call('GetItem', { TableName: tableName, Key: key(userName), ConsistentRead: true });
      if (item === undefined || item.closedAt !== undefined) return undefined;
      const channel = item.channel?.S;
      const addressHash = item.addressHash?.S;
      const expiresAt = Number(item.expiresAt?.N ?? 0);
      if ((channel !== 'EMAIL' && channel !== 'SMS') || addressHash === undefined || expiresAt <= now) return undefined;
      return { channel, addressHash, createdAt: Number(item.createdAt?.N ?? 0) };
    },
    async close(userName, now) {
      await client.call('UpdateItem', {
          TableName: tableName,
          Key: key(userName),
          UpdateExpression: 'SET closedAt = :now',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':now': { N: String(now) } },
        }).catch((error: unknown) => {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      });
    },
  };
}
