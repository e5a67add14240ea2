import { type AttributeValue } from '@aws-sdk/client-dynamodb';
import { hashFormatOf } from '../../shared/passwords/index.js';
import { type LegacyUser, LegacyUserError, toCognitoAttributes } from '../../shared/migration/legacyUser.js';
import { importedHashProblem } from './hashStrings.js';

/**
 * Turns rows of a legacy export (JSON objects or CSV records) into directory items, with a reason
 * for every row that cannot be loaded. Reasons name fields, never password hashes.
 */

export type ImportRow = Record<string, unknown>;

/** Columns the rejects file adds (so a fixed rejects file loads again); never user attributes. */
export const REJECT_COLUMNS = ['rejectedLine', 'rejectedReason'] as const;

/** CSV columns that are the directory's own fields; any other column is a further Cognito attribute. */
const FIELD_COLUMNS = new Set(['username', 'passwordHash', 'email', 'emailVerified', 'phoneNumber', 'phoneNumberVerified', 'disabled', 'attributes', ...REJECT_COLUMNS]);

function text(row: ImportRow, name: string): string | undefined {
  const value = row[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number') return String(value);
  throw new LegacyUserError(`${name} must be text`);
}

function bool(row: ImportRow, name: string): boolean {
  const value = row[name];
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'boolean') return value;
  const lowered = String(value).trim().toLowerCase();
  if (['true', '1', 'yes'].includes(lowered)) return true;
  if (['false', '0', 'no'].includes(lowered)) return false;
  throw new LegacyUserError(`${name} must be true or false`);
}

function furtherAttributes(row: ImportRow): Record<string, string> {
  const attributes: Record<string, string> = {};
  const nested = row.attributes;
  if (nested !== undefined && nested !== null && nested !== '') {
    if (typeof nested !== 'object' || Array.isArray(nested)) throw new LegacyUserError('attributes must be an object');
    for (const [name, value] of Object.entries(nested)) {
      if (value === null || value === undefined || value === '') continue;
      if (!['string', 'number', 'boolean'].includes(typeof value)) throw new LegacyUserError(`attributes.${name} must be text, a number or a boolean`);
      attributes[name] = String(value);
    }
  }
  for (const [column, value] of Object.entries(row)) {
    if (FIELD_COLUMNS.has(column) || value === undefined || value === null || value === '') continue;
    attributes[column] = String(value);
  }
  return attributes;
}

export function legacyUserFromRow(row: ImportRow): LegacyUser {
  const username = text(row, 'username');
  if (username === undefined) throw new LegacyUserError('username is missing');
  if (username.length > 128) throw new LegacyUserError('username is longer than 128 characters');
  const passwordHash = text(row, 'passwordHash');
  if (passwordHash === undefined) throw new LegacyUserError('passwordHash is missing');
  if (hashFormatOf(passwordHash) === undefined) throw new LegacyUserError('passwordHash is not in a supported format');
  const shapeProblem = importedHashProblem(passwordHash);
  if (shapeProblem !== undefined) throw new LegacyUserError(shapeProblem);
  const user: LegacyUser = {
    username,
    passwordHash,
    email: text(row, 'email'),
    emailVerified: bool(row, 'emailVerified'),
    phoneNumber: text(row, 'phoneNumber'),
    phoneNumberVerified: bool(row, 'phoneNumberVerified'),
    attributes: furtherAttributes(row),
    disabled: bool(row, 'disabled'),
  };
  toCognitoAttributes(user); // throws for anything Cognito would reject at sign-in
  return user;
}

export function itemFromLegacyUser(user: LegacyUser): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {
    username: { S: user.username },
    passwordHash: { S: user.passwordHash },
    emailVerified: { BOOL: user.emailVerified },
    phoneNumberVerified: { BOOL: user.phoneNumberVerified },
    disabled: { BOOL: user.disabled },
    attributes: { M: Object.fromEntries(Object.entries(user.attributes).map(([name, value]) => [name, { S: value }])) },
  };
  if (user.email !== undefined) item.email = { S: user.email };
  if (user.phoneNumber !== undefined) item.phoneNumber = { S: user.phoneNumber };
  return item;
}
