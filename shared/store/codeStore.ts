import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { Channel } from '../auth/config.js';
import { sendOptions } from '../aws/deadline.js';

/**
 * Code state, one item per user name (`pk = USER#<userName>`), so every change is one atomic
 * conditional update: issuing a code keeps the failure count, a code is consumed at most once,
 * and a failure either counts or locks the user, never both.
 */

export interface IssuedCode {
  codeId: string;
  codeHash: string;
  channel: Channel;
  /** Masked destination, repeated in the challenge when the same code is offered again. */
  maskedDestination: string;
  codeLength: number;
  issuedAt: number;
  expiresAt: number;
  /** Identifies the Cognito round that issued the code, to recognise Cognito's retries. */
  roundKey: string;
}

export interface UserCodeState {
  /** `withdrawn`: never delivered (the send failed or was refused), so it does not count as sent. */
  code: (IssuedCode & { used: boolean; withdrawn: boolean }) | undefined;
  failedAttempts: number;
  lockedUntil: number | undefined;
  /** Key of the last wrong answer counted. */
  lastAttempt?: string | undefined;
}

export type FailureOutcome = { locked: false; failedAttempts: number } | { locked: true; lockedUntil: number };

export interface CodeStore {
  read(userName: string): Promise<UserCodeState | undefined>;
  /** Stores a new code unless the user is locked or another code replaced `replacesCodeId` first. */
  issue(userName: string, code: IssuedCode, replacesCodeId: string | undefined, now: number): Promise<'issued' | 'conflict'>;
  /**
   * Marks a code used if it is still the live one; true for exactly one answer. `attemptKey` names
   * the answer, so Cognito re-sending the same Verify gets true again instead of "already used".
   */
  consume(userName: string, codeId: string, codeHash: string, now: number, attemptKey: string): Promise<boolean>;
  /** Withdraws a code that could not be delivered. */
  withdraw(userName: string, codeId: string): Promise<void>;
  /** Counts a wrong answer once: the same `attemptKey` again (a retried Verify) is not counted twice. */
  recordFailure(userName: string, now: number, attemptKey: string): Promise<FailureOutcome>;
}

export interface CodeStoreOptions {
  tableName: string;
  lockoutThreshold: number;
  lockoutSeconds: number;
  /** How long an idle record (and so its failure count) is kept after its last change. */
  retentionSeconds?: number;
}

const DEFAULT_RETENTION_SECONDS = 86_400;

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });
const bool = (value: boolean): AttributeValue => ({ BOOL: value });

function readString(item: Record<string, AttributeValue>, name: string): string | undefined {
  return item[name]?.S;
}
function readNumber(item: Record<string, AttributeValue>, name: string): number | undefined {
  const raw = item[name]?.N;
  return raw === undefined ? undefined : Number(raw);
}

function isChannel(value: string | undefined): value is Channel {
  return value === 'EMAIL' || value === 'SMS';
}

export function toState(item: Record<string, AttributeValue>): UserCodeState {
  const codeId = readString(item, 'codeId');
  const codeHash = readString(item, 'codeHash');
  const channel = readString(item, 'channel');
  const issuedAt = readNumber(item, 'issuedAt');
  const expiresAt = readNumber(item, 'expiresAt');
  const code =
    codeId !== undefined && codeHash !== undefined && isChannel(channel) && issuedAt !== undefined && expiresAt !== undefined
      ? {
          codeId,
          codeHash,
          channel,
          maskedDestination: readString(item, 'maskedDestination') ?? '',
          codeLength: readNumber(item, 'codeLength') ?? 6,
          issuedAt,
          expiresAt,
          roundKey: readString(item, 'roundKey') ?? '',
          used: item.used?.BOOL ?? true,
          withdrawn: item.withdrawn?.BOOL ?? false,
        }
      : undefined;
  return {
    code,
    failedAttempts: readNumber(item, 'failedAttempts') ?? 0,
    lockedUntil: readNumber(item, 'lockedUntil'),
    lastAttempt: readString(item, 'lastAttempt'),
  };
}

/** A conditional write that lost: someone else changed the item first. */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error instanceof Error && error.name === 'ConditionalCheckFailedException');
}

export function createDynamoCodeStore(client: DynamoDBClient, options: CodeStoreOptions): CodeStore {
  const { tableName, lockoutThreshold, lockoutSeconds } = options;
  const retentionSeconds = options.retentionSeconds ?? DEFAULT_RETENTION_SECONDS;
  const key = (userName: string) => ({ pk: s(`USER#${userName}`) });
  const expiry = (now: number, until: number) => n(Math.ceil(Math.max(now, until) / 1000) + retentionSeconds);

  async function conditionalUpdate(input: Omit<ConstructorParameters<typeof UpdateItemCommand>[0], 'TableName'>) {
    try {
      return await client.send(new UpdateItemCommand({ TableName: tableName, ...input }), sendOptions());
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async function read(userName: string): Promise<UserCodeState | undefined> {
    const result = await client.send(new GetItemCommand({ TableName: tableName, Key: key(userName), ConsistentRead: true }), sendOptions());
    return result.Item === undefined ? undefined : toState(result.Item);
  }

  return {
    read,

    async issue(userName, code, replacesCodeId, now) {
      const replaceCondition = replacesCodeId === undefined ? 'attribute_not_exists(codeId)' : 'codeId = :replaces';
      const values: Record<string, AttributeValue> = {
        ':codeId': s(code.codeId),
        ':codeHash': s(code.codeHash),
        ':channel': s(code.channel),
        ':maskedDestination': s(code.maskedDestination),
        ':codeLength': n(code.codeLength),
        ':issuedAt': n(code.issuedAt),
        ':expiresAt': n(code.expiresAt),
        ':roundKey': s(code.roundKey),
        ':false': bool(false),
        ':now': n(now),
        ':ttl': expiry(now, code.expiresAt),
      };
      if (replacesCodeId !== undefined) values[':replaces'] = s(replacesCodeId);
      const result = await conditionalUpdate({
        Key: key(userName),
        UpdateExpression:
          'SET codeId = :codeId, codeHash = :codeHash, channel = :channel, maskedDestination = :maskedDestination, ' +
          'codeLength = :codeLength, issuedAt = :issuedAt, expiresAt = :expiresAt, roundKey = :roundKey, used = :false, withdrawn = :false, #ttl = :ttl',
        ConditionExpression: `(attribute_not_exists(lockedUntil) OR lockedUntil <= :now) AND ${replaceCondition}`,
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: values,
      });
      return result === undefined ? 'conflict' : 'issued';
    },

    async consume(userName, codeId, codeHash, now, attemptKey) {
      const result = await conditionalUpdate({
        Key: key(userName),
        UpdateExpression: 'SET used = :true, failedAttempts = :zero, consumedBy = :attempt',
        ConditionExpression:
          'codeId = :codeId AND codeHash = :codeHash AND expiresAt > :now AND ' +
          '(attribute_not_exists(lockedUntil) OR lockedUntil <= :now) AND (used = :false OR consumedBy = :attempt)',
        ExpressionAttributeValues: {
          ':codeId': s(codeId),
          ':codeHash': s(codeHash),
          ':attempt': s(attemptKey),
          ':true': bool(true),
          ':false': bool(false),
          ':zero': n(0),
          ':now': n(now),
        },
      });
      return result !== undefined;
    },

    async withdraw(userName, codeId) {
      await conditionalUpdate({
        Key: key(userName),
        UpdateExpression: 'SET used = :true, withdrawn = :true',
        ConditionExpression: 'codeId = :codeId',
        ExpressionAttributeValues: { ':codeId': s(codeId), ':true': bool(true) },
      });
    },

    async recordFailure(userName, now, attemptKey) {
      // Two exclusive transitions: count the failure, or (when it is the threshold-th) lock and reset the count.
      // Both skip an answer already counted. A race between them is settled by the conditions; retry if both
      // lose to concurrent writers, unless it was this very answer that got in first.
      const notCounted = '(attribute_not_exists(lastAttempt) OR lastAttempt <> :attempt)';
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const counted = lockoutThreshold <= 1 ? undefined : await conditionalUpdate({
          Key: key(userName),
          UpdateExpression:
            'SET failedAttempts = if_not_exists(failedAttempts, :zero) + :one, lastFailedAt = :now, lastAttempt = :attempt, #ttl = :ttl',
          ConditionExpression: `${notCounted} AND (attribute_not_exists(failedAttempts) OR failedAttempts < :lastAllowed)`,
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':zero': n(0),
            ':one': n(1),
            ':now': n(now),
            ':attempt': s(attemptKey),
            ':lastAllowed': n(lockoutThreshold - 1),
            ':ttl': expiry(now, now),
          },
          ReturnValues: 'UPDATED_NEW',
        });
        if (counted !== undefined) {
          return { locked: false, failedAttempts: Number(counted.Attributes?.failedAttempts?.N ?? '0') };
        }
        const lockedUntil = now + lockoutSeconds * 1000;
        const locked = await conditionalUpdate({
          Key: key(userName),
          UpdateExpression:
            'SET failedAttempts = :zero, lockedUntil = :until, lastFailedAt = :now, lastAttempt = :attempt, used = :true, #ttl = :ttl',
          ConditionExpression: `${notCounted} AND (attribute_not_exists(failedAttempts) OR failedAttempts >= :lastAllowed)`,
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':attempt': s(attemptKey),
            ':zero': n(0),
            ':until': n(lockedUntil),
            ':now': n(now),
            ':true': bool(true),
            ':lastAllowed': n(lockoutThreshold - 1),
            ':ttl': expiry(now, lockedUntil),
          },
        });
        if (locked !== undefined) return { locked: true, lockedUntil };
        const current = await read(userName);
        if (current?.lastAttempt === attemptKey) {
          return current.lockedUntil !== undefined && current.lockedUntil > now
            ? { locked: true, lockedUntil: current.lockedUntil }
            : { locked: false, failedAttempts: current.failedAttempts };
        }
      }
      throw new Error('Could not record a failed answer: the code state kept changing under concurrent updates.');
    },
  };
}
