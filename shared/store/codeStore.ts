import type { Channel } from '../auth/config.js';
import type { AttributeValue, DynamoDb, DynamoDbOperations } from '../aws/services.js';

/**
 * Code state, one item per user (`pk = USER#<key>`), so every change is one atomic conditional
 * update. Answers are limited by a budget of guesses: a guess is taken from the budget (one
 * conditional update) before the answer is compared, so however many answers arrive at once, at
 * most `lockoutThreshold` are compared between one correct answer (or the end of a lock) and the
 * next lock. Issuing a code keeps the budget; a correct answer refills it; a lock refills it for
 * when the lock ends.
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
  /** Sent to the unverified sign-up address of a first passwordless sign-in: the attribute a right answer proves. */
  proves?: 'email' | 'phone_number';
}

export type StoredCode = IssuedCode & { used: boolean; withdrawn: boolean };

export interface UserCodeState {
  /** `withdrawn`: never delivered (the send failed or was refused), so it does not count as sent. */
  code: StoredCode | undefined;
  /** Guesses taken since the last correct answer or lock (the budget used). */
  failedAttempts: number;
  lockedUntil: number | undefined;
  /** Key of the last answer that took a guess. */
  lastAttempt?: string | undefined;
  /** When the last guess was taken. */
  lastGuessAt?: number | undefined;
  /** Key of the answer that used the code. */
  consumedBy?: string | undefined;
}

/**
 * `taken`: a guess was taken from the budget for an answer to the live, unused, unexpired code,
 * which may now be compared; `remaining` guesses are left. `refused`: nothing was taken and the
 * answer must not be compared with anything new (locked, budget spent, no such live code, or this
 * very answer took its guess already); `state` is read after the refusal, to tell which.
 */
export type GuessOutcome =
  | { taken: true; code: StoredCode; remaining: number }
  | { taken: false; state: UserCodeState | undefined };

export interface CodeStore {
  read(key: string): Promise<UserCodeState | undefined>;
  /** Stores a new code unless the user is locked or another code replaced `replacesCodeId` first. */
  issue(key: string, code: IssuedCode, replacesCodeId: string | undefined, now: number): Promise<'issued' | 'conflict'>;
  /** Takes one guess from the budget for an answer (`attemptKey`) to the live code `codeId`. */
  takeGuess(key: string, codeId: string, now: number, attemptKey: string): Promise<GuessOutcome>;
  /**
   * Marks a code used if it is still the live one and the user is not locked; true for exactly one
   * answer. The answer that used it (`attemptKey`, Cognito re-sending the same Verify) gets true again.
   */
  consume(key: string, codeId: string, codeHash: string, now: number, attemptKey: string): Promise<boolean>;
  /**
   * Locks the user once the budget is spent, unless already locked: answers during a lock never
   * extend it. Burns the live code and refills the budget for when the lock ends. With
   * `lastGuessBefore`, only if the last guess was taken before then (a lock that was never written).
   * Returns the end of the lock this call set, or undefined.
   */
  lock(key: string, now: number, lastGuessBefore?: number): Promise<number | undefined>;
  /** Withdraws a code that could not be delivered. */
  withdraw(key: string, codeId: string): Promise<void>;
}

export interface CodeStoreOptions {
  tableName: string;
  lockoutThreshold: number;
  lockoutSeconds: number;
  /** How long an idle record (and so its budget) is kept after its last change. */
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

function provesOf(value: string | undefined): { proves?: 'email' | 'phone_number' } {
  return value === 'email' || value === 'phone_number' ? { proves: value } : {};
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
          ...provesOf(readString(item, 'proves')),
          used: item.used?.BOOL ?? true,
          withdrawn: item.withdrawn?.BOOL ?? false,
        }
      : undefined;
  return {
    code,
    failedAttempts: readNumber(item, 'failedAttempts') ?? 0,
    lockedUntil: readNumber(item, 'lockedUntil'),
    lastAttempt: readString(item, 'lastAttempt'),
    lastGuessAt: readNumber(item, 'lastGuessAt'),
    consumedBy: readString(item, 'consumedBy'),
  };
}

/** A conditional write that lost: someone else changed the item first. */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Cognito may retry a Verify for up to its 5 seconds; a budget spent longer ago than this without a lock lost its lock write. */
export const LOST_LOCK_AFTER_MS = 10_000;

export function createDynamoCodeStore(client: DynamoDb, options: CodeStoreOptions): CodeStore {
  const { tableName, lockoutThreshold, lockoutSeconds } = options;
  const retentionSeconds = options.retentionSeconds ?? DEFAULT_RETENTION_SECONDS;
  const key = (userKey: string) => ({ pk: s(`USER#${userKey}`) });
  /** TTL in epoch seconds: `retentionSeconds` after the later of now and `until` (a code's expiry, a lock's end). */
  const expiry = (now: number, until: number) => n(Math.ceil(Math.max(now, until) / 1000) + retentionSeconds);
  const notLocked = '(attribute_not_exists(lockedUntil) OR lockedUntil <= :now)';

  type UpdateInput = Omit<DynamoDbOperations['UpdateItem']['input'], 'TableName'>;
  /** A conditional update; undefined when its condition failed. Every other error is thrown. */
  async function conditionalUpdate(input: UpdateInput) {
    try {
      return await client.call('UpdateItem', { TableName: tableName, ...input });
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async function read(userKey: string): Promise<UserCodeState | undefined> {
    const result = await client.call('GetItem', { TableName: tableName, Key: key(userKey), ConsistentRead: true });
    return result.Item === undefined ? undefined : toState(result.Item);
  }

  return {
    read,

    async issue(userKey, code, replacesCodeId, now) {
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
        ':proves': s(code.proves ?? ''),
        ':false': bool(false),
        ':now': n(now),
        ':ttl': expiry(now, code.expiresAt),
      };
      if (replacesCodeId !== undefined) values[':replaces'] = s(replacesCodeId);
      const result = await conditionalUpdate({
        Key: key(userKey),
        UpdateExpression:
          'SET codeId = :codeId, codeHash = :codeHash, channel = :channel, maskedDestination = :maskedDestination, ' +
          'codeLength = :codeLength, issuedAt = :issuedAt, expiresAt = :expiresAt, roundKey = :roundKey, proves = :proves, used = :false, withdrawn = :false, #ttl = :ttl',
        ConditionExpression: `${notLocked} AND ${replaceCondition}`,
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: values,
      });
      return result === undefined ? 'conflict' : 'issued';
    },

    async takeGuess(userKey, codeId, now, attemptKey) {
      const result = await conditionalUpdate({
        Key: key(userKey),
        UpdateExpression: 'SET failedAttempts = if_not_exists(failedAttempts, :zero) + :one, lastAttempt = :attempt, lastGuessAt = :now, #ttl = :ttl',
        ConditionExpression:
          `codeId = :codeId AND used = :false AND expiresAt > :now AND ${notLocked} AND ` +
          '(attribute_not_exists(failedAttempts) OR failedAttempts < :threshold) AND ' +
          '(attribute_not_exists(lastAttempt) OR lastAttempt <> :attempt)',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':codeId': s(codeId),
          ':false': bool(false),
          ':now': n(now),
          ':threshold': n(lockoutThreshold),
          ':attempt': s(attemptKey),
          ':zero': n(0),
          ':one': n(1),
          ':ttl': expiry(now, now),
        },
        ReturnValues: 'ALL_NEW',
      });
      const state = result?.Attributes === undefined ? undefined : toState(result.Attributes);
      if (state?.code === undefined) return { taken: false, state: await read(userKey) };
      return { taken: true, code: state.code, remaining: lockoutThreshold - state.failedAttempts };
    },

    async consume(userKey, codeId, codeHash, now, attemptKey) {
      const result = await conditionalUpdate({
        Key: key(userKey),
        UpdateExpression: 'SET used = :true, failedAttempts = :zero, consumedBy = :attempt',
        ConditionExpression:
          `codeId = :codeId AND codeHash = :codeHash AND expiresAt > :now AND ${notLocked} AND ` + '(used = :false OR consumedBy = :attempt)',
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

    async lock(userKey, now, lastGuessBefore) {
      const lockedUntil = now + lockoutSeconds * 1000;
      const values: Record<string, AttributeValue> = {
        ':threshold': n(lockoutThreshold),
        ':zero': n(0),
        ':until': n(lockedUntil),
        ':now': n(now),
        ':true': bool(true),
        ':ttl': expiry(now, lockedUntil),
      };
      if (lastGuessBefore !== undefined) values[':before'] = n(lastGuessBefore);
      const result = await conditionalUpdate({
        Key: key(userKey),
        UpdateExpression: 'SET lockedUntil = :until, failedAttempts = :zero, used = :true, #ttl = :ttl',
        ConditionExpression: `failedAttempts >= :threshold AND ${notLocked}${lastGuessBefore === undefined ? '' : ' AND lastGuessAt < :before'}`,
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: values,
      });
      return result === undefined ? undefined : lockedUntil;
    },

    async withdraw(userKey, codeId) {
      await conditionalUpdate({
        Key: key(userKey),
        UpdateExpression: 'SET used = :true, withdrawn = :true',
        ConditionExpression: 'codeId = :codeId',
        ExpressionAttributeValues: { ':codeId': s(codeId), ':true': bool(true) },
      });
    },
  };
}
