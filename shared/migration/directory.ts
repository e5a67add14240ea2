import type { AttributeValue, DynamoDb } from '../aws/services.js';
import { type LegacyUser, LegacyUserError } from './legacyUser.js';

/** Where legacy users are looked up. The DynamoDB table is the default; other directories implement this. */
export interface LegacyDirectory {
  /**
   * The user stored under the exact user name, else under `foldAsciiCase(userName)`. A directory must
   * not match names by Unicode case folding or normalisation: the service refuses such a match anyway.
   */
  findUser(userName: string): Promise<LegacyUser | undefined>;
  /**
   * Directories that check the password themselves (an LDAP bind, a login API, another Cognito pool)
   * answer here; `passwordHash` of their users is empty. Without it, migrate.ts checks `passwordHash`.
   * Never called with an empty password.
   */
  authenticate?(userName: string, password: string): Promise<DirectoryVerdict>;
}

/** A password-checking directory's answer; an account that is locked, expired or must reset its password is `disabled`. */
export type DirectoryVerdict =
  | { outcome: 'accepted'; user: LegacyUser }
  | { outcome: 'unknown-user' | 'wrong-password' | 'disabled' };

/**
 * Lowercases A–Z only. Unicode lowercasing would let look-alikes in: the KELVIN SIGN in "\u212Aim"
 * lowercases to "kim", and with kim's password a second Cognito user would get kim's verified email.
 */
export function foldAsciiCase(name: string): string {
  return name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** Unicode-aware folding, as a careless directory (or a database collation) might compare names. */
function foldUnicode(name: string): string {
  return name.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

/**
 * True when the typed name found this user only through Unicode folding or normalisation (the Kelvin
 * sign, a dotless ı, fullwidth letters): it matches one of the user's names that way, but none exactly or
 * by ASCII case. Such a sign-in is refused whatever directory found the user.
 */
export function isLookAlike(typed: string, user: LegacyUser): boolean {
  const names = [user.username, user.email, user.phoneNumber].filter((name): name is string => name !== undefined);
  const folded = foldAsciiCase(typed);
  if (names.some((name) => foldAsciiCase(name) === folded)) return false;
  const unicodeFolded = foldUnicode(typed);
  return names.some((name) => foldUnicode(name) === unicodeFolded);
}

function optionalString(item: Record<string, AttributeValue>, name: string): string | undefined {
  const value = item[name];
  if (value === undefined || value.NULL === true) return undefined;
  if (value.S === undefined) throw new LegacyUserError(`${name} must be a string`);
  return value.S === '' ? undefined : value.S;
}

function flag(item: Record<string, AttributeValue>, name: string): boolean {
  const value = item[name];
  if (value === undefined || value.NULL === true) return false;
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.S === 'true' || value.S === 'false') return value.S === 'true';
  throw new LegacyUserError(`${name} must be a boolean`);
}

/** Reads one table item; throws LegacyUserError naming the field that is wrong (never its value). */
export function legacyUserFromItem(item: Record<string, AttributeValue>): LegacyUser {
  const username = optionalString(item, 'username');
  if (username === undefined) throw new LegacyUserError('username is missing');
  const passwordHash = optionalString(item, 'passwordHash');
  if (passwordHash === undefined) throw new LegacyUserError('passwordHash is missing');
  const attributes: Record<string, string> = {};
  const map = item.attributes;
  if (map !== undefined && map.NULL !== true) {
    if (map.M === undefined) throw new LegacyUserError('attributes must be a map');
    for (const [name, value] of Object.entries(map.M)) {
      if (value.S !== undefined) attributes[name] = value.S;
      else if (value.N !== undefined) attributes[name] = value.N;
      else if (value.BOOL !== undefined) attributes[name] = String(value.BOOL);
      else throw new LegacyUserError(`attributes.${name} must be a string, number or boolean`);
    }
  }
  return {
    username,
    passwordHash,
    email: optionalString(item, 'email'),
    emailVerified: flag(item, 'emailVerified'),
    phoneNumber: optionalString(item, 'phoneNumber'),
    phoneNumberVerified: flag(item, 'phoneNumberVerified'),
    attributes,
    disabled: flag(item, 'disabled'),
  };
}

export function createDynamoDirectory(client: DynamoDb, tableName: string): LegacyDirectory {
  const get = async (username: string) =>
    (await client.call('GetItem', { TableName: tableName, Key: { username: { S: username } } })).Item;
  return {
    async findUser(userName) {
      const lower = foldAsciiCase(userName);
      // Both look-ups every time, so the answer's timing does not tell which form exists.
      const [exact, lowered] = await Promise.all([get(userName), lower === userName ? undefined : get(lower)]);
      const item = exact ?? lowered;
      return item === undefined ? undefined : legacyUserFromItem(item);
    },
  };
}
