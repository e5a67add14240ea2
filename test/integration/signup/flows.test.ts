import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makePreSignUpHandler } from '../../../functions/preSignUp/handler.js';
import { CognitoError } from '../../../local/cognitoHarness.js';
import { LocalSignUpPool, SignUpError } from '../../../local/signupPool.js';
import { createDynamoDb } from '../../../shared/aws/services.js';
import type { LegacyDirectory } from '../../../shared/migration/directory.js';
import { loadSignUpConfig } from '../../../shared/signup/config.js';
import { createFirstSignIn } from '../../../shared/signup/firstSignIn.js';
import { createDynamoPendingSignUpStore } from '../../../shared/signup/pendingStore.js';
import { capturingLogger } from '../../support/logs.js';
import { buildTriggers, challenge, lastCodeSentTo, messageCount, TEST_SECRET, testClock, useLocalSuite } from '../../support/suite.js';
import { directoryOf } from '../../unit/signup/helpers.js';

/**
 * Whole sign-up flows on the stand-ins: SignUp (LocalSignUpPool firing our preSignUp), then CUSTOM_AUTH
 * sign-ins (the harness running Define, Create, Verify), codes captured by the SES/SNS stand-ins, code
 * state and the pending first sign-in in dynalite. cognito-local cannot run these: it has no CUSTOM_AUTH,
 * no federation and no AdminLinkProviderForUser (see cognitoLocal.test.ts for what it does run).
 */

const suite = useLocalSuite();
const REFUSAL = 'PreSignUp failed with error Sign-up could not be completed with these details. Please check them or contact support..';
let counter = 0;
const unique = (local: string, domain = 'example.com') => `${local}-${(counter += 1)}-${Date.now() % 100_000}@${domain}`;
const wrong = (code: string) => (code === '000000' ? '111111' : '000000');

function setup(options: { env?: Record<string, string>; directory?: LegacyDirectory } = {}) {
  const env = {
    OTP_TABLE: 'otp-test',
    OTP_SECRET: TEST_SECRET,
    OTP_CHANNELS: 'EMAIL,SMS',
    SMS_ALLOWED_COUNTRIES: 'US,CA,ES',
    OTP_RESEND_COOLDOWN_SECONDS: '0',
    ...options.env,
  };
  const clock = testClock();
  const log = capturingLogger();
  const dynamo = createDynamoDb({ endpoint: suite.aws.dynamo.endpoint });
  const pending = createDynamoPendingSignUpStore(dynamo, 'otp-test');
  const signUpConfig = loadSignUpConfig(env);
  // The pool calls preSignUp; preSignUp calls the pool's admin API.
  const pool: LocalSignUpPool = new LocalSignUpPool({ preSignUp: (event) => preSignUp(event) });
  const preSignUp = makePreSignUpHandler({ config: signUpConfig, directory: options.directory, pending, admin: pool.admin, logger: log.logger, now: clock.now });
  const firstSignIn = createFirstSignIn({
    pending,
    admin: pool.admin,
    secret: signUpConfig.secret,
    channels: signUpConfig.channels,
    smsAllowedCountries: signUpConfig.smsAllowedCountries,
    logger: log.logger,
  });
  const { harness, logs } = buildTriggers(suite.aws, env, clock, { firstSignIn });
  const cognito = harness({ users: pool.users });
  /** InitiateAuth (CUSTOM_AUTH) as the user types the address, then the code sent to `address`; tokens or the Cognito error. */
  async function signIn(typed: string, address = typed) {
    const userName = pool.userNameFor(typed) ?? typed;
    const first = challenge(await cognito.initiateAuth(userName));
    return cognito.respond(first.session, { answer: await lastCodeSentTo(suite.aws, address) });
  }
  return { pool, cognito, signIn, logs, log, clock, pending };
}

const passwordless = { passwordlessSignUp: 'true' };
const randomPassword = () => `${randomBytes(24).toString('base64url')}aA1!`;

describe('passwordless sign-up, then sign-in with a code', () => {
  it('SignUp → the first code goes to the unverified address → tokens, and the address is verified; no other message is sent; nothing secret logged', async () => {
    const { pool, cognito, log, logs } = setup();
    const email = unique('nia');
    const created = await pool.signUp({ username: email, password: randomPassword(), clientMetadata: passwordless });
    expect(created.userConfirmed).toBe(true);
    expect(pool.users[created.userName]?.attributes.email_verified).toBeUndefined();
    expect(await messageCount(suite.aws)).toBe(0); // sign-up itself sends nothing

    const first = challenge(await cognito.initiateAuth(created.userName));
    expect(first.parameters).toMatchObject({ channel: 'EMAIL', destination: expect.stringMatching(/^n\*\*\*@e\*\*\*\.com$/) });
    expect(await messageCount(suite.aws)).toBe(1);
    const code = await lastCodeSentTo(suite.aws, email);
    const second = challenge(await cognito.respond(first.session, { answer: wrong(code) }));
    expect(pool.users[created.userName]?.attributes.email_verified).toBeUndefined(); // a wrong code proves nothing
    expect(await cognito.respond(second.session, { answer: code })).toMatchObject({ kind: 'tokens' });
    expect(pool.users[created.userName]?.attributes.email_verified).toBe('true');
    for (const secret of [code, TEST_SECRET, email]) expect(`${log.text()}\n${logs.text()}`).not.toContain(secret);
  });

  it('whoever created the account keeps no way in: the sign-up password is replaced and its sessions signed out', async () => {
    const { pool, signIn } = setup();
    const email = unique('squat');
    const password = randomPassword();
    const { userName } = await pool.signUp({ username: email, password, clientMetadata: passwordless });
    expect(await signIn(email)).toMatchObject({ kind: 'tokens' });
    expect(pool.users[userName]?.password).not.toBe(password);
    expect(pool.users[userName]?.globalSignOuts).toBe(1);
  });

  it('a second sign-in goes to the now verified address through the usual path, and claims nothing again', async () => {
    const { pool, signIn } = setup();
    const email = unique('twice');
    const { userName } = await pool.signUp({ username: email, clientMetadata: passwordless });
    expect(await signIn(email)).toMatchObject({ kind: 'tokens' });
    expect(await signIn(email)).toMatchObject({ kind: 'tokens' });
    expect(pool.users[userName]?.globalSignOuts).toBe(1);
  });

  it('twenty first sign-ins at once send one code; answering every session with it gives tokens once and claims the account once', async () => {
    const { pool, cognito } = setup();
    const email = unique('rush');
    const { userName } = await pool.signUp({ username: email, clientMetadata: passwordless });
    const started = await Promise.allSettled(Array.from({ length: 20 }, () => cognito.initiateAuth(userName).then(challenge)));
    // Creates racing on one user: each stores the code or offers the one stored; one that loses twice answers "try again".
    for (const result of started) {
      if (result.status === 'rejected') expect((result.reason as Error).message).toContain('Sign-in is temporarily unavailable');
    }
    const challenges = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    expect(challenges.length).toBeGreaterThan(0);
    expect(await messageCount(suite.aws)).toBe(1);
    const code = await lastCodeSentTo(suite.aws, email);
    const outcomes = await Promise.all(challenges.map((c) => cognito.respond(c.session, { answer: code }).catch((error: unknown) => error)));
    expect(outcomes.filter((outcome) => (outcome as { kind?: string }).kind === 'tokens')).toHaveLength(1);
    expect(pool.users[userName]?.globalSignOuts).toBe(1);
    expect(pool.users[userName]?.attributes.email_verified).toBe('true');
  });

  it('a phone sign-up gets its first code by SMS and the number is verified', async () => {
    const { pool, signIn } = setup();
    const phone = `+1201555${String(1000 + (counter++ % 9000)).padStart(4, '0')}`;
    const { userName } = await pool.signUp({ username: phone, clientMetadata: passwordless });
    expect(await signIn(phone)).toMatchObject({ kind: 'tokens' });
    expect(pool.users[userName]?.attributes.phone_number_verified).toBe('true');
  });

  it('when marking the address verified fails, the sign-in still succeeds, the failure is logged, and the next sign-in tries again', async () => {
    const { pool, signIn, log } = setup();
    const email = unique('retry');
    const { userName } = await pool.signUp({ username: email, clientMetadata: passwordless });
    pool.failClaims = 1;
    expect(await signIn(email)).toMatchObject({ kind: 'tokens' });
    expect(pool.users[userName]?.attributes.email_verified).toBeUndefined();
    expect(log.text()).toContain('Marking the sign-up address verified failed; tried again at the next sign-in');
    expect(await signIn(email)).toMatchObject({ kind: 'tokens' });
    expect(pool.users[userName]?.attributes.email_verified).toBe('true');
  });

  it('a password sign-up is left to Cognito: unconfirmed, and no code goes to its unverified address', async () => {
    const { pool, cognito } = setup();
    const email = unique('pat');
    const { userConfirmed, userName } = await pool.signUp({ username: email, password: randomPassword() });
    expect(userConfirmed).toBe(false);
    challenge(await cognito.initiateAuth(userName));
    expect(await messageCount(suite.aws)).toBe(0);
  });
});

describe('who may sign up', () => {
  it('a sign-up squatting a legacy user’s address is refused with the generic text; the legacy user is untouched', async () => {
    const { pool } = setup({ directory: directoryOf(['ana@example.es']) });
    for (const clientMetadata of [passwordless, undefined]) {
      const error = await pool.signUp({ username: 'ana@example.es', ...(clientMetadata ? { clientMetadata } : {}) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SignUpError);
      expect(error).toMatchObject({ code: 'UserLambdaValidationException', message: REFUSAL });
    }
    expect(pool.userNameFor('ana@example.es')).toBeUndefined();
  });

  it('email-domain lists: the allow-list admits its domains and subdomains only; the block-list refuses its own', async () => {
    const { pool } = setup({ env: { SIGNUP_ALLOWED_EMAIL_DOMAINS: 'example.com', SIGNUP_BLOCKED_EMAIL_DOMAINS: 'guests.example.com' } });
    await expect(pool.signUp({ username: unique('a'), clientMetadata: passwordless })).resolves.toMatchObject({ userConfirmed: true });
    await expect(pool.signUp({ username: unique('b', 'eu.example.com'), clientMetadata: passwordless })).resolves.toMatchObject({ userConfirmed: true });
    await expect(pool.signUp({ username: unique('c', 'example.org'), clientMetadata: passwordless })).rejects.toMatchObject({ message: REFUSAL });
    await expect(pool.signUp({ username: unique('d', 'guests.example.com'), clientMetadata: passwordless })).rejects.toMatchObject({ message: REFUSAL });
  });

  it('phone sign-ups only to mobile numbers in SMS_ALLOWED_COUNTRIES', async () => {
    const { pool } = setup();
    await expect(pool.signUp({ username: '+447400123456', clientMetadata: passwordless })).rejects.toMatchObject({ message: REFUSAL }); // GB not allowed
    await expect(pool.signUp({ username: '+12025550123', clientMetadata: passwordless, attributes: {} })).resolves.toBeDefined();
  });

  it('send limits apply to the sign-up code: one address is not texted or mailed past OTP_MAX_SENDS_PER_DESTINATION', async () => {
    const { pool, cognito, clock } = setup({ env: { OTP_MAX_SENDS_PER_DESTINATION: '2' } });
    const email = unique('bomb');
    const { userName } = await pool.signUp({ username: email, clientMetadata: passwordless });
    challenge(await cognito.initiateAuth(userName));
    clock.advance(21_000); // past the window in which a repeat is taken for Cognito's retry
    challenge(await cognito.initiateAuth(userName));
    clock.advance(21_000);
    await expect(cognito.initiateAuth(userName)).rejects.toBeInstanceOf(CognitoError);
    expect(await messageCount(suite.aws)).toBe(2);
  });

  it('lockout applies to the sign-up code: wrong answers past the threshold lock the account, and the address stays unverified', async () => {
    const { pool, cognito } = setup({ env: { OTP_LOCKOUT_THRESHOLD: '2', OTP_MAX_ATTEMPTS: '3' } });
    const email = unique('guess');
    const { userName } = await pool.signUp({ username: email, clientMetadata: passwordless });
    const first = challenge(await cognito.initiateAuth(userName));
    const code = await lastCodeSentTo(suite.aws, email);
    const second = challenge(await cognito.respond(first.session, { answer: wrong(code) }));
    const outcome = await cognito.respond(second.session, { answer: wrong(code) }).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(CognitoError);
    await expect(cognito.initiateAuth(userName)).rejects.toBeInstanceOf(CognitoError);
    expect(pool.users[userName]?.attributes.email_verified).toBeUndefined();
  });
});

describe('a code never goes to an unverified address outside the first sign-in of a passwordless account', () => {
  it('an address the user changed to later, after the first sign-in, receives nothing', async () => {
    const { pool, cognito, signIn } = setup();
    const email = unique('mover');
    const { userName } = await pool.signUp({ username: email, clientMetadata: passwordless });
    expect(await signIn(email)).toMatchObject({ kind: 'tokens' });
    const changed = unique('typo');
    pool.changeAddress(userName, 'email', changed);
    const before = await messageCount(suite.aws);
    challenge(await cognito.initiateAuth(userName)); // a decoy challenge
    expect(await messageCount(suite.aws)).toBe(before);
  });

  it('an address changed before the first sign-in receives nothing either (the record names the sign-up address)', async () => {
    const { pool, cognito } = setup();
    const { userName } = await pool.signUp({ username: unique('early'), clientMetadata: passwordless });
    pool.changeAddress(userName, 'email', unique('other'));
    challenge(await cognito.initiateAuth(userName));
    expect(await messageCount(suite.aws)).toBe(0);
  });

  it('an account made another way (by an administrator) with an unverified address receives nothing', async () => {
    const { pool, cognito } = setup();
    const userName = pool.adminCreateUser({ email: unique('staff'), email_verified: 'false' });
    challenge(await cognito.initiateAuth(userName));
    expect(await messageCount(suite.aws)).toBe(0);
  });

  it('past SIGNUP_FIRST_SIGN_IN_DAYS, the first sign-in gets no code', async () => {
    const { pool, cognito, clock } = setup({ env: { SIGNUP_FIRST_SIGN_IN_DAYS: '1' } });
    const { userName } = await pool.signUp({ username: unique('late'), clientMetadata: passwordless });
    clock.advance(86_400_000 + 1);
    challenge(await cognito.initiateAuth(userName));
    expect(await messageCount(suite.aws)).toBe(0);
  });
});

describe('federated sign-in and linking', () => {
  async function withNativeUser(env: Record<string, string>) {
    const context = setup({ env });
    const email = unique('jo');
    const { userName } = await context.pool.signUp({ username: email, clientMetadata: passwordless });
    expect(await context.signIn(email)).toMatchObject({ kind: 'tokens' }); // email now verified
    return { ...context, email, native: userName };
  }

  it('off by default: the Google sign-in becomes a second user', async () => {
    const { pool, email, native } = await withNativeUser({});
    const landed = await pool.federatedSignIn('Google', '1098765', { email, email_verified: 'true' });
    expect(landed).toEqual({ userName: 'Google_1098765', created: true });
    expect(landed.userName).not.toBe(native);
  });

  it('on for Google: the first Google sign-in lands on the existing user (one sub, one set of groups), and so do later ones', async () => {
    const { pool, email, native } = await withNativeUser({ SIGNUP_LINK_PROVIDERS: 'Google' });
    expect(await pool.federatedSignIn('Google', '1098765', { email, email_verified: 'true' })).toEqual({ userName: native, created: false });
    expect(await pool.federatedSignIn('Google', '1098765', { email, email_verified: 'true' })).toEqual({ userName: native, created: false });
    expect(pool.users[native]?.identities).toEqual([{ providerName: 'Google', subject: '1098765' }]);
  });

  it('never on an email the provider does not assert as verified, nor for a provider not on the list', async () => {
    const { pool, email } = await withNativeUser({ SIGNUP_LINK_PROVIDERS: 'Google' });
    expect((await pool.federatedSignIn('Google', '1', { email, email_verified: 'false' })).created).toBe(true);
    expect((await pool.federatedSignIn('Facebook', '2', { email, email_verified: 'true' })).created).toBe(true);
  });

  it('never to a native user whose email is not verified yet (a passwordless account before its first sign-in)', async () => {
    const { pool } = setup({ env: { SIGNUP_LINK_PROVIDERS: 'Google' } });
    const email = unique('pending');
    await pool.signUp({ username: email, clientMetadata: passwordless });
    expect((await pool.federatedSignIn('Google', '3', { email, email_verified: 'true' })).created).toBe(true);
  });
});
