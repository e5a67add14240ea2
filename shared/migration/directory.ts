import { type AttributeValue, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { type LegacyUser, LegacyUserError } from './legacyUser.js';
import { sendOptions } from '../aws/deadline.js';

/** Where legacy users are looked up. The DynamoDB table is the default; other directories implement this. */
export interface LegacyDirectory {
  /** The user stored under the exact user name, else under its lowercase form. */
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

export function createDynamoDirectory(client: DynamoDBClient, tableName: string): LegacyDirectory {
  const get = async (username: string) =>
    (await client.send(new GetItemCommand({ TableName: tableName, Key: { username: { S: username } } }), sendOptions())).Item;
  return {
    async findUser(userName) {
      const lower = userName.toLowerCase();
      // Both look-ups every time, so the answer's timing does not tell which form exists.
      const [exact, lowered] = await Promise.all([get(userName), lower === userName ? undefined : get(lower)]);
      const item = exact ?? lowered;
      return item === undefined ? undefined : legacyUserFromItem(item);
    },
  };
}
