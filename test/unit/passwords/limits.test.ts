import { pbkdf2 } from 'node:crypto';
import { compare } from 'bcryptjs';
import { argon2id } from 'hash-wasm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ANSWER_MARGIN_MS } from '../../../shared/aws/deadline.js';
import { HASH_FORMATS, type HashFormat, verifyPassword } from '../../../shared/passwords/index.js';
import {
  COST_MODELS,
  costCap,
  FUNCTION_TIMEOUT_MS,
  hashBudget,
  MAX_PASSWORD_BYTES,
  MODEL_SAFETY_FACTOR,
  memorySizeFrom,
  passwordTooLong,
  REFUSAL_PAD_FACTOR,
  LOOKUP_ALLOWANCE_MS,
  useMemorySize,
} from '../../../shared/passwords/limits.js';
import { makeHash } from './hashers.js';
import { captureLogs, vectors } from './helpers.js';

// The hashing primitives the schemes call, spied on (still working) to show an over-cap hash is never hashed.
vi.mock('bcryptjs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('bcryptjs')>();
  return { ...actual, compare: vi.fn(actual.compare) };
});
vi.mock('hash-wasm', async (importOriginal) => {
  const actual = await importOriginal<typeof import('hash-wasm')>();
  return { ...actual, argon2id: vi.fn(actual.argon2id) };
});
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, pbkdf2: vi.fn(actual.pbkdf2) };
});
const primitives = [vi.mocked(compare), vi.mocked(argon2id), vi.mocked(pbkdf2)];
const hashingCalls = () => primitives.reduce((sum, spy) => sum + spy.mock.calls.length, 0);

const PASSWORD = 'Cap-Test-Pw-7Hd%';
const MEMORY_SIZES = [128, 256, 512, 1024, 1769, 3008];

describe('the time budget a check must fit', () => {
  it.each(MEMORY_SIZES)('at %i MB: the look-up, the check and the refusal padding fit the function timeout less the answer margin', (memoryMb) => {
    const budget = hashBudget(memoryMb);
    expect(REFUSAL_PAD_FACTOR * (LOOKUP_ALLOWANCE_MS + budget.checkWallMs)).toBeLessThanOrEqual(FUNCTION_TIMEOUT_MS - ANSWER_MARGIN_MS + 1e-9);
    // A check at the model's limit, on a vCPU MODEL_SAFETY_FACTOR times slower than ours, still takes no longer.
    expect((budget.checkReferenceMs * MODEL_SAFETY_FACTOR) / budget.cpuShare).toBeCloseTo(budget.checkWallMs);
  });

  it('gets CPU in proportion to memory up to one vCPU at 1769 MB, and no more for one thread above it', () => {
    expect(hashBudget(884.5).cpuShare).toBeCloseTo(0.5);
    expect(hashBudget(1769).cpuShare).toBe(1);
    expect(hashBudget(3008).cpuShare).toBe(1);
  });

  it('reads the memory from AWS_LAMBDA_FUNCTION_MEMORY_SIZE, one vCPU outside Lambda, and names the variable when it is wrong', () => {
    expect(memorySizeFrom({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512' })).toBe(512);
    expect(memorySizeFrom({})).toBe(1769);
    for (const bad of ['64', '1.5', 'lots', '20000']) {
      expect(() => memorySizeFrom({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: bad })).toThrow(/AWS_LAMBDA_FUNCTION_MEMORY_SIZE must be .* 128 to 10240/);
    }
  });
});

describe('cost caps derived from the cost models', () => {
  const costed = HASH_FORMATS.filter((format) => COST_MODELS[format] !== 'fixed');

  it.each(costed.flatMap((format) => MEMORY_SIZES.map((memoryMb) => [format, memoryMb] as const)))(
    '%s at %i MB: the cap fits the budget for the longest password, one more does not (unless the cap is the format’s own maximum)',
    (format, memoryMb) => {
      const model = COST_MODELS[format];
      if (model === 'fixed') throw new Error('unreachable');
      const budget = hashBudget(memoryMb);
      const cap = costCap(format, budget)!;
      expect(cap).toBeGreaterThanOrEqual(model.min);
      expect(model.referenceMs(cap, MAX_PASSWORD_BYTES)).toBeLessThanOrEqual(budget.checkReferenceMs);
      if (cap < model.max) expect(model.referenceMs(cap + 1, MAX_PASSWORD_BYTES)).toBeGreaterThan(budget.checkReferenceMs);
    },
  );

  it('never lowers a cap when memory grows', () => {
    for (const format of costed) {
      const caps = MEMORY_SIZES.map((memoryMb) => costCap(format, hashBudget(memoryMb))!);
      expect(caps).toEqual([...caps].sort((a, b) => a - b));
    }
  });

  it('has no cap for a fixed-cost format', () => {
    expect(costCap('ldap-ssha', hashBudget(128))).toBeUndefined();
  });

  it('refuses the costs the issue measured past a 4 s timeout (bcrypt 15, PBKDF2 10M at 1024 MB, phpass 2^20, Argon2id 256 MiB t=10)', () => {
    const budget = hashBudget(1769);
    expect(costCap('bcrypt', budget)).toBeLessThan(15);
    expect(costCap('django-pbkdf2-sha256', hashBudget(1024))).toBeLessThan(10_000_000);
    expect(costCap('phpass', budget)).toBeLessThan(20);
    expect(costCap('argon2id', budget)).toBeLessThan(256 * 1024 * 10);
  });
});

/** A hash of PASSWORD at `cost` in the format's own terms (argon2id: t=2, so cost is m×2). */
async function hashAt(format: HashFormat, cost: number): Promise<string> {
  switch (format) {
    case 'bcrypt':
      return makeHash.bcrypt(PASSWORD, cost);
    case 'django-pbkdf2-sha256':
      return makeHash.pbkdf2Sha256(PASSWORD, cost);
    case 'django-pbkdf2-sha1':
      return makeHash.pbkdf2Sha1(PASSWORD, cost);
    case 'phpass':
      return makeHash.phpass(PASSWORD, cost);
    case 'argon2id':
      return makeHash.argon2id(PASSWORD, cost / 2, 2);
    default:
      throw new Error(`${format} has no cost`);
  }
}

describe('each format at its cap and just over it (128 MB, where the caps are cheapest to test)', () => {
  beforeAll(() => useMemorySize(128));
  afterAll(() => useMemorySize(undefined));

  const atCap = (format: HashFormat): number => {
    const cap = costCap(format)!;
    return format === 'argon2id' ? cap - (cap % 2) : cap; // t=2: an even m×t
  };
  const overCap = (format: HashFormat): number => (format === 'argon2id' ? atCap(format) + 2 : atCap(format) + 1);

  it.each(['bcrypt', 'django-pbkdf2-sha256', 'django-pbkdf2-sha1', 'phpass', 'argon2id'] as const)(
    '%s: a hash at the cap is checked; one step over is refused as over-cap without hashing, with a warning that says why',
    async (format) => {
      const atTheCap = await hashAt(format, atCap(format));
      const beforeAtCap = hashingCalls();
      expect(await verifyPassword(PASSWORD, atTheCap)).toEqual({ ok: true, format });
      if (format !== 'phpass') expect(hashingCalls()).toBe(beforeAtCap + 1); // the spies do see a real check
      expect(await verifyPassword('wrong', atTheCap)).toEqual({ ok: false, format });
      const overTheCap = await hashAt(format, overCap(format));
      const logs = captureLogs();
      const before = hashingCalls();
      try {
        expect(await verifyPassword(PASSWORD, overTheCap)).toEqual({ ok: false, format: 'over-cap', claimed: format });
      } finally {
        logs.restore();
      }
      expect(hashingCalls()).toBe(before); // (phpass's MD5 loop is not spied on; its cap check comes first all the same)
      expect(logs.entries()).toEqual([
        expect.objectContaining({ level: 'WARN', hashFormat: format, reason: expect.stringMatching(/over the cap of .* at 128 MB/) }),
      ]);
      expect(logs.text()).not.toContain(overTheCap);
      expect(logs.text()).not.toContain(PASSWORD);
    },
    30_000,
  );

  it('argon2id: memory above what the function can spare is refused as over-cap, however few passes', async () => {
    const hash = await makeHash.argon2id(PASSWORD, 33 * 1024, 1);
    const logs = captureLogs();
    const before = hashingCalls();
    try {
      expect(await verifyPassword(PASSWORD, hash)).toEqual({ ok: false, format: 'over-cap', claimed: 'argon2id' });
    } finally {
      logs.restore();
    }
    expect(hashingCalls()).toBe(before);
    expect(logs.entries()[0]?.reason).toBe('33792 KiB of memory is over the cap of 32768 KiB at 128 MB');
  });

  it('the caps at 128 MB', () => {
    const caps = Object.fromEntries(HASH_FORMATS.map((format) => [format, costCap(format)]));
    console.info(`caps at 128 MB: ${JSON.stringify(caps)}`);
    expect(caps.bcrypt).toBeGreaterThanOrEqual(10); // MIGRATION_DUMMY_BCRYPT_COST's default must fit
  });
});

describe('passwords longer than Cognito allows', () => {
  it('counts characters, not UTF-16 units or bytes', () => {
    expect(passwordTooLong('a'.repeat(256))).toBe(false);
    expect(passwordTooLong('a'.repeat(257))).toBe(true);
    expect(passwordTooLong('\u{1F511}'.repeat(256))).toBe(false); // 512 UTF-16 units, 1024 bytes
    expect(passwordTooLong('\u{1F511}'.repeat(257))).toBe(true);
    expect(passwordTooLong('é'.repeat(256))).toBe(false);
    expect(passwordTooLong('x'.repeat(10_000_000))).toBe(true);
  });

  it.each(HASH_FORMATS.map((format) => [format, vectors.find((v) => v.format === format)!] as const))(
    'are refused before any hashing against a %s hash, with a warning that holds neither password nor hash',
    async (format, vector) => {
      const tooLong = vector.password + 'p'.repeat(257);
      const logs = captureLogs();
      const before = hashingCalls();
      try {
        expect(await verifyPassword(tooLong, vector.hash)).toEqual({ ok: false, format: 'too-long' });
      } finally {
        logs.restore();
      }
      expect(hashingCalls()).toBe(before);
      expect(logs.entries()).toEqual([expect.objectContaining({ level: 'WARN', hashFormat: format, maxCharacters: 256 })]);
      expect(logs.text()).not.toContain(vector.hash);
      expect(logs.text()).not.toContain('pppppppp');
    },
  );
});
