import { AsyncLocalStorage } from 'node:async_hooks';
import { getStoreReadonly } from 'aws-ses-v2-local/dist/store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthResult, CognitoCustomAuthHarness, CognitoError, type HarnessOptions } from '../../local/cognitoHarness.js';
import type { LocalAws } from '../../local/standins.js';
import { buildTriggers, START_TIME, startLocalSuite, type TestClock } from '../support/suite.js';

/**
 * Many concurrent sign-ins against the in-process stand-ins (dynalite, aws-ses-v2-local, the SNS
 * capture), played by the Cognito harness: clean sign-ins, wrong answers, failed sessions, resend
 * requests, Cognito's retried Creates, and two clients racing the same code. Then the books:
 * one message per issued code, no code accepted twice, and failedAttempts exact per user.
 *
 * Bounded: USERS × SLOTS_PER_USER slots (a race slot is two flows), LANES users at a time, and no
 * slot starts after TIME_BOUND_MS. Loopback only.
 */

const USER_COUNT = 100;
const SLOTS_PER_USER = 10;
/** Users signing in at a time (a race slot runs two clients for its user). */
const LANES = 20;
const TIME_BOUND_MS = 50_000;
const MIN_FLOWS = 300;
const MAX_ATTEMPTS = 3;
const SEED = Number(process.env.LOAD_SEED ?? Date.now() % 2 ** 31);

/** Deterministic choices from the seed (mulberry32), so a run can be replayed with LOAD_SEED. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type SlotKind = 'clean' | 'wrongThenRight' | 'fail' | 'resend' | 'retried' | 'freshRace' | 'offsetRace';
const MIX: [SlotKind, number][] = [
  ['clean', 0.33],
  ['wrongThenRight', 0.2],
  ['fail', 0.1],
  ['resend', 0.1],
  ['retried', 0.12],
  ['freshRace', 0.075],
  ['offsetRace', 0.075],
];

interface LoadUser {
  name: string;
  address: string;
  attributes: Record<string, string>;
  /** failedAttempts as the books expect it: consecutive wrong answers since the last success. */
  expectedFailures: number;
  /** How many wrong answers this user has given, to make each one different. */
  wrongGiven: number;
}

function makeUsers(): LoadUser[] {
  return Array.from({ length: USER_COUNT }, (_, index) => {
    const name = `load-${String(index).padStart(3, '0')}`;
    // Even users get codes by email, odd users by SMS (valid US numbers, one per user).
    const byEmail = index % 2 === 0;
    const address = byEmail ? `${name}@example.com` : `+1212555${String(100 + index).padStart(4, '0')}`;
    const attributes = byEmail ? { email: address, email_verified: 'true' } : { phone_number: address, phone_number_verified: 'true' };
    return { name, address, attributes, expectedFailures: 0, wrongGiven: 0 };
  });
}

/** Each user's sign-ins run on that user's own clock, so one user's waits never expire another's code. */
const lanes = new AsyncLocalStorage<{ now: number }>();
const laneClock: TestClock = {
  now: () => lanes.getStore()?.now ?? START_TIME,
  advance: (ms) => {
    const lane = lanes.getStore();
    if (lane === undefined) throw new Error('advance outside a lane');
    lane.now += ms;
  },
};

interface FlowRecord {
  kind: SlotKind;
  user: string;
  expected: 'tokens' | 'refused' | 'one-of-two';
  outcome: 'tokens' | 'NotAuthorizedException' | 'UserLambdaValidationException' | 'InvalidParameterException' | 'challenge' | 'crash';
  detail?: string;
  ms: number;
}

interface Books {
  flows: FlowRecord[];
  slots: number;
  durationMs: number;
  createCalls: number;
  retriedCreatePairs: number;
  retriedCreateMismatches: number;
  /** Code id → user, for every code a Create offered. */
  issued: Map<string, string>;
  /** Code id → how many Verify calls accepted it, and in which kind of slot. */
  accepted: Map<string, { count: number; kinds: Set<SlotKind> }>;
  emails: number;
  sms: number;
  messagesPerAddress: Map<string, number>;
  failedAttempts: Map<string, number>;
  users: LoadUser[];
  stoppedByTimeBound: boolean;
}

async function runLoad(aws: LocalAws): Promise<Books> {
  const { triggers, dynamo } = buildTriggers(
    aws,
    {
      OTP_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      // The books count wrong answers; a lockout would reset the count and refuse codes.
      OTP_LOCKOUT_THRESHOLD: '100',
      // Each user's lane sends at most ~25 codes in its simulated quarter-hour; 100 is the maximum allowed.
      OTP_MAX_SENDS_PER_DESTINATION: '100',
    },
    laneClock,
  );
  const users = makeUsers();
  const harnessUsers: HarnessOptions['users'] = Object.fromEntries(users.map((user) => [user.name, { attributes: user.attributes }]));
  const random = prng(SEED);
  const books: Books = {
    flows: [],
    slots: 0,
    durationMs: 0,
    createCalls: 0,
    retriedCreatePairs: 0,
    retriedCreateMismatches: 0,
    issued: new Map(),
    accepted: new Map(),
    emails: 0,
    sms: 0,
    messagesPerAddress: new Map(),
    failedAttempts: new Map(),
    users,
    stoppedByTimeBound: false,
  };

  // The stand-ins' captured messages, indexed by address as they arrive (both stores are append-only).
  const emailStore = getStoreReadonly();
  const bodiesByAddress = new Map<string, string[]>();
  let emailsSeen = 0;
  let smsSeen = 0;
  const newestBodyTo = (address: string): string | undefined => {
    for (; emailsSeen < emailStore.emails.length; emailsSeen += 1) {
      const email = emailStore.emails[emailsSeen];
      for (const to of email?.destination.to ?? []) bodiesByAddress.set(to, [...(bodiesByAddress.get(to) ?? []), email?.body.text ?? '']);
    }
    for (; smsSeen < aws.sms.messages.length; smsSeen += 1) {
      const sms = aws.sms.messages[smsSeen];
      if (sms !== undefined) bodiesByAddress.set(sms.phoneNumber, [...(bodiesByAddress.get(sms.phoneNumber) ?? []), sms.message]);
    }
    return bodiesByAddress.get(address)?.at(-1);
  };
  const codes = new Map<string, string>();
  /** The code behind a code id: the newest message to the user's address when the id was first offered. */
  const codeFor = (codeId: string, user: LoadUser): string => {
    let code = codes.get(codeId);
    if (code === undefined) {
      code = newestBodyTo(user.address)?.match(/\b\d{6}\b/)?.[0];
      if (code === undefined) throw new Error(`no message reached ${user.address} for code ${codeId}`);
      codes.set(codeId, code);
    }
    return code;
  };

  /** A client: the harness plus the code id of each challenge it was offered. */
  const client = (kind: SlotKind, retryCreate = false) => {
    const created: string[] = [];
    const harness = new CognitoCustomAuthHarness({
      triggers,
      users: harnessUsers,
      retryCreate,
      onInvoke: (trigger, event, result) => {
        if (trigger === 'create') {
          const codeId: string = result.response.privateChallengeParameters.codeId;
          created.push(codeId);
          books.createCalls += 1;
          books.issued.set(codeId, event.userName);
        } else if (trigger === 'verify' && result.response.answerCorrect === true) {
          const codeId: string = event.request.privateChallengeParameters.codeId;
          const entry = books.accepted.get(codeId) ?? { count: 0, kinds: new Set<SlotKind>() };
          entry.count += 1;
          entry.kinds.add(kind);
          books.accepted.set(codeId, entry);
        }
      },
    });
    return { harness, created };
  };

  const wrongFor = (user: LoadUser, code: string): string => {
    user.wrongGiven += 1;
    // A different wrong answer every time, never the code.
    const offset = 1 + ((user.wrongGiven * 7_919) % 999_998);
    return String((Number(code) + offset) % 1_000_000).padStart(6, '0');
  };

  const outcomeOf = (result: AuthResult | unknown): FlowRecord['outcome'] => {
    if (result instanceof CognitoError) return result.code;
    if (typeof result === 'object' && result !== null && 'kind' in result) return (result as AuthResult).kind === 'tokens' ? 'tokens' : 'challenge';
    return 'crash';
  };
  const record = (kind: SlotKind, user: LoadUser, expected: FlowRecord['expected'], result: unknown, started: number) => {
    const flow: FlowRecord = { kind, user: user.name, expected, outcome: outcomeOf(result), ms: performance.now() - started };
    if (flow.outcome === 'crash' || (result instanceof CognitoError && expected === 'tokens')) flow.detail = String((result as Error)?.message ?? result);
    books.flows.push(flow);
  };
  const settle = async (run: () => Promise<AuthResult>): Promise<AuthResult | unknown> => run().catch((error: unknown) => error);
  const challengeOf = (result: unknown): Extract<AuthResult, { kind: 'challenge' }> => {
    if (outcomeOf(result) !== 'challenge') throw Object.assign(new Error('expected a challenge'), { result });
    return result as Extract<AuthResult, { kind: 'challenge' }>;
  };

  /** One sign-in: `wrong` wrong answers, then the right code (or, with `fail`, wrong until Define fails). */
  async function signIn(kind: SlotKind, user: LoadUser, options: { wrong: number; fail?: boolean; resend?: boolean; retryCreate?: boolean }) {
    const started = performance.now();
    const { harness, created } = client(kind, options.retryCreate);
    let result = await settle(() => harness.initiateAuth(user.name));
    try {
      if (options.retryCreate) {
        books.retriedCreatePairs += 1;
        if (created.length !== 2 || created[0] !== created[1]) books.retriedCreateMismatches += 1;
      }
      const rounds = options.fail ? MAX_ATTEMPTS : options.wrong;
      for (let round = 0; round < rounds; round += 1) {
        const step = challengeOf(result);
        const answer = wrongFor(user, codeFor(created.at(-1) as string, user));
        result = await settle(() => harness.respond(step.session, { answer }));
        user.expectedFailures += 1;
      }
      if (options.fail) {
        record(kind, user, 'refused', result, started);
        return;
      }
      if (options.resend) {
        laneClock.advance(31_000); // past OTP_RESEND_COOLDOWN_SECONDS
        const step = challengeOf(result);
        result = await settle(() => harness.respond(step.session, { answer: '', clientMetadata: { otpResend: 'true' } }));
      }
      const step = challengeOf(result);
      result = await settle(() => harness.respond(step.session, { answer: codeFor(created.at(-1) as string, user) }));
      if (outcomeOf(result) === 'tokens') user.expectedFailures = 0;
      record(kind, user, 'tokens', result, started);
    } catch (error) {
      record(kind, user, options.fail ? 'refused' : 'tokens', (error as { result?: unknown }).result ?? error, started);
    }
  }

  /** Two clients hold the same code and answer it at once; `offset` puts one of them a round ahead. */
  async function race(kind: 'freshRace' | 'offsetRace', user: LoadUser) {
    const started = performance.now();
    const a = client(kind);
    const b = client(kind);
    let atA: unknown;
    let atB: unknown;
    if (kind === 'freshRace') {
      [atA, atB] = await Promise.all([settle(() => a.harness.initiateAuth(user.name)), settle(() => b.harness.initiateAuth(user.name))]);
    } else {
      atA = await settle(() => a.harness.initiateAuth(user.name));
      const first = challengeOf(atA);
      atA = await settle(() => a.harness.respond(first.session, { answer: wrongFor(user, codeFor(a.created.at(-1) as string, user)) }));
      user.expectedFailures += 1;
      atB = await settle(() => b.harness.initiateAuth(user.name));
    }
    const stepA = challengeOf(atA);
    const stepB = challengeOf(atB);
    const codeA = codeFor(a.created.at(-1) as string, user);
    const codeB = codeFor(b.created.at(-1) as string, user);
    const [resultA, resultB] = await Promise.all([
      settle(() => a.harness.respond(stepA.session, { answer: codeA })),
      settle(() => b.harness.respond(stepB.session, { answer: codeB })),
    ]);
    if (outcomeOf(resultA) === 'tokens' || outcomeOf(resultB) === 'tokens') user.expectedFailures = 0;
    record(kind, user, 'one-of-two', resultA, started);
    record(kind, user, 'one-of-two', resultB, started);
  }

  const pick = (): SlotKind => {
    let roll = random();
    for (const [kind, share] of MIX) {
      roll -= share;
      if (roll < 0) return kind;
    }
    return 'clean';
  };
  const plans = users.map((user) => ({ user, slots: Array.from({ length: SLOTS_PER_USER }, pick), wrong: Array.from({ length: SLOTS_PER_USER }, () => 1 + Math.floor(random() * 2)) }));

  const started = performance.now();
  const deadline = started + TIME_BOUND_MS;
  let next = 0;
  async function lane(): Promise<void> {
    for (let index = next++; index < plans.length; index = next++) {
      const { user, slots, wrong } = plans[index] as (typeof plans)[number];
      await lanes.run({ now: START_TIME }, async () => {
        for (const [slot, kind] of slots.entries()) {
          if (performance.now() > deadline) {
            books.stoppedByTimeBound = true;
            return;
          }
          // A minute between a user's sign-ins: past the retry window and the resend cooldown, well within the code lifetime.
          laneClock.advance(61_000);
          books.slots += 1;
          const wrongCount = wrong[slot] as number;
          if (kind === 'clean') await signIn(kind, user, { wrong: 0 });
          else if (kind === 'wrongThenRight') await signIn(kind, user, { wrong: wrongCount });
          else if (kind === 'fail') await signIn(kind, user, { wrong: 0, fail: true });
          else if (kind === 'resend') await signIn(kind, user, { wrong: wrongCount - 1, resend: true });
          else if (kind === 'retried') await signIn(kind, user, { wrong: wrongCount - 1, retryCreate: true });
          else await race(kind, user);
        }
      });
    }
  }
  await Promise.all(Array.from({ length: LANES }, lane));
  books.durationMs = performance.now() - started;

  // The books, from the stand-ins themselves.
  const emails = await aws.ses.emails();
  books.emails = emails.length;
  books.sms = aws.sms.messages.length;
  for (const email of emails) for (const to of email.to) books.messagesPerAddress.set(to, (books.messagesPerAddress.get(to) ?? 0) + 1);
  for (const sms of aws.sms.messages) books.messagesPerAddress.set(sms.phoneNumber, (books.messagesPerAddress.get(sms.phoneNumber) ?? 0) + 1);
  for (const user of users) {
    const item = await dynamo.call('GetItem', { TableName: 'otp-test', Key: { pk: { S: `USER#${user.name}` } }, ConsistentRead: true });
    books.failedAttempts.set(user.name, Number(item.Item?.failedAttempts?.N ?? '0'));
  }
  return books;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

describe(`${USER_COUNT * SLOTS_PER_USER} sign-in slots over ${USER_COUNT} users, ${LANES} users at a time, against the stand-ins`, () => {
  let aws: LocalAws;
  let books: Books;
  const metricsSetting = process.env.POWERTOOLS_METRICS_DISABLED;

  beforeAll(async () => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'true'; // thousands of EMF lines otherwise
    aws = await startLocalSuite();
    books = await runLoad(aws);
    const durations = books.flows.map((flow) => flow.ms).sort((x, y) => x - y);
    const perKind = Object.fromEntries(MIX.map(([kind]) => [kind, books.flows.filter((flow) => flow.kind === kind).length]));
    console.info(
      [
        `load seed ${SEED}: ${books.flows.length} flows (${books.slots} slots, ${LANES} users at a time) in ${(books.durationMs / 1000).toFixed(1)} s` +
          ` = ${((books.flows.length * 1000) / books.durationMs).toFixed(0)} flows/s${books.stoppedByTimeBound ? ' (stopped by the time bound)' : ''}`,
        `flows by kind: ${JSON.stringify(perKind)}`,
        `tokens: ${books.flows.filter((flow) => flow.outcome === 'tokens').length}; messages: ${books.emails} emails + ${books.sms} SMS = ${books.emails + books.sms};` +
          ` codes issued: ${books.issued.size}; Create calls: ${books.createCalls} (${books.retriedCreatePairs} retried pairs)`,
        `races: ${books.flows.filter((flow) => flow.kind === 'freshRace').length / 2} fresh pairs, ${books.flows.filter((flow) => flow.kind === 'offsetRace').length / 2} offset pairs;` +
          ` codes accepted twice: ${[...books.accepted.values()].filter((entry) => entry.count > 1).length}`,
        `flow latency: p50 ${percentile(durations, 50).toFixed(0)} ms, p95 ${percentile(durations, 95).toFixed(0)} ms, max ${percentile(durations, 100).toFixed(0)} ms`,
      ].join('\n'),
    );
  }, 90_000);

  afterAll(async () => {
    await aws?.close();
    if (metricsSetting === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = metricsSetting;
  });

  it(`runs at least ${MIN_FLOWS} flows within the time bound, each ending as scripted`, () => {
    expect(books.flows.length).toBeGreaterThanOrEqual(MIN_FLOWS);
    expect(books.durationMs).toBeLessThan(TIME_BOUND_MS + 15_000);
    const unexpected = books.flows.filter((flow) => flow.expected !== 'one-of-two' && flow.outcome !== (flow.expected === 'tokens' ? 'tokens' : 'NotAuthorizedException'));
    expect(unexpected.slice(0, 5)).toEqual([]);
    expect(books.flows.filter((flow) => flow.outcome === 'crash')).toEqual([]);
  });

  it('sends exactly one message per issued code, and a retried Create sends nothing extra', () => {
    expect(books.emails + books.sms).toBe(books.issued.size);
    const issuedPerUser = new Map<string, number>();
    for (const user of books.issued.values()) issuedPerUser.set(user, (issuedPerUser.get(user) ?? 0) + 1);
    for (const user of books.users) expect(books.messagesPerAddress.get(user.address) ?? 0, user.name).toBe(issuedPerUser.get(user.name) ?? 0);
    expect(books.retriedCreatePairs).toBeGreaterThan(0);
    expect(books.retriedCreateMismatches, 'a retried Create offers the code the first call made').toBe(0);
    expect(books.createCalls).toBeGreaterThan(books.issued.size); // retries and same-session rounds reuse codes
  });

  it('accepts no code twice when the racing clients are in different rounds, and never outside a race', () => {
    const twice = [...books.accepted.entries()].filter(([, entry]) => entry.count > 1 && !entry.kinds.has('freshRace'));
    expect(twice).toEqual([]);
    const offsetRaces = books.flows.filter((flow) => flow.kind === 'offsetRace');
    expect(offsetRaces.filter((flow) => flow.outcome === 'tokens').length * 2).toBe(offsetRaces.length);
  });

  it('accepts each code at most once, even when two fresh sign-ins race it', () => {
    const twice = [...books.accepted.values()].filter((entry) => entry.count > 1);
    const freshRaces = books.flows.filter((flow) => flow.kind === 'freshRace');
    expect(freshRaces.length).toBeGreaterThan(0);
    expect(twice).toEqual([]);
    expect(freshRaces.filter((flow) => flow.outcome === 'tokens').length * 2).toBe(freshRaces.length);
  });

  it('keeps failedAttempts exact: the consecutive wrong answers since each user\'s last success', () => {
    const wrongBooks = books.users.filter((user) => books.failedAttempts.get(user.name) !== user.expectedFailures);
    expect(wrongBooks.map((user) => `${user.name}: table ${books.failedAttempts.get(user.name)}, expected ${user.expectedFailures}`)).toEqual([]);
    expect(books.users.some((user) => user.expectedFailures > 0), 'some users end with wrong answers outstanding').toBe(true);
  });
});
