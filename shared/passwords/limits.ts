import { ANSWER_MARGIN_MS } from '../aws/deadline.js';
import type { HashFormat, Verdict } from './types.js';

/**
 * How much work a stored hash may ask for, derived in this one place from a per-format cost model
 * and the time a userMigration invocation has at the function's memory size.
 *
 * To support a new format: add it to HASH_FORMATS (types.ts), give it an entry in COST_MODELS
 * below (TypeScript refuses a format without one), and call `costRefusal(format, cost)` in its
 * scheme before any hashing. `npm run caps` prints the caps the README's format table shows.
 */

/** Cognito accepts passwords of at most 256 characters; a longer one is refused before any hashing. */
export const MAX_PASSWORD_CHARACTERS = 256;
/** The most UTF-8 bytes a password Cognito accepts can have; caps are derived for this length. */
export const MAX_PASSWORD_BYTES = 4 * MAX_PASSWORD_CHARACTERS;

/** True when the password is longer than Cognito allows (counted in characters, i.e. code points). */
export function passwordTooLong(password: string): boolean {
  if (password.length <= MAX_PASSWORD_CHARACTERS) return false;
  if (password.length > 2 * MAX_PASSWORD_CHARACTERS) return true; // even all surrogate pairs would be too many
  let characters = 0;
  for (const _ of password) if (++characters > MAX_PASSWORD_CHARACTERS) return true;
  return false;
}

/**
 * How long one check takes, as CPU time on one core of the development machine (TOOLING.md:
 * 2 cores, Node 20; `npm run caps -- --measure` re-measures). Lambda at 1769 MB gets about one
 * such vCPU; below that, CPU in proportion to memory.
 */
export interface CostModel {
  /** What the cost number counts, for the README and log lines: 'log2 rounds', 'iterations', … */
  unit: string;
  /** The lowest cost the format allows (below it a hash is malformed). */
  min: number;
  /** The highest cost the scheme parses at all (above it a hash is malformed); the cap is never higher. */
  max: number;
  /** Milliseconds for one check on the reference core with a password of `passwordBytes` UTF-8 bytes; must not fall as cost rises. */
  referenceMs(cost: number, passwordBytes: number): number;
}

/** 'fixed': one cheap digest whatever the hash says (microseconds), so no cost to cap. */
export type CostEntry = CostModel | 'fixed';

// CPU time of one check on this machine (2 cores, Node 20), December 2026, `npm run caps -- --measure`:
// CPU time, not wall time, because the machine is shared (at load 6–11 a check's wall time was 2–4× its
// CPU time, which is where the "bcrypt 15 took 3–4 s" came from), while Lambda gives the function its
// own CPU share. bcryptjs cost 14: 1,240 ms (78 ms × 2^(cost − 10)); PBKDF2-SHA256 and -SHA1 at 10M: 1,470 ms
// (0.145 µs per iteration, whatever the password's length: HMAC hashes a long key once); phpass 2^19 with a
// 1,024-byte password: 1,245 ms (0.16 µs + 0.13 µs per 64-byte MD5 block, per round); hash-wasm argon2id
// m=256 MiB, t=2: 1,144 ms (1.5–2.3 µs per KiB·pass, more for large memory; its lanes run one after another).
const BCRYPT_MODEL: CostModel = { unit: 'log2 rounds', min: 4, max: 15, referenceMs: (cost) => 78 * 2 ** (cost - 10) };
const ARGON2ID_MODEL: CostModel = { unit: 'KiB × passes', min: 8, max: 256 * 1024 * 10, referenceMs: (kibPasses) => 0.0023 * kibPasses };

export const COST_MODELS: { readonly [F in HashFormat]: CostEntry } = {
  bcrypt: BCRYPT_MODEL,
  'django-pbkdf2-sha256': { unit: 'iterations', min: 1, max: 10_000_000, referenceMs: (iterations) => 0.000145 * iterations },
  'django-pbkdf2-sha1': { unit: 'iterations', min: 1, max: 10_000_000, referenceMs: (iterations) => 0.000145 * iterations },
  'ldap-ssha': 'fixed',
  'ldap-ssha256': 'fixed',
  'ldap-ssha512': 'fixed',
  phpass: {
    unit: 'log2 rounds',
    min: 7,
    max: 20,
    // Each round hashes the 16-byte digest plus the password: ceil((16 + bytes + 9) / 64) MD5 blocks.
    referenceMs: (log2, bytes) => 2 ** log2 * (0.00016 + 0.00013 * Math.ceil((16 + bytes + 9) / 64)),
  },
  argon2id: ARGON2ID_MODEL,
  ...otherSystemsCostModels(),
};

/**
 * Issue 13's formats, measured the same way (December 2026, load 4 on 2 cores, scaled by the PBKDF2-SHA256
 * rate above to the same load): SHA-512 per block 0.13 µs and per digest object 2.1 µs (SHA-crypt, Drupal);
 * SHA-256-crypt 1.1 µs + 0.028 µs per 64-byte block; PBKDF2 per iteration and output block 0.15 µs (SHA-1,
 * SHA-256), 0.37 µs (SHA-512); node:crypto scrypt 0.3 µs per N·r·p. Wrappers of bcrypt and argon2id
 * (WordPress 6.8, Django) are refused by the scheme they wrap, under its model.
 */
function otherSystemsCostModels() {
  const bcrypt = BCRYPT_MODEL;
  const argon2id = ARGON2ID_MODEL;
  const pbkdf2 = (perIterationBlockMs: number): CostModel => ({
    unit: 'iterations × output blocks',
    min: 1,
    max: 40_000_000, // 10 million iterations of up to 4 blocks
    referenceMs: (iterationBlocks) => perIterationBlockMs * iterationBlocks,
  });
  const scrypt: CostModel = { unit: 'N·r·p', min: 2, max: 2 ** 30, referenceMs: (work) => 0.0003 * work };
  return {
    // Each round hashes the password about twice plus 80 bytes; the password dominates when long.
    'sha512-crypt': {
      unit: 'rounds',
      min: 1000,
      max: 999_999_999,
      referenceMs: (rounds: number, bytes: number) => rounds * (0.0021 + 0.000134 * Math.ceil((2 * bytes + 144) / 128)),
    },
    'sha256-crypt': {
      unit: 'rounds',
      min: 1000,
      max: 999_999_999,
      referenceMs: (rounds: number, bytes: number) => rounds * (0.0011 + 0.0000284 * Math.ceil((2 * bytes + 89) / 64)),
    },
    'md5-crypt': 'fixed' as const, // 1,000 rounds, about a millisecond
    'ldap-crypt': 'fixed' as const, // the crypt(3) scheme it wraps refuses by its own model
    'ldap-sha': 'fixed' as const,
    'ldap-md5': 'fixed' as const,
    'ldap-smd5': 'fixed' as const,
    'aspnet-membership': 'fixed' as const,
    drupal7: {
      unit: 'log2 rounds',
      min: 7,
      max: 30,
      referenceMs: (log2: number, bytes: number) => 2 ** log2 * (0.0021 + 0.000124 * Math.ceil((64 + bytes + 17) / 128)),
    },
    'wordpress-bcrypt': bcrypt,
    'django-bcrypt-sha256': bcrypt,
    'django-argon2id': argon2id,
    'werkzeug-pbkdf2-sha256': pbkdf2(0.000145),
    'keycloak-pbkdf2-sha256': pbkdf2(0.000145),
    'keycloak-pbkdf2-sha512': pbkdf2(0.00037),
    'keycloak-pbkdf2': pbkdf2(0.000152),
    // v3 names its PRF; costed at SHA-512's rate, the slowest of the three.
    'aspnet-identity': pbkdf2(0.00037),
    'passlib-scrypt': scrypt,
    'werkzeug-scrypt': scrypt,
    'firebase-scrypt': scrypt,
  };
}

/** Lambda gives one full vCPU at 1769 MB and CPU in proportion to memory below. */
export const ONE_VCPU_MEMORY_MB = 1769;
/** serverless.yml's provider `timeout`; Cognito allows 5 s including a cold start, so 1 s is left for one. */
export const FUNCTION_TIMEOUT_MS = 4_000;
/** Time kept for the directory look-up (two GetItems, an LDAP bind and search, an SQL query…). */
export const LOOKUP_ALLOWANCE_MS = 400;
/** A refusal waits up to this multiple of the slowest recent sign-in (shared/migration/refusalFloor.ts). */
export const REFUSAL_PAD_FACTOR = 1.1;
/**
 * Lambda's vCPU may be slower than the core the models were measured on (there is no Lambda to measure
 * here), and a model may be off by 15% (`npm run caps -- --measure`): caps keep a factor of 2.
 */
export const MODEL_SAFETY_FACTOR = 2;
/** Node, the bundle and hash-wasm's own pages before an Argon2 block is allocated (45 MB measured, rounded up). */
const BASELINE_MEMORY_MB = 96;

export interface HashBudget {
  memoryMb: number;
  /** Share of the reference core the function gets (at most 1: a check uses one thread). */
  cpuShare: number;
  /** Wall-clock milliseconds one check may take so that look-up, check and refusal padding fit the timeout. */
  checkWallMs: number;
  /** The same budget in reference-core milliseconds, after the safety factor: what a cost model must fit. */
  checkReferenceMs: number;
  /** The most memory (KiB) a memory-hard hash may ask for. */
  hashMemoryKiB: number;
}

export function hashBudget(memoryMb: number): HashBudget {
  const cpuShare = Math.min(memoryMb / ONE_VCPU_MEMORY_MB, 1);
  const checkWallMs = (FUNCTION_TIMEOUT_MS - ANSWER_MARGIN_MS) / REFUSAL_PAD_FACTOR - LOOKUP_ALLOWANCE_MS;
  return {
    memoryMb,
    cpuShare,
    checkWallMs,
    checkReferenceMs: (checkWallMs * cpuShare) / MODEL_SAFETY_FACTOR,
    hashMemoryKiB: Math.max(memoryMb - BASELINE_MEMORY_MB, 0) * 1024,
  };
}

/** Lambda's memory setting, read once at cold start; 1769 (one vCPU) outside Lambda. */
export function memorySizeFrom(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE?.trim();
  if (raw === undefined || raw === '') return ONE_VCPU_MEMORY_MB;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 128 || value > 10_240) {
    throw new RangeError(`AWS_LAMBDA_FUNCTION_MEMORY_SIZE must be a whole number of MB from 128 to 10240, got "${raw}".`);
  }
  return value;
}

let current: HashBudget | undefined;

/** The budget caps are derived from: set at cold start, else from this process's environment on first use. */
export function currentHashBudget(): HashBudget {
  current ??= hashBudget(memorySizeFrom(process.env));
  return current;
}

/** Fixes the memory size caps are derived for (cold start, tests, `npm run caps`); undefined goes back to the environment. */
export function useMemorySize(memoryMb: number | undefined): HashBudget | undefined {
  current = memoryMb === undefined ? undefined : hashBudget(memoryMb);
  return current;
}

/**
 * The highest cost of a format one check may have under `budget`, for the longest password Cognito
 * accepts; undefined for a fixed-cost format. Never above the format's own maximum, never below its minimum.
 */
export function costCap(format: HashFormat, budget: HashBudget = currentHashBudget()): number | undefined {
  const model = COST_MODELS[format];
  if (model === 'fixed') return undefined;
  const fits = (cost: number) => model.referenceMs(cost, MAX_PASSWORD_BYTES) <= budget.checkReferenceMs;
  if (!fits(model.min)) return model.min - 1; // nothing fits: every hash of this format is over the cap
  let low = model.min; // fits
  let high = model.max + 1; // treated as not fitting
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid;
  }
  return low;
}

/** The model's estimate of one check's wall-clock time at this memory (no safety factor): what to expect, not a bound. */
export function expectedCheckMs(format: HashFormat, cost: number, passwordBytes: number, budget: HashBudget = currentHashBudget()): number {
  const model = COST_MODELS[format];
  return model === 'fixed' ? 0 : model.referenceMs(cost, passwordBytes) / budget.cpuShare;
}

/** Over-cap verdict for a cost the format allows but this function cannot afford. */
export const overCap = (reason: string): Verdict => ({ kind: 'over-cap', reason });

/**
 * What a scheme calls before hashing: a verdict refusing `cost` (malformed when outside the format's
 * own range, over-cap when above what the budget affords), or undefined when the check may run.
 */
export function costRefusal(format: HashFormat, cost: number, budget: HashBudget = currentHashBudget()): Verdict | undefined {
  const model = COST_MODELS[format];
  if (model === 'fixed') return undefined;
  if (!Number.isInteger(cost) || cost < model.min || cost > model.max) {
    return { kind: 'malformed', reason: `${model.unit} out of range` };
  }
  const cap = costCap(format, budget) ?? model.max;
  if (cost > cap) return overCap(`${cost} ${model.unit} is over the cap of ${cap} at ${budget.memoryMb} MB`);
  return undefined;
}

/** For memory-hard formats: over-cap when the hash asks for more memory than the function can spare. */
export function memoryRefusal(memoryKiB: number, budget: HashBudget = currentHashBudget()): Verdict | undefined {
  if (memoryKiB <= budget.hashMemoryKiB) return undefined;
  return overCap(`${memoryKiB} KiB of memory is over the cap of ${budget.hashMemoryKiB} KiB at ${budget.memoryMb} MB`);
}
