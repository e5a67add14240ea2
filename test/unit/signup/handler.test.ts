import { describe, expect, it } from 'vitest';
import { makePreSignUpHandler } from '../../../functions/preSignUp/handler.js';
import { InvalidEventError, TemporaryFailureError } from '../../../shared/errors.js';
import type { LegacyDirectory } from '../../../shared/migration/directory.js';
import type { SignUpConfig } from '../../../shared/signup/config.js';
import { SignUpRefusedError } from '../../../shared/signup/preSignUp.js';
import { addressHash } from '../../../shared/signup/policy.js';
import { capturingLogger } from '../../support/logs.js';
import { sampleEvent } from '../../support/events.js';
import { directoryOf, memoryPendingStore, nativeUser, recordingAdmin, SECRET, signUpConfig, type RecordingAdmin } from './helpers.js';

const NOW = Date.UTC(2026, 11, 3, 8, 0, 0);
const REFUSAL = 'Sign-up could not be completed with these details. Please check them or contact support.';

function setup(options: { config?: Partial<SignUpConfig>; directory?: LegacyDirectory; admin?: RecordingAdmin } = {}) {
  const pending = memoryPendingStore();
  const admin = options.admin ?? recordingAdmin();
  const log = capturingLogger();
  const handler = makePreSignUpHandler({
    config: signUpConfig(options.config),
    directory: options.directory,
    pending,
    admin,
    logger: log.logger,
    now: () => NOW,
  });
  return { handler, pending, admin, log };
}

const refusalOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('preSignUp: self sign-up', () => {
  it('a passwordless sign-up is confirmed at once, nothing verified, and its first-sign-in address recorded as a keyed hash', async () => {
    const { handler, pending, log } = setup();
    const event = sampleEvent('preSignUp/passwordless-email.json');
    const result = await handler(structuredClone(event));
    expect(result).toEqual({ ...event, response: { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false } });
    expect(pending.items.get(event.userName)).toEqual({
      channel: 'EMAIL',
      addressHash: addressHash(SECRET, 'EMAIL', 'new.user@example.com'),
      createdAt: NOW,
      expiresAt: NOW + 30 * 86_400_000,
    });
    expect(log.text()).not.toContain('new.user@example.com');
  });

  it('a passwordless phone sign-up records the phone on SMS', async () => {
    const { handler, pending } = setup();
    const event = sampleEvent('preSignUp/passwordless-phone.json');
    expect((await handler(event)).response.autoConfirmUser).toBe(true);
    expect(pending.items.get(event.userName)?.channel).toBe('SMS');
  });

  it('a password sign-up is left to Cognito (it confirms by its own code) and records nothing', async () => {
    const { handler, pending } = setup();
    const result = await handler(sampleEvent('preSignUp/password-sign-up.json'));
    expect(result.response).toEqual({ autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
    expect(pending.items.size).toBe(0);
  });

  it('whatever the event carried in its response is replaced by the suite’s answer', async () => {
    const { handler } = setup();
    const event = sampleEvent('preSignUp/password-sign-up.json');
    event.response = { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: true, extra: 1 };
    expect((await handler(event)).response).toEqual({ autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
  });

  it('a passwordless sign-up with no address on an enabled channel is refused (a phone only, on an email-only deployment)', async () => {
    const { handler, pending } = setup({ config: { channels: ['EMAIL'] } });
    expect(await refusalOf(handler(sampleEvent('preSignUp/passwordless-phone.json')))).toBeInstanceOf(SignUpRefusedError);
    expect(pending.items.size).toBe(0);
  });

  it('an email on a blocked domain, or off the allow-list, is refused — password sign-ups too', async () => {
    const blocked = setup({ config: { blockedEmailDomains: ['example.com'] } });
    expect(await refusalOf(blocked.handler(sampleEvent('preSignUp/passwordless-email.json')))).toBeInstanceOf(SignUpRefusedError);
    const allowList = setup({ config: { allowedEmailDomains: ['example.net'] } });
    expect(await refusalOf(allowList.handler(sampleEvent('preSignUp/password-sign-up.json')))).toBeInstanceOf(SignUpRefusedError);
    expect(await allowList.handler(sampleEvent('preSignUp/passwordless-phone.json'))).toMatchObject({ response: { autoConfirmUser: true } });
  });

  it('a fixed-line number, or a mobile number outside SMS_ALLOWED_COUNTRIES, is refused', async () => {
    const { handler } = setup();
    expect(await refusalOf(handler(sampleEvent('preSignUp/landline-phone.json')))).toBeInstanceOf(SignUpRefusedError);
    const usOnly = setup({ config: { smsAllowedCountries: new Set(['US']) } });
    expect(await refusalOf(usOnly.handler(sampleEvent('preSignUp/passwordless-phone.json')))).toBeInstanceOf(SignUpRefusedError);
  });

  it('a sign-up using a legacy user’s email is refused with the same text as any refusal, saying nothing of the directory', async () => {
    const directory = directoryOf(['ana@example.es']);
    const { handler, pending, log } = setup({ directory });
    const error = await refusalOf(handler(sampleEvent('preSignUp/legacy-address.json')));
    expect(error).toBeInstanceOf(SignUpRefusedError);
    expect((error as Error).message).toBe(REFUSAL);
    expect((error as Error).message).not.toMatch(/legacy|migrat|exist/i);
    expect(pending.items.size).toBe(0);
    expect(log.text()).toContain('"reason":"legacy-user"');
    const blockedDomain = setup({ config: { blockedEmailDomains: ['example.es'] } });
    expect(((await refusalOf(blockedDomain.handler(sampleEvent('preSignUp/legacy-address.json')))) as Error).message).toBe(REFUSAL);
  });

  it('a legacy user’s phone number (as typed or in E.164) or user name is refused too; password sign-ups as well', async () => {
    const byPhone = setup({ directory: directoryOf(['+447400123456']) });
    const phoneEvent = sampleEvent('preSignUp/passwordless-phone.json');
    phoneEvent.request.userAttributes.phone_number = '+44 7400 123456';
    expect(await refusalOf(byPhone.handler(phoneEvent))).toBeInstanceOf(SignUpRefusedError);
    const byName = setup({ directory: directoryOf(['pat']) });
    const nameEvent = sampleEvent('preSignUp/password-sign-up.json');
    nameEvent.userName = 'Pat';
    expect(await refusalOf(byName.handler(nameEvent))).toBeInstanceOf(SignUpRefusedError);
  });

  it('only a look-up: the directory is asked for names, never given a password', async () => {
    const directory = directoryOf([]);
    const { handler } = setup({ directory });
    await handler(sampleEvent('preSignUp/passwordless-email.json'));
    expect(directory.looked.sort()).toEqual(['7f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b', 'new.user@example.com']);
  });

  it('a directory that fails refuses the sign-up as a temporary failure (fails closed); a table that does not exist protects no one', async () => {
    const failing: LegacyDirectory = { findUser: () => Promise.reject(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' })) };
    const { handler, log } = setup({ directory: failing });
    expect(await refusalOf(handler(sampleEvent('preSignUp/passwordless-email.json')))).toBeInstanceOf(TemporaryFailureError);
    expect(log.text()).toContain('Looking up the legacy directory failed');
    const missing: LegacyDirectory = { findUser: () => Promise.reject(Object.assign(new Error('no table'), { name: 'ResourceNotFoundException' })) };
    expect((await setup({ directory: missing }).handler(sampleEvent('preSignUp/passwordless-email.json'))).response.autoConfirmUser).toBe(true);
  });

  it('a failure to record the pending first sign-in fails the sign-up (no account whose first code could not be sent)', async () => {
    const { handler, pending } = setup();
    pending.record = () => Promise.reject(new Error('DynamoDB down'));
    expect(await refusalOf(handler(sampleEvent('preSignUp/passwordless-email.json')))).toBeInstanceOf(TemporaryFailureError);
  });
});

describe('preSignUp: administrators and federated sign-ins', () => {
  it('AdminCreateUser is the administrator’s decision: no checks, nothing recorded', async () => {
    const { handler, pending } = setup({ config: { blockedEmailDomains: ['example.com'] }, directory: directoryOf(['staff@example.com']) });
    expect((await handler(sampleEvent('preSignUp/admin-create-user.json'))).response.autoConfirmUser).toBe(false);
    expect(pending.items.size).toBe(0);
  });

  it('linking is off by default: a federated sign-in becomes a new user, nobody is looked up', async () => {
    const admin = recordingAdmin([nativeUser('u-jo', 'jo@example.com')]);
    const { handler } = setup({ admin });
    await handler(sampleEvent('preSignUp/external-provider-google.json'));
    expect(admin.listed).toEqual([]);
    expect(admin.links).toEqual([]);
  });

  it('with the provider enabled, a verified email matching one verified native user links the identity to that user', async () => {
    const admin = recordingAdmin([nativeUser('u-jo', 'jo@example.com')]);
    const { handler } = setup({ admin, config: { linkProviders: ['Google'] } });
    const result = await handler(sampleEvent('preSignUp/external-provider-google.json'));
    expect(result.response).toEqual({ autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
    expect(admin.links).toEqual([{ userPoolId: 'us-east-1_EXAMPLE', nativeUserName: 'u-jo', providerName: 'Google', providerSubject: '109876543210987654321' }]);
  });

  it('never on an unverified email from the provider', async () => {
    const admin = recordingAdmin([nativeUser('u-jo', 'jo@example.com')]);
    const { handler } = setup({ admin, config: { linkProviders: ['Google'] } });
    await handler(sampleEvent('preSignUp/external-provider-unverified-email.json'));
    expect(admin.listed).toEqual([]);
    expect(admin.links).toEqual([]);
  });

  it('not when the native user’s email is unverified, nor when two native users have it', async () => {
    for (const users of [[nativeUser('u-jo', 'jo@example.com', false)], [nativeUser('a', 'jo@example.com'), nativeUser('b', 'jo@example.com')]]) {
      const admin = recordingAdmin(users);
      await setup({ admin, config: { linkProviders: ['Google'] } }).handler(sampleEvent('preSignUp/external-provider-google.json'));
      expect(admin.links).toEqual([]);
    }
  });

  it('a provider that is not on the list is not linked even with a verified match', async () => {
    const admin = recordingAdmin([nativeUser('u-jo', 'jo@example.com')]);
    await setup({ admin, config: { linkProviders: ['Facebook'] } }).handler(sampleEvent('preSignUp/external-provider-google.json'));
    expect(admin.links).toEqual([]);
  });

  it('a failing link fails the sign-in (retryable) rather than creating a second account for the person', async () => {
    const admin = recordingAdmin([nativeUser('u-jo', 'jo@example.com')]);
    admin.linkProvider = () => Promise.reject(Object.assign(new Error('rate exceeded'), { name: 'TooManyRequestsException' }));
    const { handler, log } = setup({ admin, config: { linkProviders: ['Google'] } });
    expect(await refusalOf(handler(sampleEvent('preSignUp/external-provider-google.json')))).toBeInstanceOf(TemporaryFailureError);
    expect(log.text()).toContain('Linking the federated identity failed');
  });
});

describe('preSignUp: malformed events', () => {
  it('an unknown trigger source or a missing user pool id is an invalid event', async () => {
    const { handler } = setup();
    const event = sampleEvent('preSignUp/password-sign-up.json');
    expect(await refusalOf(handler({ ...event, triggerSource: 'PostConfirmation_ConfirmSignUp' }))).toBeInstanceOf(InvalidEventError);
    expect(await refusalOf(handler({ ...event, userPoolId: undefined }))).toBeInstanceOf(InvalidEventError);
    expect(await refusalOf(handler({ ...event, request: { userAttributes: { email: 5 } } }))).toBeInstanceOf(InvalidEventError);
  });
});
