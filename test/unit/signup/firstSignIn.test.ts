import { describe, expect, it } from 'vitest';
import { createFirstSignIn, provingDestination } from '../../../shared/signup/firstSignIn.js';
import { addressHash } from '../../../shared/signup/policy.js';
import { capturingLogger } from '../../support/logs.js';
import { memoryPendingStore, recordingAdmin, SECRET } from './helpers.js';

const EMAIL = 'new.user@example.com';
const pendingEmail = { channel: 'EMAIL' as const, addressHash: addressHash(SECRET, 'EMAIL', EMAIL), createdAt: 0 };
const BOTH = ['EMAIL', 'SMS'] as const;
const US = new Set(['US']);

describe('where the first code of a passwordless account goes', () => {
  it('to the sign-up address while it is unverified, masked like any destination, proving the email', () => {
    expect(provingDestination({ email: EMAIL }, pendingEmail, SECRET, BOTH, US)).toEqual({ channel: 'EMAIL', address: EMAIL, masked: 'n***@e***.com', proves: 'email' });
    expect(provingDestination({ email: 'New.User@Example.com', email_verified: 'false' }, pendingEmail, SECRET, BOTH, US)?.proves).toBe('email');
  });

  it('nowhere without a record, for another address, once verified, or when the channel is off', () => {
    expect(provingDestination({ email: EMAIL }, undefined, SECRET, BOTH, US)).toBeUndefined();
    expect(provingDestination({ email: 'changed@example.com' }, pendingEmail, SECRET, BOTH, US)).toBeUndefined();
    expect(provingDestination({ email: EMAIL, email_verified: 'true' }, pendingEmail, SECRET, BOTH, US)).toBeUndefined();
    expect(provingDestination({ email: EMAIL }, pendingEmail, SECRET, ['SMS'], US)).toBeUndefined();
    expect(provingDestination({ email: EMAIL }, pendingEmail, Buffer.alloc(32, 7), BOTH, US)).toBeUndefined();
  });

  it('by SMS in E.164 only to a mobile number in an allowed country', () => {
    const pendingSms = { channel: 'SMS' as const, addressHash: addressHash(SECRET, 'SMS', '+12015550123'), createdAt: 0 };
    expect(provingDestination({ phone_number: '+1 201 555 0123' }, pendingSms, SECRET, BOTH, US)).toMatchObject({ address: '+12015550123', proves: 'phone_number' });
    expect(provingDestination({ phone_number: '+12015550123' }, pendingSms, SECRET, BOTH, new Set(['CA']))).toBeUndefined();
  });
});

describe('claiming the account after the right code', () => {
  it('claims with the address the code went to and closes the record', async () => {
    const pending = memoryPendingStore();
    await pending.record('u-1', pendingEmail, 10_000);
    const admin = recordingAdmin();
    const firstSignIn = createFirstSignIn({ pending, admin, secret: SECRET, logger: capturingLogger().logger });
    expect(await firstSignIn.proven('us-east-1_P', 'u-1', 'email', EMAIL, 5)).toBe(true);
    expect(admin.claims).toEqual([{ userPoolId: 'us-east-1_P', userName: 'u-1', attribute: 'email', address: EMAIL }]);
    expect(await pending.read('u-1', 6)).toBeUndefined();
  });

  it('a failed claim is logged, never thrown, and leaves the record open for the next sign-in', async () => {
    const pending = memoryPendingStore();
    await pending.record('u-1', pendingEmail, 10_000);
    const admin = recordingAdmin();
    admin.claimAccount = () => Promise.reject(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const log = capturingLogger();
    const firstSignIn = createFirstSignIn({ pending, admin, secret: SECRET, logger: log.logger });
    expect(await firstSignIn.proven('us-east-1_P', 'u-1', 'email', EMAIL, 5)).toBe(false);
    expect(await pending.read('u-1', 6)).toBeDefined();
    expect(log.text()).toContain('Marking the sign-up address verified failed; tried again at the next sign-in');
    expect(log.text()).toContain('AccessDeniedException');
  });

  it('without a pool id (an event that does not say) nothing is claimed, and that is logged', async () => {
    const admin = recordingAdmin();
    const log = capturingLogger();
    const firstSignIn = createFirstSignIn({ pending: memoryPendingStore(), admin, secret: SECRET, logger: log.logger });
    expect(await firstSignIn.proven('', 'u-1', 'email', EMAIL, 5)).toBe(false);
    expect(admin.claims).toEqual([]);
  });

  it('a user with anything verified never costs a read of the record', async () => {
    const pending = memoryPendingStore();
    let reads = 0;
    const counted = { ...pending, read: async (...args: Parameters<typeof pending.read>) => ((reads += 1), pending.read(...args)) };
    const firstSignIn = createFirstSignIn({ pending: counted, secret: SECRET, channels: BOTH, smsAllowedCountries: US, logger: capturingLogger().logger });
    expect(await firstSignIn.destination('u-1', { email: EMAIL, phone_number_verified: 'true' }, 0)).toBeUndefined();
    expect(reads).toBe(0);
  });
});
