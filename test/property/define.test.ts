import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeDefineAuthChallengeHandler } from '../../functions/defineAuthChallenge/handler.js';
import { type DefineConfig, loadDefineConfig } from '../../shared/auth/config.js';
import { CHALLENGE_NAMES } from '../../shared/auth/events.js';
import { sampleEvent } from '../support/events.js';
import { capturingLogger } from '../support/logs.js';
import {
  anyJunk,
  asCognitoSeesIt,
  expectNoPrototypePollution,
  expectSuiteRefusal,
  freshFrom,
  jsonJunk,
  mutatedEvent,
  oddString,
  settle,
  triggerSourceJunk,
} from './support.js';

/**
 * Define Auth Challenge under random and mutated events: it answers with a valid decision or
 * refuses with the suite's own error, and it issues tokens only for a session that earned them.
 */

const SAMPLES = readdirSync(join(__dirname, '..', '..', 'events', 'defineAuthChallenge')).map((file) => sampleEvent(`defineAuthChallenge/${file}`));
const BASE = sampleEvent('defineAuthChallenge/first-call.json');

const logs = capturingLogger();
const POLICIES: DefineConfig[] = [
  loadDefineConfig({}),
  loadDefineConfig({ OTP_MAX_ATTEMPTS: '1' }),
  loadDefineConfig({ OTP_MAX_ATTEMPTS: '5', OTP_ALLOW_PASSWORDLESS: 'false' }),
  loadDefineConfig({ OTP_MAX_ATTEMPTS: '10' }),
  loadDefineConfig({ OTP_MAX_ATTEMPTS: '2', OTP_ALLOW_PASSWORDLESS: 'false' }),
];
const HANDLERS = new Map(POLICIES.map((config) => [config, makeDefineAuthChallengeHandler({ config, logger: logs.logger })]));
/** A policy and its handler; the counterexample prints the policy only. */
const handlerArb = fc.constantFrom(...POLICIES).map((config) => {
  const define = HANDLERS.get(config);
  if (define === undefined) throw new Error('unknown policy');
  return Object.assign(Object.create({ [fc.toStringMethod]: () => JSON.stringify(config) }) as object, { config, define });
});

interface RawEntry {
  challengeName: string;
  challengeResult: boolean;
  challengeMetadata?: unknown;
}

/** The documented rule for tokens (README "Define's decisions", COGNITO-REFERENCE §1), written independently of shared/auth/define.ts. */
function tokensAllowed(session: readonly RawEntry[], userNotFound: boolean, policy: DefineConfig, options: { capRounds: boolean }): boolean {
  if (userNotFound) return false;
  const last = session.at(-1);
  if (last === undefined || last.challengeName !== 'CUSTOM_CHALLENGE' || last.challengeResult !== true) return false;
  let firstCodeRound = 0;
  if (session[0]?.challengeName === 'SRP_A') {
    const password = session[1];
    if (session[0].challengeResult !== true || password?.challengeName !== 'PASSWORD_VERIFIER' || password.challengeResult !== true) return false;
    firstCodeRound = 2;
  } else if (!policy.allowPasswordless) {
    return false;
  }
  const codeRounds = session.slice(firstCodeRound);
  if (codeRounds.length === 0) return false;
  if (!codeRounds.slice(0, -1).every((entry) => entry.challengeName === 'CUSTOM_CHALLENGE' && entry.challengeResult === false)) return false;
  return !options.capRounds || codeRounds.length <= policy.maxAttempts;
}

function codeRoundsIn(session: readonly RawEntry[]): number {
  const start = session[0]?.challengeName === 'SRP_A' ? 2 : 0;
  return session.slice(start).filter((entry) => entry.challengeName === 'CUSTOM_CHALLENGE').length;
}

/** The answer Cognito receives must be a decision: tokens, failure, or exactly one next challenge. */
function expectDefineDecision(result: unknown, policy: DefineConfig, session: readonly RawEntry[] | undefined): void {
  const response = asCognitoSeesIt(result)?.response;
  expect(typeof response?.issueTokens, 'issueTokens is a boolean').toBe('boolean');
  expect(typeof response?.failAuthentication, 'failAuthentication is a boolean').toBe('boolean');
  expect(response.issueTokens && response.failAuthentication, 'not both tokens and failure').toBe(false);
  if (!response.issueTokens && !response.failAuthentication) {
    expect(['CUSTOM_CHALLENGE', 'PASSWORD_VERIFIER']).toContain(response.challengeName);
    // Never more code rounds than OTP_MAX_ATTEMPTS.
    if (response.challengeName === 'CUSTOM_CHALLENGE' && session !== undefined) expect(codeRoundsIn(session)).toBeLessThan(policy.maxAttempts);
  } else {
    expect(response.challengeName ?? undefined, 'no challenge with a final decision').toBeUndefined();
  }
}

const challengeName = fc.oneof(
  { arbitrary: fc.constantFrom(...CHALLENGE_NAMES), weight: 8 },
  { arbitrary: fc.constantFrom('custom_challenge', 'CUSTOM_CHALLENGE ', ' SRP_A', '', '__proto__', 'constructor', 'PASSWORD_VERIFIER\u0000', 'CUSTOM_CHALLENGE\u200F'), weight: 1 },
  { arbitrary: oddString, weight: 1 },
);
const mostlyFalse = fc.oneof({ arbitrary: fc.constant(false), weight: 8 }, { arbitrary: fc.constant(true), weight: 2 });
const metadata = fc.oneof(fc.constant(undefined), fc.constant('OTP-4kQ2l0ZcYq5n9xW8mJ3sVA'), oddString, fc.integer());

const entryArb: fc.Arbitrary<RawEntry> = fc.record({ challengeName, challengeResult: fc.boolean(), challengeMetadata: metadata });

/** Sessions a real sign-in could produce (password step or not, wrong codes, a last answer), sometimes with one entry corrupted. */
const plausibleSession: fc.Arbitrary<RawEntry[]> = fc
  .record({
    prefix: fc.constantFrom('none', 'none', 'srp-ok', 'srp-ok', 'srp-failed', 'password-failed', 'srp-only'),
    rounds: fc.array(mostlyFalse, { maxLength: 11 }),
    corruption: fc.option(fc.record({ at: fc.nat({ max: 11 }), entry: entryArb }), { freq: 4 }),
  })
  .map(({ prefix, rounds, corruption }) => {
    const session: RawEntry[] = [];
    if (prefix !== 'none') session.push({ challengeName: 'SRP_A', challengeResult: prefix !== 'srp-failed' });
    if (prefix === 'srp-ok' || prefix === 'password-failed') session.push({ challengeName: 'PASSWORD_VERIFIER', challengeResult: prefix === 'srp-ok' });
    for (const result of rounds) session.push({ challengeName: 'CUSTOM_CHALLENGE', challengeResult: result, challengeMetadata: 'OTP-4kQ2l0ZcYq5n9xW8mJ3sVA' });
    if (corruption !== null && session.length > 0) session[corruption.at % session.length] = corruption.entry;
    return session.slice(0, 12);
  });

const sessionArb = fc.oneof({ arbitrary: plausibleSession, weight: 3 }, { arbitrary: fc.array(entryArb, { maxLength: 12 }), weight: 1 });

function defineEvent(session: readonly RawEntry[], userNotFound: boolean): any {
  const event = structuredClone(BASE);
  event.request.session = session.map((entry) => {
    const copy: Record<string, unknown> = { challengeName: entry.challengeName, challengeResult: entry.challengeResult };
    if (entry.challengeMetadata !== undefined) copy.challengeMetadata = entry.challengeMetadata;
    return copy;
  });
  event.request.userNotFound = userNotFound;
  return event;
}

const sessionJunk = fc.oneof(
  fc.array(fc.oneof(entryArb, fc.record({ challengeName: fc.oneof(challengeName, jsonJunk), challengeResult: fc.oneof(fc.boolean(), jsonJunk) })), { maxLength: 12 }),
  jsonJunk,
);
const fieldJunk = fc.oneof(triggerSourceJunk, sessionJunk, jsonJunk);

describe('Define Auth Challenge under random and mutated events', () => {
  it('answers a mutated sample event with a decision, or refuses it with a TriggerError (5,000 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(handlerArb, mutatedEvent(SAMPLES, fieldJunk), async ({ config, define }, event: any) => {
        logs.lines.length = 0;
        const session = Array.isArray(event?.request?.session) ? (event.request.session as RawEntry[]) : [];
        const outcome = await settle(() => define(event));
        if (outcome.ok) {
          expectDefineDecision(outcome.value, config, session);
          const response = asCognitoSeesIt(outcome.value).response;
          if (response.issueTokens) expect(tokensAllowed(session, event.request.userNotFound === true, config, { capRounds: false })).toBe(true);
        } else expectSuiteRefusal(outcome.error);
        expectNoPrototypePollution();
      }),
      { numRuns: 5_000 },
    );
  }, 60_000);

  it('answers anything at all (fc.anything) with a decision or a TriggerError (3,000 runs)', async () => {
    const eventArb = fc.oneof(
      anyJunk,
      fc.record({ triggerSource: fc.oneof(fc.constant('DefineAuthChallenge_Authentication'), anyJunk), userName: fc.oneof(oddString, anyJunk), request: anyJunk, response: anyJunk }),
      fc.record({
        triggerSource: fc.constant('DefineAuthChallenge_Authentication'),
        userName: oddString,
        request: fc.record({ session: fc.oneof(sessionJunk, anyJunk), userAttributes: anyJunk, clientMetadata: anyJunk, userNotFound: anyJunk }, { requiredKeys: [] }),
        response: fc.oneof(freshFrom({}), anyJunk),
      }),
    );
    await fc.assert(
      fc.asyncProperty(handlerArb, eventArb, async ({ config, define }, event: any) => {
        logs.lines.length = 0;
        const outcome = await settle(() => define(event));
        if (outcome.ok) expectDefineDecision(outcome.value, config, Array.isArray(event?.request?.session) ? event.request.session : undefined);
        else expectSuiteRefusal(outcome.error);
        expectNoPrototypePollution();
      }),
      { numRuns: 3_000 },
    );
  }, 60_000);
});

describe('Define issues tokens only for a session that earned them', () => {
  it('issueTokens ⇒ last entry a correct CUSTOM_CHALLENGE, every earlier step passed, all other rounds failed codes, rounds ≤ OTP_MAX_ATTEMPTS, user exists (5,000 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(handlerArb, sessionArb, fc.boolean(), async ({ config, define }, session, userNotFound) => {
        logs.lines.length = 0;
        const response = asCognitoSeesIt(await define(defineEvent(session, userNotFound))).response;
        if (response.issueTokens) expect(tokensAllowed(session, userNotFound, config, { capRounds: true })).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  }, 60_000);

  it('a session within OTP_MAX_ATTEMPTS gets tokens exactly when the rule says so (2,000 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(handlerArb, sessionArb, fc.boolean(), async ({ config, define }, session, userNotFound) => {
        fc.pre(codeRoundsIn(session) <= config.maxAttempts);
        logs.lines.length = 0;
        const response = asCognitoSeesIt(await define(defineEvent(session, userNotFound))).response;
        expect(response.issueTokens).toBe(tokensAllowed(session, userNotFound, config, { capRounds: true }));
      }),
      { numRuns: 2_000 },
    );
  }, 60_000);
});
