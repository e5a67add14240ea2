import { foldAsciiCase, type LegacyDirectory } from '../directory.js';
import { type LegacyUser, LegacyUserError } from '../legacyUser.js';
import { toLegacyUser, withinDeadline } from './common.js';
import type { SqlSettings } from './settings.js';

/**
 * What PostgreSQL and MySQL share: the row the configured query returns, in the legacy table's columns
 * (username, password_hash, email, email_verified, phone_number, phone_number_verified, attributes,
 * disabled, legacy_id), becomes a LegacyUser whose hash the existing verifiers check.
 */

export type Row = Record<string, unknown>;

/** Runs the configured query with the user name; at most one row is used. */
export type RunQuery = (userName: string, signal: AbortSignal) => Promise<Row[]>;

function text(row: Row, column: string): string | undefined {
  const value = row[column];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  throw new LegacyUserError(`column ${column} must be text`);
}

function flag(row: Row, column: string): boolean {
  const value = row[column];
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string' && /^(true|false|t|f|1|0)$/i.test(value)) return /^(true|t|1)$/i.test(value);
  throw new LegacyUserError(`column ${column} must be a boolean`);
}

function attributesOf(row: Row): Record<string, string> {
  let value = row.attributes;
  if (value === undefined || value === null || value === '') return {};
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    try {
      value = JSON.parse(String(value)) as unknown;
    } catch {
      throw new LegacyUserError('column attributes must be a JSON object');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new LegacyUserError('column attributes must be a JSON object');
  const attributes: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') attributes[name] = String(v);
    else throw new LegacyUserError(`attributes.${name} must be a string, number or boolean`);
  }
  return attributes;
}

export function legacyUserFromRow(row: Row, legacyIdAttribute: string | undefined): LegacyUser {
  const username = text(row, 'username');
  if (username === undefined) throw new LegacyUserError('column username is missing');
  const passwordHash = text(row, 'password_hash');
  if (passwordHash === undefined) throw new LegacyUserError('column password_hash is missing');
  return toLegacyUser(
    {
      username,
      passwordHash,
      legacyId: text(row, 'legacy_id'),
      email: text(row, 'email'),
      emailVerified: flag(row, 'email_verified'),
      phoneNumber: text(row, 'phone_number'),
      phoneNumberVerified: flag(row, 'phone_number_verified'),
      attributes: attributesOf(row),
      disabled: flag(row, 'disabled'),
    },
    legacyIdAttribute,
  );
}

/**
 * The kept connection died under the query: the server restarted or timed it out while the function was
 * frozen, and the driver learnt it only now. A read-only query is worth one try on a new connection.
 */
export function isLostConnection(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'PROTOCOL_CONNECTION_LOST' || code === '57P01') return true;
  return typeof message === 'string' && /connection terminated|terminating connection|closed state|connection lost/i.test(message);
}

export function createSqlDirectory(settings: SqlSettings, run: RunQuery): LegacyDirectory {
  const lookUp = (name: string) =>
    withinDeadline(`${settings.kind} query`, settings.timeoutMs, (signal) =>
      run(name, signal).catch((error: unknown) => {
        if (isLostConnection(error)) return run(name, signal);
        throw error;
      }),
    );
  return {
    async findUser(userName) {
      const lower = foldAsciiCase(userName);
      // Both look-ups every time, as the DynamoDB directory does: timing does not tell which form exists.
      const [exact, lowered] = await Promise.all([lookUp(userName), lower === userName ? Promise.resolve([]) : lookUp(lower)]);
      // The typed name must be the row's username or email but for ASCII case: a case-insensitive collation
      // may match Unicode look-alikes ("\u212Aim" = "kim"), and such a row is not this user's.
      const named = (r: Row) => [r.username, r.email].some((value) => typeof value === 'string' && foldAsciiCase(value) === lower);
      const row = [...exact, ...lowered].find(named);
      return row === undefined ? undefined : legacyUserFromRow(row, settings.legacyIdAttribute);
    },
  };
}
