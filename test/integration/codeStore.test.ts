import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { AwsServiceError } from '../../shared/aws/client.js';
import type { AttributeValue } from '../../shared/aws/services.js';
import { type CodeStore, createDynamoCodeStore, type IssuedCode, isConditionFailure, type StoredCode } from '../../shared/store/codeStore.js';
import { memoryCodeStore } from '../property/support.js';
import { testDynamo } from '../support/dynamo.js';
import { useLocalSuite } from '../support/suite.js';

/**
 * The code store's contract, condition by condition, against the real store on dynalite and against
 * the in-memory copy the property tests use (so the two cannot drift apart). Each test starts from
 * an item written directly, so each condition is tested on its own, with everything else allowed.
 */

const suite = useLocalSuite();
const THRESHOLD = 3;
const LOCKOUT_SECONDS = 600;
const RETENTION_SECONDS = 86_400;
/** Not a whole second, so the TTL's rounding up shows. */
const NOW = Date.UTC(2026, 10, 26, 12, 0, 0) + 250;

const CODE: StoredCode = {
  codeId: 'code-1',
  codeHash: 'hash-1',
  channel: 'EMAIL',
  maskedDestination: 'j***@e***.com',
  codeLength: 6,
  issuedAt: NOW - 10_000,
  expiresAt: NOW + 290_000,
  roundKey: 'round-1',
  used: false,
  withdrawn: false,
};

interface Seed {
  code?: Partial<StoredCode> | null;
  failedAttempts?: number;
  lockedUntil?: number;
  lastAttempt?: string;
  lastGuessAt?: number;
  consumedBy?: string;
}

interface Backend {
  store: CodeStore;
  seed(key: string, seed: Seed): Promise<void>;
}

let counter = 0;
const freshKey = () => `store-${(counter += 1)}-${Date.now()}`;

function dynamoBackend(): Backend & { requests: ReturnType<typeof testDynamo>['requests']; client: ReturnType<typeof testDynamo>['client'] } {
  const { client, requests } = testDynamo(suite.aws.dynamo.endpoint);
  const store = createDynamoCodeStore(client, { tableName: 'otp-test', lockoutThreshold: THRESHOLD, lockoutSeconds: LOCKOUT_SECONDS });
  return {
    store,
    requests,
    client,
    async seed(key, seed) {
      const item: Record<string, AttributeValue> = { pk: { S: `USER#${key}` } };
      if (seed.code !== null) {
        const code = { ...CODE, ...seed.code };
        Object.assign(item, {
          codeId: { S: code.codeId },
          codeHash: { S: code.codeHash },
          channel: { S: code.channel },
          maskedDestination: { S: code.maskedDestination },
          codeLength: { N: String(code.codeLength) },
          issuedAt: { N: String(code.issuedAt) },
          expiresAt: { N: String(code.expiresAt) },
          roundKey: { S: code.roundKey },
          used: { BOOL: code.used },
          withdrawn: { BOOL: code.withdrawn },
        });
      }
      if (seed.failedAttempts !== undefined) item.failedAttempts = { N: String(seed.failedAttempts) };
      if (seed.lockedUntil !== undefined) item.lockedUntil = { N: String(seed.lockedUntil) };
      if (seed.lastAttempt !== undefined) item.lastAttempt = { S: seed.lastAttempt };
      if (seed.lastGuessAt !== undefined) item.lastGuessAt = { N: String(seed.lastGuessAt) };
      if (seed.consumedBy !== undefined) item.consumedBy = { S: seed.consumedBy };
      await client.call('PutItem', { TableName: 'otp-test', Item: item });
    },
  };
}

function memoryBackend(): Backend {
  const store = memoryCodeStore({ lockoutThreshold: THRESHOLD, lockoutSeconds: LOCKOUT_SECONDS });
  return {
    store,
    async seed(key, seed) {
      const { code, ...rest } = seed;
      store.items.set(key, { ...(code === null ? {} : { code: { ...CODE, ...code } }), ...rest });
    },
  };
}

const BACKENDS: [string, () => Backend][] = [
  ['DynamoDB (dynalite)', dynamoBackend],
  ['in memory (property tests)', memoryBackend],
];

const newCode = (codeId: string): IssuedCode => ({ ...CODE, codeId, codeHash: `hash-of-${codeId}`, issuedAt: NOW, expiresAt: NOW + 300_000 });

describe.each(BACKENDS)('code store contract: %s', (_name, makeBackend) => {
  async function given(seed: Seed) {
    const backend = makeBackend();
    const key = freshKey();
    await backend.seed(key, seed);
    return { ...backend, key, state: () => backend.store.read(key) };
  }

  describe('issue', () => {
    it('stores a first code only when there is none', async () => {
      const { store, key, state } = await given({ code: null });
      expect(await store.issue(key, newCode('a'), undefined, NOW)).toBe('issued');
      expect((await state())?.code).toMatchObject({ codeId: 'a', used: false, withdrawn: false });
      expect(await store.issue(key, newCode('b'), undefined, NOW)).toBe('conflict');
      expect((await state())?.code?.codeId).toBe('a');
    });

    it('replaces the code it read, and reports a conflict (changing nothing) when another code replaced it first', async () => {
      const { store, key, state } = await given({ code: {} });
      expect(await store.issue(key, newCode('stale'), 'not-the-live-one', NOW)).toBe('conflict');
      expect((await state())?.code?.codeId).toBe('code-1');
      expect(await store.issue(key, newCode('next'), 'code-1', NOW)).toBe('issued');
      expect((await state())?.code?.codeId).toBe('next');
    });

    it('of two Creates replacing the same code at once, exactly one stores its code', async () => {
      const { store, key, state } = await given({ code: {} });
      const results = await Promise.all(['x', 'y', 'z'].map((id) => store.issue(key, newCode(id), 'code-1', NOW)));
      expect(results.filter((result) => result === 'issued')).toHaveLength(1);
      const winner = ['x', 'y', 'z'][results.indexOf('issued')];
      expect((await state())?.code?.codeId).toBe(winner);
    });

    it('refuses while locked, and not once the lock has ended', async () => {
      const locked = await given({ code: {}, lockedUntil: NOW + 1 });
      expect(await locked.store.issue(locked.key, newCode('n'), 'code-1', NOW)).toBe('conflict');
      const ended = await given({ code: {}, lockedUntil: NOW });
      expect(await ended.store.issue(ended.key, newCode('n'), 'code-1', NOW)).toBe('issued');
    });

    it('keeps the budget used: a new code does not refill it', async () => {
      const { store, key, state } = await given({ code: {}, failedAttempts: 2 });
      await store.issue(key, newCode('n'), 'code-1', NOW);
      expect((await state())?.failedAttempts).toBe(2);
    });
  });

  describe('takeGuess', () => {
    it('takes one guess for the live code and returns it with the guesses left', async () => {
      const { store, key, state } = await given({ code: {}, failedAttempts: 1 });
      const outcome = await store.takeGuess(key, 'code-1', NOW, 'answer-1');
      expect(outcome).toEqual({ taken: true, code: expect.objectContaining({ codeId: 'code-1', codeHash: 'hash-1' }), remaining: THRESHOLD - 2 });
      expect(await state()).toMatchObject({ failedAttempts: 2, lastAttempt: 'answer-1', lastGuessAt: NOW });
    });

    it('takes the last guess of the budget (remaining 0), then none', async () => {
      const { store, key } = await given({ code: {}, failedAttempts: THRESHOLD - 1 });
      expect(await store.takeGuess(key, 'code-1', NOW, 'last')).toMatchObject({ taken: true, remaining: 0 });
      expect(await store.takeGuess(key, 'code-1', NOW, 'one-too-many')).toMatchObject({ taken: false });
    });

    it('takes a guess until the code’s last millisecond and after a lock has ended', async () => {
      const { store, key } = await given({ code: { expiresAt: NOW + 1 }, lockedUntil: NOW });
      expect((await store.takeGuess(key, 'code-1', NOW, 'a')).taken).toBe(true);
    });

    it.each<[string, Seed, string?]>([
      ['another code is live', { code: {} }, 'code-2'],
      ['the code is used', { code: { used: true } }],
      ['the code has expired (expiresAt = now)', { code: { expiresAt: NOW } }],
      ['the user is locked (until now + 1 ms)', { code: {}, lockedUntil: NOW + 1 }],
      ['the budget is spent', { code: {}, failedAttempts: THRESHOLD }],
      ['this very answer took its guess already', { code: {}, failedAttempts: 1, lastAttempt: 'answer-1' }],
      ['there is no code', { code: null }],
    ])('refuses, changing nothing, when %s', async (_what, seed, codeId = 'code-1') => {
      const { store, key, state } = await given(seed);
      const before = await state();
      const outcome = await store.takeGuess(key, codeId, NOW, 'answer-1');
      expect(outcome).toEqual({ taken: false, state: before });
      expect(await state()).toEqual(before);
    });

    it('refuses when there is no item at all', async () => {
      const backend = makeBackend();
      expect(await backend.store.takeGuess(freshKey(), 'code-1', NOW, 'a')).toEqual({ taken: false, state: undefined });
    });

    it('of 20 guesses at once with 3 left, exactly 3 are taken', async () => {
      const { store, key, state } = await given({ code: {} });
      const outcomes = await Promise.all(Array.from({ length: 20 }, (_, index) => store.takeGuess(key, 'code-1', NOW, `a${index}`)));
      expect(outcomes.filter((outcome) => outcome.taken)).toHaveLength(THRESHOLD);
      expect((await state())?.failedAttempts).toBe(THRESHOLD);
    });
  });

  describe('consume', () => {
    it('uses the live code once and refills the budget', async () => {
      const { store, key, state } = await given({ code: {}, failedAttempts: 2 });
      expect(await store.consume(key, 'code-1', 'hash-1', NOW, 'right')).toBe(true);
      expect(await state()).toMatchObject({ code: { used: true }, failedAttempts: 0, consumedBy: 'right' });
      expect(await store.consume(key, 'code-1', 'hash-1', NOW, 'another-right')).toBe(false);
      // Cognito re-sending the Verify that used it gets true again.
      expect(await store.consume(key, 'code-1', 'hash-1', NOW, 'right')).toBe(true);
    });

    it('works until the code’s last millisecond and after a lock has ended', async () => {
      const { store, key } = await given({ code: { expiresAt: NOW + 1 }, lockedUntil: NOW });
      expect(await store.consume(key, 'code-1', 'hash-1', NOW, 'right')).toBe(true);
    });

    it.each<[string, Seed, string, string]>([
      ['another code is live', { code: {} }, 'code-2', 'hash-1'],
      ['the hash is not the live code’s', { code: {} }, 'code-1', 'hash-2'],
      ['the code has expired', { code: { expiresAt: NOW } }, 'code-1', 'hash-1'],
      ['the user is locked, even with the code unused', { code: {}, lockedUntil: NOW + 1 }, 'code-1', 'hash-1'],
      ['another answer used it', { code: { used: true }, consumedBy: 'other' }, 'code-1', 'hash-1'],
    ])('refuses, changing nothing, when %s', async (_what, seed, codeId, codeHash) => {
      const { store, key, state } = await given({ ...seed, failedAttempts: 1 });
      const before = await state();
      expect(await store.consume(key, codeId, codeHash, NOW, 'right')).toBe(false);
      expect(await state()).toEqual(before);
    });
  });

  describe('lock', () => {
    it('locks a user whose budget is spent for OTP_LOCKOUT_SECONDS, burns the live code and refills the budget', async () => {
      const { store, key, state } = await given({ code: {}, failedAttempts: THRESHOLD });
      expect(await store.lock(key, NOW)).toBe(NOW + LOCKOUT_SECONDS * 1000);
      expect(await state()).toMatchObject({ lockedUntil: NOW + 600_000, failedAttempts: 0, code: { used: true } });
    });

    it('does not lock while guesses are left', async () => {
      const { store, key, state } = await given({ code: {}, failedAttempts: THRESHOLD - 1 });
      expect(await store.lock(key, NOW)).toBeUndefined();
      expect((await state())?.lockedUntil).toBeUndefined();
    });

    it('never extends a lock that has not ended', async () => {
      const { store, key, state } = await given({ code: {}, failedAttempts: THRESHOLD, lockedUntil: NOW + 1 });
      expect(await store.lock(key, NOW)).toBeUndefined();
      expect((await state())?.lockedUntil).toBe(NOW + 1);
    });

    it('locks again once the last lock has ended', async () => {
      const { store, key } = await given({ code: {}, failedAttempts: THRESHOLD, lockedUntil: NOW });
      expect(await store.lock(key, NOW)).toBe(NOW + 600_000);
    });

    it('with lastGuessBefore, only when the last guess was taken before it', async () => {
      const recent = await given({ code: {}, failedAttempts: THRESHOLD, lastGuessAt: NOW - 10_000 });
      expect(await recent.store.lock(recent.key, NOW, NOW - 10_000)).toBeUndefined();
      const old = await given({ code: {}, failedAttempts: THRESHOLD, lastGuessAt: NOW - 10_001 });
      expect(await old.store.lock(old.key, NOW, NOW - 10_000)).toBe(NOW + 600_000);
    });
  });

  describe('withdraw', () => {
    it('marks the live code used and withdrawn, and leaves another code alone', async () => {
      const { store, key, state } = await given({ code: {} });
      await store.withdraw(key, 'code-2');
      expect((await state())?.code).toMatchObject({ used: false, withdrawn: false });
      await store.withdraw(key, 'code-1');
      expect((await state())?.code).toMatchObject({ used: true, withdrawn: true });
    });
  });
});

describe('the DynamoDB store itself', () => {
  const ttlOf = async (client: ReturnType<typeof testDynamo>['client'], key: string) =>
    Number((await client.call('GetItem', { TableName: 'otp-test', Key: { pk: { S: `USER#${key}` } }, ConsistentRead: true })).Item?.ttl?.N);

  it('sets ttl to one retention period after the code expires, the guess is taken, or the lock ends (epoch seconds, rounded up)', async () => {
    const backend = dynamoBackend();
    const key = freshKey();
    await backend.store.issue(key, newCode('a'), undefined, NOW);
    expect(await ttlOf(backend.client, key)).toBe(Math.ceil((NOW + 300_000) / 1000) + RETENTION_SECONDS);
    for (let index = 0; index < THRESHOLD; index += 1) await backend.store.takeGuess(key, 'a', NOW, `g${index}`);
    expect(await ttlOf(backend.client, key)).toBe(Math.ceil(NOW / 1000) + RETENTION_SECONDS);
    await backend.store.lock(key, NOW);
    expect(await ttlOf(backend.client, key)).toBe(Math.ceil((NOW + 600_000) / 1000) + RETENTION_SECONDS);
  });

  it('reads with ConsistentRead, so a read after a write sees it', async () => {
    const backend = dynamoBackend();
    await backend.store.read(freshKey());
    await backend.store.takeGuess(freshKey(), 'none', NOW, 'a'); // refused: reads the state to say why
    const reads = backend.requests.filter((request) => request.command === 'GetItem');
    expect(reads).toHaveLength(2);
    for (const read of reads) expect(read.input.ConsistentRead).toBe(true);
  });

  it.each(['ThrottlingException', 'ProvisionedThroughputExceededException', 'InternalServerError'])(
    'a DynamoDB %s is an error, never a lost condition: every write rejects',
    async (name) => {
      const fault = Object.assign(new Error(`simulated ${name}`), { name });
      const { client } = testDynamo(suite.aws.dynamo.endpoint, { failWith: (request) => (request.command === 'UpdateItem' ? fault : undefined) });
      const store = createDynamoCodeStore(client, { tableName: 'otp-test', lockoutThreshold: THRESHOLD, lockoutSeconds: LOCKOUT_SECONDS });
      const key = freshKey();
      await expect(store.issue(key, newCode('a'), undefined, NOW)).rejects.toThrow(name);
      await expect(store.takeGuess(key, 'a', NOW, 'g')).rejects.toThrow(name);
      await expect(store.consume(key, 'a', 'h', NOW, 'g')).rejects.toThrow(name);
      await expect(store.lock(key, NOW)).rejects.toThrow(name);
      await expect(store.withdraw(key, 'a')).rejects.toThrow(name);
    },
  );
});

describe('isConditionFailure', () => {
  it("is true for a ConditionalCheckFailedException: the functions' client's, the SDK's, or any error so named", () => {
    expect(isConditionFailure(new AwsServiceError('ConditionalCheckFailedException', 'The conditional request failed', 400, undefined))).toBe(true);
    expect(isConditionFailure(new ConditionalCheckFailedException({ message: 'lost', $metadata: {} }))).toBe(true);
    expect(isConditionFailure(Object.assign(new Error('lost'), { name: 'ConditionalCheckFailedException' }))).toBe(true);
  });

  it.each([
    Object.assign(new Error('slow down'), { name: 'ThrottlingException' }),
    Object.assign(new Error('x'), { name: 'TransactionCanceledException' }),
    new Error('ConditionalCheckFailedException'),
    { name: 'ConditionalCheckFailedException' },
    'ConditionalCheckFailedException',
    undefined,
  ])('is false for anything else (%j)', (error) => {
    expect(isConditionFailure(error)).toBe(false);
  });
});
