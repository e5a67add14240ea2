import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreateAuthChallengeHandler } from '../../functions/createAuthChallenge/handler.js';
import { makeDefineAuthChallengeHandler } from '../../functions/defineAuthChallenge/handler.js';
import { makeVerifyAuthChallengeHandler } from '../../functions/verifyAuthChallenge/handler.js';
import { type AuthResult, CognitoCustomAuthHarness, CognitoError, type HarnessOptions } from '../../local/cognitoHarness.js';
import type { LocalAws } from '../../local/standins.js';
import { loadCreateConfig, loadDefineConfig, loadVerifyConfig } from '../../shared/auth/config.js';
import type { CodeStore } from '../../shared/store/codeStore.js';
import { capturingLogger } from '../support/logs.js';
import { buildTriggers, START_TIME, startLocalSuite, testClock, USERS } from '../support/suite.js';
import { capturingSenders, memoryCodeStore, memoryLimiter, oddString, PROPERTY_SECRET, recordingRandom, runs, scaled } from './support.js';

/**
 * Whole sign-ins as Cognito runs them (local/cognitoHarness.ts), driven by random sequences of
 * answers: right, wrong, empty, garbage, resend requests, channel switches, restarts and time
 * passing. Tokens come only right after the right code, a right code for a fresh challenge always
 * gets them, and every issued code is sent exactly once.
 */

type Step =
  | { kind: 'right' }
  | { kind: 'rightSpaced' }
  | { kind: 'wrong'; digits: number }
  | { kind: 'empty' }
  | { kind: 'garbage'; text: string }
  | { kind: 'resend' }
  | { kind: 'channel'; channel: string }
  | { kind: 'advance'; ms: number }
  | { kind: 'restart' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'right' as const }), weight: 4 },
  { arbitrary: fc.constant({ kind: 'rightSpaced' as const }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('wrong' as const), digits: fc.integer({ min: 0, max: 999_999 }) }), weight: 5 },
  { arbitrary: fc.constant({ kind: 'empty' as const }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('garbage' as const), text: oddString }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'resend' as const }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('channel' as const), channel: fc.constantFrom('SMS', 'EMAIL', 'sms', 'PIGEON') }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.oneof(fc.integer({ min: 1, max: 40_000 }), fc.integer({ min: 250_000, max: 1_000_000 })) }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'restart' as const }), weight: 1 },
);

const KNOWN_USERS = ['jo', 'sam', 'ana'] as const;
type UserTemplate = (typeof KNOWN_USERS)[number] | 'ghost';

const envArb = fc.record({
  OTP_MAX_ATTEMPTS: fc.constantFrom('1', '2', '3', '5'),
  OTP_LOCKOUT_THRESHOLD: fc.constantFrom('2', '3', '5', '10'),
  OTP_RESEND_COOLDOWN_SECONDS: fc.constantFrom('0', '30'),
  OTP_RETRY_WINDOW_SECONDS: fc.constantFrom('0', '20'),
  OTP_ALLOW_PASSWORDLESS: fc.constantFrom('true', 'true', 'false'),
});

const scenarioArb = fc.record({
  user: fc.constantFrom<UserTemplate>('jo', 'jo', 'sam', 'ana', 'ghost'),
  env: envArb,
  retryCreate: fc.boolean(),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 14 }),
});
type Scenario = { user: UserTemplate; env: Record<string, string>; retryCreate: boolean; steps: Step[] };

const BASE_ENV = { OTP_TABLE: 'otp-test', OTP_SECRET: PROPERTY_SECRET, EMAIL_FROM: 'Example <no-reply@example.com>', SMS_ALLOWED_COUNTRIES: 'US,CA,ES', OTP_MAX_SENDS_PER_DESTINATION: '100' };

/** What a scenario runs against: the triggers wired to in-memory dependencies, or to the stand-ins. */
interface World {
  /** The user name to sign in as, and the users the harness knows. */
  userName: string;
  users: HarnessOptions['users'];
  triggers: HarnessOptions['triggers'];
  advance(ms: number): void;
  /** The code behind a code id (undefined for a decoy the test cannot see). */
  codeFor(codeId: string): Promise<string | undefined>;
  /** Messages sent so far (email and SMS). */
  messages(): Promise<number>;
}

function memoryWorld(scenario: Scenario): World {
  const env = { ...BASE_ENV, ...scenario.env };
  const createConfig = loadCreateConfig(env);
  const logs = capturingLogger();
  const store = memoryCodeStore(createConfig);
  const recorder = recordingRandom();
  const codes = new Map<string, string>();
  // The code Create generated just before it stored the new code's id.
  const tracking: CodeStore = {
    ...store,
    async issue(userName, code, replacesCodeId, now) {
      const result = await store.issue(userName, code, replacesCodeId, now);
      if (result === 'issued') codes.set(code.codeId, recorder.generated.at(-1) as string);
      return result;
    },
  };
  const senders = capturingSenders();
  let now = START_TIME;
  const common = { logger: logs.logger, now: () => now };
  return {
    userName: scenario.user,
    users: { jo: USERS.jo, sam: USERS.sam, ana: USERS.ana },
    triggers: {
      define: makeDefineAuthChallengeHandler({ config: loadDefineConfig(env), logger: logs.logger }),
      create: makeCreateAuthChallengeHandler({ ...common, config: createConfig, store: tracking, limiter: memoryLimiter(), email: senders.email, sms: senders.sms, random: recorder.random, pause: async () => undefined }),
      verify: makeVerifyAuthChallengeHandler({ ...common, config: loadVerifyConfig(env), store: tracking }),
    },
    advance: (ms) => void (now += ms),
    codeFor: async (codeId) => codes.get(codeId),
    messages: async () => senders.sent.length,
  };
}

const ADDRESS: Record<(typeof KNOWN_USERS)[number], string> = { jo: 'jo@example.com', sam: '+12125550100', ana: 'ana@example.es' };

interface Presented {
  session: string;
  challengeName: string;
  codeId: string | undefined;
  /** Time has passed since the challenge was presented (the code may have expired). */
  aged: boolean;
}

function isRight(step: Step): boolean {
  return step.kind === 'right' || step.kind === 'rightSpaced';
}

function answerFor(step: Step, code: string | undefined): { answer: string; clientMetadata?: Record<string, string> } {
  switch (step.kind) {
    case 'right':
      return { answer: code ?? '000000' };
    case 'rightSpaced':
      return { answer: code === undefined ? '000 000' : `${code.slice(0, 3)} ${code.slice(3)}` };
    case 'wrong': {
      let digits = String(step.digits).padStart(6, '0');
      if (digits === code) digits = digits === '999999' ? '000000' : String(step.digits + 1).padStart(6, '0');
      return { answer: digits };
    }
    case 'empty':
      return { answer: '' };
    case 'garbage':
      return { answer: /^[\d\s-]+$/.test(step.text) ? `x${step.text}` : step.text };
    case 'resend':
      return { answer: '', clientMetadata: { otpResend: 'true' } };
    case 'channel':
      return { answer: '', clientMetadata: { otpChannel: step.channel } };
    default:
      throw new Error(`no answer for ${step.kind}`);
  }
}

/**
 * Plays one scenario and checks, step by step: tokens only right after the right code of the
 * presented challenge (never for an unknown user, never twice for one code), and a right code for
 * a challenge no time has passed on always gets tokens. At the end: one message per issued code.
 */
async function play(world: World, scenario: Scenario): Promise<{ tokens: number; steps: number }> {
  const createdCodeIds: string[] = [];
  const harness = new CognitoCustomAuthHarness({
    triggers: world.triggers,
    users: world.users,
    retryCreate: scenario.retryCreate,
    onInvoke: (trigger, _event, result) => {
      if (trigger === 'create') createdCodeIds.push(result.response.privateChallengeParameters.codeId);
    },
  });
  const known = scenario.user !== 'ghost';
  const passwordless = scenario.env.OTP_ALLOW_PASSWORDLESS !== 'false';
  const messagesBefore = await world.messages();
  const accepted = new Set<string>();
  let tokens = 0;
  let current: Presented | undefined;

  /** Runs a harness call; a Cognito error ends the sign-in, anything else fails the property. */
  const call = async (run: () => Promise<AuthResult>): Promise<AuthResult | CognitoError> => {
    const createdBefore = createdCodeIds.length;
    try {
      return await run();
    } catch (error) {
      if (error instanceof CognitoError) return error;
      throw error;
    } finally {
      // A retried Create offers the code the first call made: same id, nothing more sent. A round runs
      // Create twice (both succeed) or not at all; once alone would mean the retry failed where the first call did not.
      const created = createdCodeIds.slice(createdBefore);
      if (scenario.retryCreate) {
        expect([0, 2], 'Create calls that succeeded in a retried round').toContain(created.length);
        if (created.length === 2) expect(created[0], 'a retried Create offers the same code').toBe(created[1]);
      } else {
        expect(created.length, 'Create calls in one round').toBeLessThanOrEqual(1);
      }
    }
  };
  const present = (result: AuthResult | CognitoError): Presented | undefined =>
    result instanceof CognitoError || result.kind === 'tokens'
      ? undefined
      : { session: result.session, challengeName: result.challengeName, codeId: result.challengeName === 'CUSTOM_CHALLENGE' ? createdCodeIds.at(-1) : undefined, aged: false };

  for (const step of scenario.steps) {
    if (step.kind === 'advance') {
      world.advance(step.ms);
      if (current !== undefined) current.aged = true;
      continue;
    }
    if (current === undefined || step.kind === 'restart') {
      current = present(await call(() => harness.initiateAuth(world.userName, passwordless ? {} : { password: 'srp' })));
      if (step.kind === 'restart' || current === undefined) continue;
    }
    const challenge: Presented = current;
    if (challenge.challengeName === 'PASSWORD_VERIFIER') {
      const password = isRight(step) ? (world.users[world.userName]?.password ?? 'none') : 'not the password';
      current = present(await call(() => harness.respond(challenge.session, { password })));
      continue;
    }
    const code = challenge.codeId === undefined ? undefined : await world.codeFor(challenge.codeId);
    const { answer, clientMetadata } = answerFor(step, code);
    const result = await call(() => harness.respond(challenge.session, clientMetadata === undefined ? { answer } : { answer, clientMetadata }));
    const gotTokens = !(result instanceof CognitoError) && result.kind === 'tokens';
    if (gotTokens) {
      tokens += 1;
      expect(isRight(step), `tokens after a "${step.kind}" step`).toBe(true);
      expect(code, 'tokens only for a code that was issued').toBeDefined();
      expect(answer.replace(/\s/g, '')).toBe(code);
      expect(known, 'never tokens for an unknown user').toBe(true);
      expect(accepted.has(challenge.codeId as string), 'a code gives tokens once').toBe(false);
      accepted.add(challenge.codeId as string);
    } else if (isRight(step) && known && code !== undefined && !challenge.aged) {
      throw new Error(`the right code for a fresh challenge did not give tokens: ${result instanceof CognitoError ? result.message : result.kind}`);
    }
    current = present(result);
  }

  if (known) {
    // Every code issued for a user with a verified address is sent once; a reused code is not sent again.
    const distinct = new Set(createdCodeIds);
    expect(await world.messages()).toBe(messagesBefore + distinct.size);
  }
  return { tokens, steps: scenario.steps.length };
}

describe('whole sign-ins driven by random answers (in-memory code store)', () => {
  it('never issue tokens unless the last answer was the right code, and always do for a fresh right code (3,000 runs)', async () => {
    let tokens = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        tokens += (await play(memoryWorld(scenario), scenario)).tokens;
      }),
      { numRuns: runs(3_000) },
    );
    expect(tokens, 'many scenarios end in tokens').toBeGreaterThan(scaled(600));
  }, 60_000);

  it('one code gives tokens once, across two sign-ins started in the same round (200 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...KNOWN_USERS),
        envArb,
        fc.integer({ min: 0, max: 19_000 }),
        fc.constantFrom('together', 'first-then-second', 'second-then-first'),
        async (user, env, gapMs, order) => {
          const scenario: Scenario = { user, env: { ...env, OTP_ALLOW_PASSWORDLESS: 'true', OTP_RETRY_WINDOW_SECONDS: '20' }, retryCreate: false, steps: [] };
          const world = memoryWorld(scenario);
          expect(await twoSignInsOneCode(world, gapMs, order)).toBe(1);
        },
      ),
      { numRuns: runs(200) },
    );
  });

  it('one code gives tokens once when two sign-ins in different rounds answer it at once (300 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...KNOWN_USERS), envArb, fc.integer({ min: 1, max: 2 }), async (user, env, wrongFirst) => {
        const scenario: Scenario = {
          user,
          env: { ...env, OTP_ALLOW_PASSWORDLESS: 'true', OTP_RETRY_WINDOW_SECONDS: '20', OTP_MAX_ATTEMPTS: '5', OTP_LOCKOUT_THRESHOLD: '10' },
          retryCreate: false,
          steps: [],
        };
        const world = memoryWorld(scenario);
        const created: string[] = [];
        const harness = () =>
          new CognitoCustomAuthHarness({ triggers: world.triggers, users: world.users, onInvoke: (t, _e, r) => void (t === 'create' && created.push(r.response.privateChallengeParameters.codeId)) });
        const a = harness();
        let atA = await a.initiateAuth(user);
        const code = (await world.codeFor(created.at(-1) as string)) as string;
        for (let count = 0; count < wrongFirst; count += 1) {
          if (atA.kind !== 'challenge') throw new Error('expected a challenge');
          atA = await a.respond(atA.session, { answer: code === '000000' ? '111111' : '000000' });
        }
        const b = harness();
        const atB = await b.initiateAuth(user);
        if (atA.kind !== 'challenge' || atB.kind !== 'challenge') throw new Error('expected challenges');
        const results = await Promise.allSettled([a.respond(atA.session, { answer: code }), b.respond(atB.session, { answer: code })]);
        expect(results.filter((r) => r.status === 'fulfilled' && r.value.kind === 'tokens')).toHaveLength(1);
      }),
      { numRuns: runs(300) },
    );
  });
});

/** Two sign-ins for one user, the second `gapMs` after the first; both answer the one code. Returns how many got tokens. */
async function twoSignInsOneCode(world: World, gapMs: number, order: string): Promise<number> {
  const created: string[] = [];
  const harness = () => new CognitoCustomAuthHarness({ triggers: world.triggers, users: world.users, onInvoke: (t, _e, r) => void (t === 'create' && created.push(r.response.privateChallengeParameters.codeId)) });
  const a = harness();
  const b = harness();
  const atA = await a.initiateAuth(world.userName);
  world.advance(gapMs);
  const atB = await b.initiateAuth(world.userName);
  if (atA.kind !== 'challenge' || atB.kind !== 'challenge') throw new Error('expected challenges');
  expect(created[0], 'the second sign-in is offered the code just sent').toBe(created[1]);
  const code = (await world.codeFor(created[0] as string)) as string;
  const answer = (who: CognitoCustomAuthHarness, session: string) => who.respond(session, { answer: code }).catch((error: unknown) => error);
  const results =
    order === 'together'
      ? await Promise.all([answer(a, atA.session), answer(b, atB.session)])
      : order === 'first-then-second'
        ? [await answer(a, atA.session), await answer(b, atB.session)]
        : [await answer(b, atB.session), await answer(a, atA.session)];
  return results.filter((result) => (result as AuthResult).kind === 'tokens').length;
}

describe('whole sign-ins driven by random answers (DynamoDB, SES and SNS stand-ins)', () => {
  let aws: LocalAws;
  const metricsSetting = process.env.POWERTOOLS_METRICS_DISABLED;
  beforeAll(async () => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'true'; // no EMF lines for thousands of invocations
    aws = await startLocalSuite();
  });
  afterAll(async () => {
    await aws?.close();
    if (metricsSetting === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = metricsSetting;
  });

  let run = 0;
  /** The real wiring (test/support/suite.ts) against the stand-ins; a fresh user name and hour per run. */
  function standInWorld(scenario: Scenario): World {
    run += 1;
    const clock = testClock(START_TIME + run * 7_200_000);
    const { triggers } = buildTriggers(aws, { ...scenario.env }, clock);
    const userName = `${scenario.user}-run${run}`;
    const template = scenario.user === 'ghost' ? undefined : USERS[scenario.user];
    const codes = new Map<string, string | undefined>();
    const sent = async () => (await aws.ses.emails()).length + aws.sms.messages.length;
    return {
      userName,
      users: template === undefined ? {} : { [userName]: template },
      triggers,
      advance: (ms) => clock.advance(ms),
      async codeFor(codeId) {
        if (!codes.has(codeId)) {
          // A code id seen for the first time was just issued: its message is the newest to the address.
          const address = scenario.user === 'ghost' ? undefined : ADDRESS[scenario.user];
          let code: string | undefined;
          if (address?.startsWith('+')) code = aws.sms.messages.filter((sms) => sms.phoneNumber === address).at(-1)?.message.match(/\b\d{6}\b/)?.[0];
          else if (address !== undefined) {
            const emails = (await aws.ses.emails()).filter((email) => email.to.includes(address));
            code = emails.at(-1)?.text?.match(/\b\d{6}\b/)?.[0];
          }
          codes.set(codeId, code);
        }
        return codes.get(codeId);
      },
      messages: sent,
    };
  }

  it('never issue tokens unless the last answer was the right code, and always do for a fresh right code (120 runs)', async () => {
    // A channel switch sends ana's code to her phone, which this lookup (newest message to one address) cannot follow.
    const standInScenario = scenarioArb.map((scenario) => ({ ...scenario, steps: scenario.steps.filter((step) => step.kind !== 'channel') }));
    let tokens = 0;
    await fc.assert(
      fc.asyncProperty(standInScenario, async (scenario) => {
        await aws.ses.clear();
        aws.sms.messages.length = 0;
        tokens += (await play(standInWorld(scenario), scenario)).tokens;
      }),
      { numRuns: runs(120) },
    );
    expect(tokens, 'some scenarios end in tokens').toBeGreaterThan(scaled(10));
  }, 60_000);
});
