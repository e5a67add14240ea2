import { type AttributeValue } from '@aws-sdk/client-dynamodb';
import { hashFormatOf } from '../passwords/index.js';
import { type LegacyUser, LegacyUserError, toCognitoAttributes } from './legacyUser.js';

/**
 * Turns rows of a legacy export (JSON objects or CSV records) into directory items, with a reason
 * for every row that cannot be loaded. Reasons name fields, never password hashes.
 */

export type ImportRow = Record<string, unknown>;

export interface RowRejection {
  row: number;
  username: string | undefined;
  reason: string;
}

/** CSV columns that are the directory's own fields; any other column is a further Cognito attribute. */
const FIELD_COLUMNS = new Set(['username', 'passwordHash', 'email', 'emailVerified', 'phoneNumber', 'phoneNumberVerified', 'disabled', 'attributes']);

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

export function prepareImport(rows: readonly ImportRow[]): { users: LegacyUser[]; rejected: RowRejection[] } {
  const users: LegacyUser[] = [];
  const rejected: RowRejection[] = [];
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    const rowNumber = index + 1;
    const username = typeof row.username === 'string' ? row.username.trim() : undefined;
    try {
      const user = legacyUserFromRow(row);
      if (seen.has(user.username)) throw new LegacyUserError('username appears earlier in the file');
      seen.add(user.username);
      users.push(user);
    } catch (error) {
      if (!(error instanceof LegacyUserError)) throw error;
      rejected.push({ row: rowNumber, username, reason: error.message });
    }
  });
  return { users, rejected };
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. The first record is the header. */
export function parseCsv(content: string): ImportRow[] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < content.length; i += 1) {
    const c = content[i] as string;
    if (quoted) {
      if (c === '"' && content[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && content[i + 1] === '\n') i += 1;
      record.push(field);
      field = '';
      if (record.some((value) => value !== '')) records.push(record);
      record = [];
    } else field += c;
  }
  if (quoted) throw new Error('CSV ends inside a quoted field');
  record.push(field);
  if (record.some((value) => value !== '')) records.push(record);
  const [header, ...body] = records;
  if (header === undefined) return [];
  return body.map((values) => Object.fromEntries(header.map((name, index) => [name.trim(), values[index] ?? ''])));
}
