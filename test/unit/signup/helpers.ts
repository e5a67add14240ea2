import { randomBytes } from 'node:crypto';
import type { LegacyDirectory } from '../../../shared/migration/directory.js';
import type { LegacyUser } from '../../../shared/migration/legacyUser.js';
import type { SignUpConfig } from '../../../shared/signup/config.js';
import type { PendingSignUp, PendingSignUpStore } from '../../../shared/signup/pendingStore.js';
import type { PoolUser, UserPoolAdmin } from '../../../shared/signup/userPoolAdmin.js';

export const SECRET = randomBytes(32);

export function signUpConfig(overrides: Partial<SignUpConfig> = {}): SignUpConfig {
  return {
    channels: ['EMAIL', 'SMS'],
    smsAllowedCountries: new Set(['US', 'GB']),
    allowedEmailDomains: [],
    blockedEmailDomains: [],
    linkProviders: [],
    legacyUsersTable: undefined,
    tableName: 'otp',
    secret: SECRET,
    firstSignInDays: 30,
    ...overrides,
  };
}

/** A pending-sign-up store in memory, with what was recorded visible to the test. */
export function memoryPendingStore(): PendingSignUpStore & { items: Map<string, PendingSignUp & { expiresAt: number; closedAt?: number }> } {
  const items = new Map<string, PendingSignUp & { expiresAt: number; closedAt?: number }>();
  return {
    items,
    async record(userName, pending, expiresAt) {
      items.set(userName, { ...pending, expiresAt });
    },
    async read(userName, now) {
      const item = items.get(userName);
      if (item === undefined || item.closedAt !== undefined || item.expiresAt <= now) return undefined;
      return { channel: item.channel, addressHash: item.addressHash, createdAt: item.createdAt };
    },
    async close(userName, now) {
      const item = items.get(userName);
      if (item !== undefined) item.closedAt = now;
    },
  };
}

/** A legacy directory that knows these users by user name (exact, else lower case), like the DynamoDB one. */
export function directoryOf(userNames: string[]): LegacyDirectory & { looked: string[] } {
  const looked: string[] = [];
  return {
    looked,
    async findUser(userName) {
      looked.push(userName);
      const found = userNames.find((name) => name === userName || name === userName.toLowerCase());
      if (found === undefined) return undefined;
      const user: LegacyUser = {
        username: found, passwordHash: 'x', email: undefined, emailVerified: false, phoneNumber: undefined, phoneNumberVerified: false, attributes: {}, disabled: false,
      };
      return user;
    },
  };
}

export interface RecordingAdmin extends UserPoolAdmin {
  links: { userPoolId: string; nativeUserName: string; providerName: string; providerSubject: string }[];
  claims: { userPoolId: string; userName: string; attribute: string; address: string }[];
  listed: string[];
}

export function recordingAdmin(users: PoolUser[] | 'too-many' = []): RecordingAdmin {
  const admin: RecordingAdmin = {
    links: [],
    claims: [],
    listed: [],
    async claimAccount(userPoolId, userName, attribute, address) {
      admin.claims.push({ userPoolId, userName, attribute, address });
    },
    async usersWithEmail(_userPoolId, email) {
      admin.listed.push(email);
      return users;
    },
    async linkProvider(userPoolId, nativeUserName, providerName, providerSubject) {
      admin.links.push({ userPoolId, nativeUserName, providerName, providerSubject });
    },
  };
  return admin;
}

export function nativeUser(userName: string, email: string, verified = true, status = 'CONFIRMED'): PoolUser {
  return { userName, status, enabled: true, attributes: { email, email_verified: verified ? 'true' : 'false' } };
}
