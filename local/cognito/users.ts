import { randomUUID } from 'node:crypto';
import { CognitoError } from './errors.js';
import { makePasswordVerifier, passwordMatches, type PasswordVerifier } from './srp.js';
import { srpPoolName, type PoolConfig } from './pool.js';

/**
 * The pool's users, in memory. With UsernameAttributes (the suite's pool: email and phone_number)
 * the user name is a UUID equal to `sub`, and people sign in with their email or phone number,
 * case-insensitively for email (UsernameConfiguration CaseSensitive=false).
 */

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'RESET_REQUIRED' | 'FORCE_CHANGE_PASSWORD';

export interface PendingCode {
  purpose: 'signUp' | 'forgotPassword';
  attribute: 'email' | 'phone_number';
  code: string;
  expiresAt: number;
}

export interface PoolUser {
  username: string;
  attributes: Record<string, string>;
  status: UserStatus;
  enabled: boolean;
  password: PasswordVerifier | undefined;
  groups: string[];
  createdAt: number;
  modifiedAt: number;
  pendingCode: PendingCode | undefined;
}

export class UserStore {
  private readonly users = new Map<string, PoolUser>();

  constructor(
    private readonly pool: PoolConfig,
    private readonly now: () => number,
  ) {}

  private normalise(value: string): string {
    return this.pool.caseSensitiveUsernames ? value : value.toLowerCase();
  }

  /** By user name or by a sign-in alias (email, phone number). */
  find(name: string): PoolUser | undefined {
    const direct = this.users.get(this.normalise(name));
    if (direct) return direct;
    const wanted = this.normalise(name);
    for (const user of this.users.values()) {
      for (const alias of this.pool.usernameAttributes) {
        const value = user.attributes[alias];
        if (value !== undefined && (alias === 'email' ? this.normalise(value) === wanted : value === name)) return user;
      }
    }
    return undefined;
  }

  all(): PoolUser[] {
    return [...this.users.values()];
  }

  /** The alias attribute a sign-in name is, when the pool signs in by alias. */
  aliasOf(name: string): 'email' | 'phone_number' | undefined {
    if (this.pool.usernameAttributes.includes('email') && /^[^\s@]+@[^\s@]+$/.test(name)) return 'email';
    if (this.pool.usernameAttributes.includes('phone_number') && /^\+[1-9]\d{4,14}$/.test(name)) return 'phone_number';
    return undefined;
  }

  /**
   * The user name and attributes a new user would get, or Cognito's error. In an alias pool the
   * name must be an email or phone number and becomes that attribute; the user name is a fresh UUID.
   */
  plan(name: string, givenAttributes: Record<string, string> = {}): { username: string; attributes: Record<string, string> } {
    const attributes: Record<string, string> = { ...givenAttributes };
    delete attributes.sub;
    let username = name;
    if (this.pool.usernameAttributes.length > 0) {
      const alias = this.aliasOf(name);
      if (alias === undefined) throw new CognitoError('InvalidParameterException', 'Username should be either an email or a phone number.');
      attributes[alias] ??= name;
      username = randomUUID();
    }
    for (const alias of this.pool.usernameAttributes) {
      const value = attributes[alias];
      if (value !== undefined && this.find(value)) {
        throw new CognitoError('UsernameExistsException', alias === 'email' ? 'An account with the given email already exists.' : 'An account with the given phone_number already exists.');
      }
    }
    if (this.users.has(this.normalise(username))) throw new CognitoError('UsernameExistsException', 'User already exists');
    return { username, attributes };
  }

  create(input: { name: string; attributes?: Record<string, string>; password?: string; status: UserStatus; planned?: { username: string; attributes: Record<string, string> } }): PoolUser {
    const { username, attributes } = input.planned ?? this.plan(input.name, input.attributes);
    const sub = this.pool.usernameAttributes.length > 0 ? username : randomUUID();
    const now = this.now();
    const user: PoolUser = {
      username,
      attributes: { sub, ...attributes },
      status: input.status,
      enabled: true,
      password: undefined,
      groups: [],
      createdAt: now,
      modifiedAt: now,
      pendingCode: undefined,
    };
    if (input.password !== undefined) this.setPassword(user, input.password);
    this.users.set(this.normalise(username), user);
    return user;
  }

  /** `checkPolicy: false` for a migrated user's password, which the legacy system accepted (see the README's fidelity table). */
  setPassword(user: PoolUser, password: string, checkPolicy = true): void {
    if (checkPolicy) checkPasswordPolicy(this.pool, password);
    user.password = makePasswordVerifier(srpPoolName(this.pool.userPoolId), user.username, password);
    user.modifiedAt = this.now();
  }

  passwordMatches(user: PoolUser, password: string): boolean {
    return user.password !== undefined && passwordMatches(srpPoolName(this.pool.userPoolId), user.username, password, user.password);
  }

  /** AdminUpdateUserAttributes semantics: an empty value deletes; a changed email or phone is unverified unless set verified in the same call. */
  updateAttributes(user: PoolUser, updates: { Name: string; Value?: string }[]): void {
    for (const { Name, Value } of updates) {
      if (Name === 'sub') throw new CognitoError('InvalidParameterException', 'Cannot modify an immutable attribute: sub');
      if (Name.startsWith('custom:') && !this.pool.customAttributes.includes(Name.slice('custom:'.length))) {
        throw new CognitoError('InvalidParameterException', `Attribute does not exist in the schema.`);
      }
    }
    const names = new Set(updates.map((update) => update.Name));
    for (const { Name, Value } of updates) {
      if (Value === undefined || Value === '') {
        delete user.attributes[Name];
        continue;
      }
      if ((Name === 'email' || Name === 'phone_number') && user.attributes[Name] !== Value) {
        const other = this.find(Value);
        if (other && other !== user && this.pool.usernameAttributes.includes(Name)) {
          throw new CognitoError('AliasExistsException', `An account with the given ${Name} already exists.`);
        }
        const markedVerified = updates.some((update) => update.Name === `${Name}_verified` && update.Value === 'true');
        // The verified old value stays until the new one is verified (which needs VerifyUserAttribute: not imitated).
        if (!markedVerified && this.pool.attributesRequireVerificationBeforeUpdate.includes(Name) && user.attributes[`${Name}_verified`] === 'true') continue;
        if (!names.has(`${Name}_verified`)) user.attributes[`${Name}_verified`] = 'false';
      }
      user.attributes[Name] = Value;
    }
    user.modifiedAt = this.now();
  }
}

/** Cognito's password policy check, with its message. */
export function checkPasswordPolicy(pool: PoolConfig, password: string): void {
  const policy = pool.passwordPolicy;
  const fail = (reason: string) => new CognitoError('InvalidPasswordException', `Password did not conform with policy: ${reason}`);
  if (password.length < policy.minimumLength) throw fail('Password not long enough');
  if (policy.requireLowercase && !/[a-z]/.test(password)) throw fail('Password must have lowercase characters');
  if (policy.requireUppercase && !/[A-Z]/.test(password)) throw fail('Password must have uppercase characters');
  if (policy.requireNumbers && !/[0-9]/.test(password)) throw fail('Password must have numeric characters');
  if (policy.requireSymbols && !/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/.test(password)) throw fail('Password must have symbol characters');
}

/** The user's attributes in the API's shape. */
export function attributeList(user: PoolUser): { Name: string; Value: string }[] {
  return Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value }));
}
