import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { hashSync } from 'bcryptjs';
import fc from 'fast-check';
import { argon2id } from 'hash-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUserMigrationHandler } from '../../functions/userMigration/handler.js';
import { logger as containerLogger } from '../../shared/logger.js';
import type { LegacyDirectory } from '../../shared/migration/directory.js';
import type { LegacyUser } from '../../shared/migration/legacyUser.js';
import { sampleEvent } from '../support/events.js';
import { capturingLogger } from '../support/logs.js';
import {
  anyJunk,
  asCognitoSeesIt,
  expectNoPrototypePollution,
  expectSuiteRefusal,
  freshFrom,
  hugeString,
  isStringMap,
  jsonJunk,
  mutatedEvent,
  oddString,
  prototypeJunk,
  settle,
  triggerSourceJunk,
} from './support.js';

/**
 * The user migration trigger under random and mutated events, against an in-memory legacy
 * directory holding one user per hash format (cheap parameters): it hands Cognito a valid
 * profile only for a right password (or a forgot-password of a reachable user), or refuses with
 * the suite's own error, and never logs the password.
 */

const SAMPLES = readdirSync(join(__dirname, '..', '..', 'events', 'userMigration')).map((file) => sampleEvent(`userMigration/${file}`));
const PASSWORD = 'correct horse battery staple';
const OTHER_PASSWORDS = { ana: 'ana-legacy-pass', sam: 'sam-legacy-pass', argon: 'argon-Legacy-pass-✓' };

function django(password: string): string {
  const salt = 'Zs9dK2lq0Pwe';
  return `pbkdf2_sha256$1000$${salt}$${pbkdf2Sync(password, salt, 1000, 32, 'sha256').toString('base64')}`;
}
function ssha(password: string): string {
  const salt = randomBytes(8);
  return `{SSHA}${Buffer.concat([createHash('sha1').update(password).update(salt).digest(), salt]).toString('base64')}`;
}

interface Entry {
  user: LegacyUser;
  /** The password that migrates the user at sign-in; undefined when none can (disabled, unusable hash or entry). */
  password: string | undefined;
  /** What Cognito must receive for this user, or undefined when the entry cannot be migrated. */
  attributes: Record<string, string> | undefined;
  reachable: boolean;
}
const entries = new Map<string, Entry>();

function legacy(overrides: Partial<LegacyUser> & { username: string; passwordHash: string }): LegacyUser {
  return { email: undefined, emailVerified: false, phoneNumber: undefined, phoneNumberVerified: false, attributes: {}, disabled: false, ...overrides };
}

beforeAll(async () => {
  const bcrypt = hashSync(PASSWORD, 4);
  const argon = await argon2id({ password: OTHER_PASSWORDS.argon, salt: randomBytes(16), parallelism: 1, iterations: 1, memorySize: 64, hashLength: 32, outputType: 'encoded' });
  const add = (entry: Entry) => entries.set(entry.user.username, entry);
  add({
    user: legacy({ username: 'jo@example.com', passwordHash: bcrypt, email: 'jo@example.com', emailVerified: true, attributes: { given_name: 'Jo', locale: 'en-GB', 'custom:tenant_id': 't-42' } }),
    password: PASSWORD,
    attributes: { given_name: 'Jo', locale: 'en-GB', 'custom:tenant_id': 't-42', email: 'jo@example.com', email_verified: 'true' },
    reachable: true,
  });
  add({
    user: legacy({ username: 'ana@example.es', passwordHash: django(OTHER_PASSWORDS.ana), email: 'ana@example.es', emailVerified: true, phoneNumber: '+34600000100', attributes: { locale: 'es-ES' } }),
    password: OTHER_PASSWORDS.ana,
    attributes: { locale: 'es-ES', email: 'ana@example.es', email_verified: 'true', phone_number: '+34600000100', phone_number_verified: 'false' },
    reachable: true,
  });
  add({
    user: legacy({ username: 'sam', passwordHash: ssha(OTHER_PASSWORDS.sam), phoneNumber: '+15555550100', phoneNumberVerified: true }),
    password: OTHER_PASSWORDS.sam,
    attributes: { phone_number: '+15555550100', phone_number_verified: 'true' },
    reachable: true,
  });
  add({
    user: legacy({ username: 'argon@example.com', passwordHash: argon, email: 'argon@example.com', emailVerified: true }),
    password: OTHER_PASSWORDS.argon,
    attributes: { email: 'argon@example.com', email_verified: 'true' },
    reachable: true,
  });
  add({ user: legacy({ username: 'former@example.com', passwordHash: bcrypt, email: 'former@example.com', emailVerified: true, disabled: true }), password: undefined, attributes: undefined, reachable: false });
  add({ user: legacy({ username: 'nocontact@example.com', passwordHash: bcrypt, email: 'nocontact@example.com' }), password: PASSWORD, attributes: { email: 'nocontact@example.com', email_verified: 'false' }, reachable: false });
  add({ user: legacy({ username: 'badattr@example.com', passwordHash: bcrypt, email: 'badattr@example.com', emailVerified: true, attributes: { nickname2: 'x' } }), password: undefined, attributes: undefined, reachable: false });
  // A hash that cannot be checked never lets anyone in, but forgot-password still reaches the user.
  add({ user: legacy({ username: 'malformed@example.com', passwordHash: '$2b$04$tooshort', email: 'malformed@example.com', emailVerified: true }), password: undefined, attributes: { email: 'malformed@example.com', email_verified: 'true' }, reachable: true });
});

const directory: LegacyDirectory = {
  async findUser(userName) {
    return (entries.get(userName) ?? entries.get(userName.toLowerCase()))?.user;
  },
};

/** Everything any logger writes, so a test can check that no password is ever logged. */
const logs = capturingLogger();
const containerTarget = containerLogger as unknown as { console: unknown };
const originalConsole = containerTarget.console;
beforeAll(() => {
  const sink = (...args: unknown[]) => void logs.lines.push(args.map(String).join(' '));
  containerTarget.console = { log: sink, info: sink, warn: sink, error: sink, debug: sink, trace: sink };
});
afterAll(() => {
  containerTarget.console = originalConsole;
});

const migrate = makeUserMigrationHandler({ config: { legacyUsersTable: 'legacy-users', dummyHashCost: 4 }, directory, logger: logs.logger });

function entryFor(userName: unknown): Entry | undefined {
  if (typeof userName !== 'string') return undefined;
  return entries.get(userName) ?? entries.get(userName.toLowerCase());
}

const userNameJunk = fc.oneof(
  fc.constantFrom('jo@example.com', 'JO@EXAMPLE.COM', 'Jo@Example.com', 'ana@example.es', 'sam', 'SAM', 'argon@example.com', 'former@example.com', 'nocontact@example.com', 'badattr@example.com', 'malformed@example.com', 'nobody@example.com', 'jo@example.com ', 'İ@example.com'),
  oddString,
  hugeString,
);
const PASSWORD_VARIANTS = [PASSWORD, ...Object.values(OTHER_PASSWORDS), ` ${PASSWORD}`, PASSWORD.toUpperCase(), `${PASSWORD}\u0000`, 'wrong password'];
/** Passwords too distinctive to appear in a log line by chance (the checks below look for them). */
const DISTINCTIVE_PASSWORDS = new Set(PASSWORD_VARIANTS);
const passwordJunk = fc.oneof(fc.constantFrom('', ...PASSWORD_VARIANTS), oddString, hugeString, jsonJunk);
const responseJunk = fc.oneof(freshFrom<unknown>({}, [], { userAttributes: { email: 'evil@example.com' } }), prototypeJunk, jsonJunk);
const fieldJunk = fc.oneof(triggerSourceJunk, userNameJunk, passwordJunk, responseJunk, jsonJunk);

const tally = { migrated: 0, refused: 0 };

/** A valid answer: the directory's profile for this user, and the status the trigger source calls for. */
function expectMigrationAnswer(result: unknown, event: any): void {
  const response = asCognitoSeesIt(result)?.response;
  const entry = entryFor(event.userName);
  expect(entry, 'only a user the directory holds is migrated').toBeDefined();
  expect(isStringMap(response?.userAttributes), 'userAttributes is a string map').toBe(true);
  expect(response.userAttributes).toEqual(entry?.attributes);
  expect(response.messageAction).toBe('SUPPRESS');
  if (event.triggerSource === 'UserMigration_Authentication') {
    expect(entry?.password, 'this user can sign in at all').toBeDefined();
    expect(event.request.password, 'only the right password migrates').toBe(entry?.password);
    expect(response.finalUserStatus).toBe('CONFIRMED');
  } else {
    expect(event.triggerSource).toBe('UserMigration_ForgotPassword');
    expect(entry?.reachable, 'forgot-password only for an enabled user with a verified contact').toBe(true);
  }
}

async function runOne(event: any) {
  logs.lines.length = 0;
  const password = event?.request?.password;
  const outcome = await settle(() => migrate(event));
  if (outcome.ok) {
    tally.migrated += 1;
    expectMigrationAnswer(outcome.value, event);
  } else {
    tally.refused += 1;
    expectSuiteRefusal(outcome.error);
  }
  // A distinctive password that appears nowhere else in the event (one pasted into triggerSource is logged as the trigger source).
  const elsewhere = typeof password === 'string' ? JSON.stringify({ ...event, request: { ...event.request, password: undefined } }) ?? '' : '';
  if (typeof password === 'string' && DISTINCTIVE_PASSWORDS.has(password) && !elsewhere.includes(password)) {
    expect(logs.text().includes(password), 'the password is never logged').toBe(false);
  }
  expectNoPrototypePollution();
}

describe('the user migration trigger under random and mutated events', () => {
  it('answers a mutated sample event with the directory profile, or refuses with a TriggerError (2,500 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedEvent(SAMPLES, fieldJunk), async (event: any) => {
        fc.pre(!Array.isArray(event?.response)); // the array case is its own (failing) test below
        await runOne(event);
      }),
      { numRuns: 2_500 },
    );
    expect(tally.migrated).toBeGreaterThan(100);
    console.info(`Migration, mutated events: ${JSON.stringify(tally)}`);
  }, 60_000);

  it('answers anything at all (fc.anything) with the directory profile or a TriggerError (1,500 runs)', async () => {
    Object.assign(tally, { migrated: 0, refused: 0 });
    const eventArb = fc.oneof(
      anyJunk,
      fc.record({
        triggerSource: fc.oneof({ arbitrary: fc.constantFrom('UserMigration_Authentication', 'UserMigration_ForgotPassword'), weight: 4 }, anyJunk),
        userName: fc.oneof({ arbitrary: userNameJunk, weight: 3 }, anyJunk),
        request: fc.oneof(
          { arbitrary: fc.record({ password: fc.oneof({ arbitrary: passwordJunk, weight: 3 }, anyJunk), validationData: anyJunk, clientMetadata: anyJunk }, { requiredKeys: [] }), weight: 3 },
          anyJunk,
        ),
        response: fc.oneof({ arbitrary: freshFrom({}), weight: 3 }, anyJunk),
      }),
    );
    await fc.assert(
      fc.asyncProperty(eventArb, async (event: any) => {
        fc.pre(!Array.isArray(event?.response));
        await runOne(event);
      }),
      { numRuns: 1_500 },
    );
    expect(tally.migrated).toBeGreaterThan(5);
    console.info(`Migration, anything: ${JSON.stringify(tally)}`);
  }, 60_000);


  it('an event whose response is an array is refused, not answered with an empty array (50 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SAMPLES), async (base: any) => {
        const event = structuredClone(base);
        event.response = [];
        await runOne(event);
      }),
      { numRuns: 50 },
    );
  });
});
