import fc from 'fast-check';
import { expect } from 'vitest';
import type { CodeStore, IssuedCode, UserCodeState } from '../../shared/store/codeStore.js';
import type { SendLimiter } from '../../shared/store/sendLimits.js';
import type { EmailContent } from '../../shared/otp/templates.js';
import { TemporaryFailureError, TriggerError } from '../../shared/errors.js';
import { logger as containerLogger } from '../../shared/logger.js';

/**
 * Shared pieces of the property tests: arbitraries that mutate the sample events in events/,
 * in-memory stand-ins for the code store, send limiter and senders, and the checks every
 * handler's answer must pass.
 */

// ---------------------------------------------------------------------------------------------
// Junk values
// ---------------------------------------------------------------------------------------------

/** Characters that tend to break string handling: lone surrogates, bidi marks, NUL, emoji, ZWJ sequences. */
export const ODD_CHARACTERS = [
  '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\u202E', '\u202D', '\u200F', '\u200E', '\u0000', '\u0007', '\u001B', '\uFEFF',
  '\u200B', '\u2028', '\u2029', '\uFFFF', '\uFFFD', '😀', '👩‍👩‍👧', 'e\u0301', 'İ', 'ß', 'ǅ', 'ﷺ', '%s', '%n', '${x}', '{{x}}',
  '"', "'", '\\', '<script>', '\r\n', '\t', ' ', '@', '+', '-', '٣', '１', '𝟘',
] as const;

export const oddString: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.constantFrom(...ODD_CHARACTERS), fc.string({ unit: 'binary', maxLength: 4 }), fc.string({ maxLength: 6 })), { maxLength: 12 })
  .map((parts) => parts.join(''));

/** 10k–120k characters of one (possibly odd) character, with a random head. */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('x', '9', '😀', '\uD800', ' ', '@', '\u202E', '\u0000', '-'), fc.integer({ min: 10_000, max: 120_000 }), fc.string({ maxLength: 8 }))
  .map(([character, length, head]) => head + character.repeat(Math.ceil(length / character.length)));

/** Keeps 100k-character strings out of counterexample output. */
export function preview(value: unknown): string {
  const text = fc.stringify(value);
  return text.length > 2_000 ? `${text.slice(0, 2_000)}… (${text.length} characters)` : text;
}

/** Arrays or objects nested hundreds to thousands of levels deep. */
export const deepJunk: fc.Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 20, max: 2_000 }), fc.constantFrom('array', 'object', 'mixed'))
  .map(([depth, kind]) => {
    let value: unknown = 'bottom';
    for (let level = 0; level < depth; level += 1) {
      const asArray = kind === 'array' || (kind === 'mixed' && level % 2 === 0);
      value = asArray ? [value] : { nested: value };
    }
    // fast-check's own printer recurses; a counterexample names the nesting instead.
    Object.defineProperty(value, fc.toStringMethod, { value: () => `<${kind} nested ${depth} deep>`, enumerable: false });
    return value;
  });

/**
 * Fresh copies of JSON values on every generation: a value shared between runs could be changed by
 * one run (a handler fills `response`, a mutation adds a key) and leak into the next.
 */
export function freshFrom<T>(...values: T[]): fc.Arbitrary<T> {
  return fc.constantFrom(...values.map((value) => JSON.stringify(value))).map((text) => JSON.parse(text) as T);
}

/** JSON texts whose parse gives own `__proto__` / `constructor` keys, as a Lambda event from JSON would. */
const PROTOTYPE_JSON = [
  '{"__proto__":{"polluted":"yes","issueTokens":true,"answerCorrect":true}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"__proto__":null}',
  '{"__proto__":"string"}',
  '{"toString":"x","valueOf":1,"hasOwnProperty":[]}',
  '{"prototype":{},"__defineGetter__":1,"isPrototypeOf":null}',
  '{"email":"jo@example.com","email_verified":"true","__proto__":{"locale":"es"}}',
  '{"codeId":"4kQ2l0ZcYq5n9xW8mJ3sVA","__proto__":{"codeId":"other"}}',
];
export const prototypeJunk: fc.Arbitrary<unknown> = fc.constantFrom(...PROTOTYPE_JSON).map((text) => JSON.parse(text) as unknown);

/** Keys a mutation may add to an object; the first few are the classic prototype-pollution keys. */
export const ODD_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '', ' ', '\u0000', '\uD800', 'length'];
export const oddKey: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...ODD_KEYS), oddString, fc.string({ maxLength: 10 }));

/** JSON-like junk: what a confused or hostile caller could put where a string is expected. */
export const jsonJunk: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(null, true, false, 0, -1, 1, 1e308, -0, 2 ** 53, '', ' ', '0', 'true', 'null', '[]', '{}'), weight: 4 },
  { arbitrary: fc.double(), weight: 2 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: oddString, weight: 4 },
  { arbitrary: fc.array(fc.oneof(oddString, fc.integer(), fc.constant(null)), { maxLength: 5 }), weight: 2 },
  { arbitrary: fc.dictionary(oddKey, fc.oneof(oddString, fc.integer(), fc.constant(null), fc.boolean()), { maxKeys: 5 }), weight: 2 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: deepJunk, weight: 1 },
  { arbitrary: prototypeJunk, weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 2 },
);

/**
 * Anything at all, including values JSON cannot carry (undefined, NaN, null-prototype objects, sparse arrays).
 * Dates and boxed primitives are left out: they are objects whose own properties JSON drops, and a
 * Lambda event, parsed from JSON, can never hold one.
 */
export const anyJunk: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: jsonJunk, weight: 3 },
  { arbitrary: fc.anything({ withNullPrototype: true, withSparseArray: true, maxDepth: 4 }), weight: 2 },
  { arbitrary: fc.constantFrom(undefined, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY), weight: 1 },
);

// ---------------------------------------------------------------------------------------------
// Mutating a sample event
// ---------------------------------------------------------------------------------------------

export type Path = readonly (string | number)[];

/** Every path in a JSON value (objects and arrays, to `maxDepth`), the root `[]` included. */
export function pathsOf(value: unknown, maxDepth = 6, prefix: Path = []): Path[] {
  const paths: Path[] = [prefix];
  if (prefix.length >= maxDepth || typeof value !== 'object' || value === null) return paths;
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
  for (const [key, child] of entries) paths.push(...pathsOf(child, maxDepth, [...prefix, key]));
  return paths;
}

export type Mutation =
  | { kind: 'delete'; path: Path }
  | { kind: 'set'; path: Path; value: unknown }
  | { kind: 'addKey'; path: Path; key: string; value: unknown };

/** Sets an own, enumerable data property, as JSON.parse does even for `__proto__`. */
function defineOwn(target: object, key: string | number, value: unknown): void {
  try {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } catch {
    // e.g. a junk "length" on an array: not a value JSON could carry either.
  }
}

function parentOf(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** Applies mutations to a fresh copy of `base`; a mutation whose path no longer exists is skipped. */
export function applyMutations(base: unknown, mutations: readonly Mutation[]): unknown {
  let root: unknown = structuredClone(base);
  for (const mutation of mutations) {
    if (mutation.path.length === 0) {
      if (mutation.kind === 'set') root = mutation.value;
      else if (mutation.kind === 'delete') root = undefined;
      else if (typeof root === 'object' && root !== null && !Array.isArray(root)) defineOwn(root, mutation.key, mutation.value);
      continue;
    }
    const parent = parentOf(root, mutation.path);
    if (typeof parent !== 'object' || parent === null) continue;
    const key = mutation.path[mutation.path.length - 1] as string | number;
    if (mutation.kind === 'delete') {
      if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
      else delete (parent as Record<string | number, unknown>)[key];
    } else if (mutation.kind === 'set') {
      defineOwn(parent, key, mutation.value);
    } else {
      const target = (parent as Record<string | number, unknown>)[key];
      // JSON cannot give an array named keys, so only objects get one.
      if (typeof target === 'object' && target !== null && !Array.isArray(target)) defineOwn(target, mutation.key, mutation.value);
    }
  }
  return root;
}

/**
 * Mutated copies of sample events: 1–4 mutations, each deleting a field, replacing it with junk
 * (`special` gives field-aware junk, e.g. other trigger sources), or adding an odd key.
 */
export function mutatedEvent(bases: readonly unknown[], special: fc.Arbitrary<unknown> = jsonJunk, value: fc.Arbitrary<unknown> = jsonJunk): fc.Arbitrary<unknown> {
  return fc.constantFrom(...bases).chain((base) => {
    const paths = pathsOf(base);
    const path = fc.constantFrom(...paths);
    const mutation: fc.Arbitrary<Mutation> = fc.oneof(
      { arbitrary: fc.record({ kind: fc.constant('delete' as const), path }), weight: 3 },
      { arbitrary: fc.record({ kind: fc.constant('set' as const), path, value: fc.oneof(value, special) }), weight: 6 },
      { arbitrary: fc.record({ kind: fc.constant('addKey' as const), path, key: oddKey, value }), weight: 2 },
    );
    return fc.array(mutation, { minLength: 1, maxLength: 4 }).map((mutations) => applyMutations(base, mutations));
  });
}

/** Strings shaped like trigger sources: other triggers', wrong case, padded, or odd. */
export const TRIGGER_SOURCES = [
  'DefineAuthChallenge_Authentication',
  'CreateAuthChallenge_Authentication',
  'VerifyAuthChallengeResponse_Authentication',
  'VerifyAuthChallenge_Authentication',
  'UserMigration_Authentication',
  'UserMigration_ForgotPassword',
  'TokenGeneration_HostedAuth',
  'TokenGeneration_Authentication',
  'TokenGeneration_NewPasswordChallenge',
  'TokenGeneration_AuthenticateDevice',
  'TokenGeneration_RefreshTokens',
  'TokenGeneration_ClientCredentials',
  'PreSignUp_SignUp',
  'PostAuthentication_Authentication',
  'CustomMessage_SignUp',
] as const;
export const triggerSourceJunk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...TRIGGER_SOURCES),
  fc.constantFrom(...TRIGGER_SOURCES).map((source) => source.toLowerCase()),
  fc.constantFrom(...TRIGGER_SOURCES).map((source) => ` ${source}\u0000`),
  fc.constantFrom(...TRIGGER_SOURCES).map((source) => [source]),
  oddString,
);

// ---------------------------------------------------------------------------------------------
// Checking a handler's outcome
// ---------------------------------------------------------------------------------------------

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function settle<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error };
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `a non-Error ${typeof error}: ${String(error).slice(0, 200)}`;
  const cause = (error as { cause?: unknown }).cause;
  const causeText = cause instanceof Error ? ` (cause: ${cause.name}: ${cause.message.slice(0, 300)}\n${cause.stack?.split('\n').slice(1, 4).join('\n')})` : '';
  return `${error.name}: ${error.message.slice(0, 300)}${causeText}`;
}

/**
 * A refusal must be the suite's own TriggerError with a non-empty message. The in-memory
 * dependencies never fail, so a TemporaryFailureError can only wrap a crash inside the trigger
 * (a TypeError, RangeError, …): that is a failure too, reported with its cause.
 */
export function expectSuiteRefusal(error: unknown): void {
  if (!(error instanceof TriggerError)) throw new Error(`rejected with something other than a TriggerError: ${describeError(error)}`);
  if (typeof error.message !== 'string' || error.message.trim() === '') throw new Error(`TriggerError with an empty message: ${describeError(error)}`);
  if (error instanceof TemporaryFailureError) throw new Error(`an internal crash became the generic failure: ${describeError(error)}`);
}

/** What Lambda hands Cognito: the JSON serialisation of the handler's result. */
export function asCognitoSeesIt(value: unknown): any {
  return JSON.parse(JSON.stringify(value) ?? 'null') as unknown;
}

export function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((entry) => typeof entry === 'string');
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
}

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort().join(',');

/** No run may add anything to Object.prototype (prototype pollution). */
export function expectNoPrototypePollution(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort().join(',')).toBe(PROTOTYPE_KEYS);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

/** Silences the container-wide logger (password checks warn through it) for the duration of a test file. */
export function silenceContainerLogger(): () => void {
  const target = containerLogger as unknown as { console: unknown };
  const original = target.console;
  const sink = () => undefined;
  target.console = { log: sink, info: sink, warn: sink, error: sink, debug: sink, trace: sink };
  return () => {
    target.console = original;
  };
}

// ---------------------------------------------------------------------------------------------
// In-memory dependencies of Create and Verify, with the DynamoDB store's semantics
// ---------------------------------------------------------------------------------------------

interface MemoryItem {
  code?: IssuedCode & { used: boolean; withdrawn: boolean };
  failedAttempts?: number;
  lockedUntil?: number;
  lastAttempt?: string;
  lastGuessAt?: number;
  consumedBy?: string;
}

/**
 * The code store's contract (shared/store/codeStore.ts, DynamoDB conditions included) held in a
 * Map. Each method runs to completion without awaiting, so each is atomic like the store's single
 * conditional updates. test/unit/store/codeStore.test.ts runs the same contract against both.
 */
export function memoryCodeStore(options: { lockoutThreshold: number; lockoutSeconds: number }): CodeStore & { items: Map<string, MemoryItem> } {
  const items = new Map<string, MemoryItem>();
  const item = (key: string) => {
    let found = items.get(key);
    if (found === undefined) {
      found = {};
      items.set(key, found);
    }
    return found;
  };
  const locked = (entry: MemoryItem | undefined, now: number) => entry?.lockedUntil !== undefined && entry.lockedUntil > now;
  const stateOf = (entry: MemoryItem): UserCodeState => ({
    code: entry.code === undefined ? undefined : { ...entry.code },
    failedAttempts: entry.failedAttempts ?? 0,
    lockedUntil: entry.lockedUntil,
    lastAttempt: entry.lastAttempt,
    lastGuessAt: entry.lastGuessAt,
    consumedBy: entry.consumedBy,
  });
  return {
    items,
    async read(key) {
      const entry = items.get(key);
      return entry === undefined ? undefined : stateOf(entry);
    },
    async issue(key, code, replacesCodeId, now) {
      const entry = items.get(key);
      if (locked(entry, now)) return 'conflict';
      const current = entry?.code?.codeId;
      if (replacesCodeId === undefined ? current !== undefined : current !== replacesCodeId) return 'conflict';
      item(key).code = { ...code, used: false, withdrawn: false };
      return 'issued';
    },
    async takeGuess(key, codeId, now, attemptKey) {
      const entry = items.get(key);
      const code = entry?.code;
      const takeable =
        entry !== undefined &&
        code !== undefined &&
        code.codeId === codeId &&
        !code.used &&
        code.expiresAt > now &&
        !locked(entry, now) &&
        (entry.failedAttempts ?? 0) < options.lockoutThreshold &&
        entry.lastAttempt !== attemptKey;
      if (!takeable) return { taken: false, state: entry === undefined ? undefined : stateOf(entry) };
      entry.failedAttempts = (entry.failedAttempts ?? 0) + 1;
      entry.lastAttempt = attemptKey;
      entry.lastGuessAt = now;
      return { taken: true, code: { ...code }, remaining: options.lockoutThreshold - entry.failedAttempts };
    },
    async consume(key, codeId, codeHash, now, attemptKey) {
      const entry = items.get(key);
      const code = entry?.code;
      if (entry === undefined || code === undefined || code.codeId !== codeId || code.codeHash !== codeHash || code.expiresAt <= now || locked(entry, now)) return false;
      if (code.used && entry.consumedBy !== attemptKey) return false;
      code.used = true;
      entry.failedAttempts = 0;
      entry.consumedBy = attemptKey;
      return true;
    },
    async lock(key, now, lastGuessBefore) {
      const entry = items.get(key);
      if (entry === undefined || entry.failedAttempts === undefined || entry.failedAttempts < options.lockoutThreshold || locked(entry, now)) return undefined;
      if (lastGuessBefore !== undefined && !(entry.lastGuessAt !== undefined && entry.lastGuessAt < lastGuessBefore)) return undefined;
      entry.lockedUntil = now + options.lockoutSeconds * 1000;
      entry.failedAttempts = 0;
      if (entry.code !== undefined) entry.code.used = true;
      return entry.lockedUntil;
    },
    async withdraw(key, codeId) {
      const code = items.get(key)?.code;
      if (code?.codeId === codeId) {
        code.used = true;
        code.withdrawn = true;
      }
    },
  };
}

/**
 * Spends a user's whole budget with wrong answers to the live code and locks them, through the
 * store's own operations (as Verify would).
 */
export async function lockThroughStore(store: CodeStore, key: string, codeId: string, now: number, threshold: number): Promise<void> {
  for (let count = 0; count < threshold; count += 1) await store.takeGuess(key, codeId, now, `seeded-wrong-${count}`);
  await store.lock(key, now);
}

/** A send limiter that always has room, counting reservations and releases. */
export function memoryLimiter(): SendLimiter & { reserved: number; released: number } {
  const limiter = {
    reserved: 0,
    released: 0,
    async reserve() {
      limiter.reserved += 1;
      return true;
    },
    async release() {
      limiter.released += 1;
    },
  };
  return limiter;
}

export interface SentMessage {
  channel: 'EMAIL' | 'SMS';
  to: string;
  /** The code the message carries. */
  code: string | undefined;
  body: string;
}

/** Email and SMS senders that keep what they were asked to send. */
export function capturingSenders() {
  const sent: SentMessage[] = [];
  const codeIn = (text: string) => /\b\d{6,10}\b/.exec(text)?.[0];
  return {
    sent,
    email: {
      async sendEmail(to: string, content: EmailContent) {
        sent.push({ channel: 'EMAIL', to, code: codeIn(content.text), body: `${content.subject}\n${content.text}\n${content.html}` });
      },
    },
    sms: {
      async sendSms(to: string, text: string) {
        sent.push({ channel: 'SMS', to, code: codeIn(text), body: text });
      },
    },
  };
}

/**
 * A RandomInt that records every code Create generates (decoys included), so a test knows the
 * code behind each challenge without reading the code store.
 */
export function recordingRandom(): { random: (maxExclusive: number) => number; generated: string[] } {
  const generated: string[] = [];
  return {
    generated,
    random(maxExclusive) {
      const value = Math.floor(Math.random() * maxExclusive);
      generated.push(String(value).padStart(String(maxExclusive - 1).length, '0'));
      return value;
    },
  };
}

/**
 * Runs of a property, scaled by PROPERTY_RUNS_SCALE (1 by default; `npm run mutate` uses less, as it
 * runs the tests once per mutant). `scaled` scales the figures a test expects from those runs alike.
 */
const RUNS_SCALE = Number(process.env.PROPERTY_RUNS_SCALE ?? '1');
export function runs(count: number): number {
  return Math.max(1, Math.round(count * RUNS_SCALE));
}
export const scaled = (count: number): number => Math.floor(count * RUNS_SCALE);

export const PROPERTY_SECRET = 'property-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
