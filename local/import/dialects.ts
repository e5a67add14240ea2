import { LegacyUserError } from '../../shared/migration/legacyUser.js';
import {
  aspnetMembershipHash,
  firebaseScryptHash,
  KEYCLOAK_ALGORITHMS,
  type KeycloakAlgorithm,
  keycloakHash,
  type MembershipAlgorithm,
} from './hashStrings.js';
import type { ImportRow } from './rows.js';

/**
 * The exports the import reads. `directory` is this suite's own shape (README); the others are other
 * systems' exports, each record turned into a directory row with a hash string shared/passwords reads.
 * A record that cannot be turned into a row throws a LegacyUserError naming the field, never its value.
 */
export type Dialect =
  | { kind: 'directory' }
  | { kind: 'firebase' }
  | { kind: 'keycloak' }
  | { kind: 'aspnet-membership'; algorithm: MembershipAlgorithm };

export const DIALECT_KINDS = ['directory', 'firebase', 'keycloak', 'aspnet-membership'] as const;

type Json = Record<string, unknown>;

function asObject(record: unknown): Json {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new LegacyUserError('record is not an object');
  return record as Json;
}

function optionalText(record: Json, name: string): string | undefined {
  const value = record[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new LegacyUserError(`${name} must be text`);
  return value;
}

/** A Firebase `auth:export` user: email and password users only (phone and federated users have no hash). */
function fromFirebase(record: Json): ImportRow {
  const email = optionalText(record, 'email');
  if (email === undefined) throw new LegacyUserError('email is missing (phone-only and federated Firebase users have no password to migrate)');
  const hash = optionalText(record, 'passwordHash');
  const salt = optionalText(record, 'salt');
  if (hash === undefined || salt === undefined) throw new LegacyUserError('passwordHash or salt is missing (the user has no Firebase password)');
  const attributes: Record<string, string> = {};
  const displayName = optionalText(record, 'displayName');
  if (displayName !== undefined) attributes.name = displayName;
  return {
    username: email.toLowerCase(),
    passwordHash: firebaseScryptHash(salt, hash),
    email,
    emailVerified: record.emailVerified === true,
    phoneNumber: record.phoneNumber,
    phoneNumberVerified: false,
    disabled: record.disabled === true,
    attributes,
  };
}

function parseJsonField(text: unknown, name: string): Json {
  if (typeof text !== 'string') throw new LegacyUserError(`${name} is missing`);
  try {
    return asObject(JSON.parse(text));
  } catch {
    throw new LegacyUserError(`${name} is not a JSON object`);
  }
}

/** The password credential of a Keycloak user: `credentialData`/`secretData` (Keycloak 12+) or the older flat fields. */
function keycloakPasswordHash(record: Json): string {
  const credentials = Array.isArray(record.credentials) ? (record.credentials as unknown[]) : [];
  const password = credentials.map((c) => (typeof c === 'object' && c !== null ? (c as Json) : {})).find((c) => c.type === 'password');
  if (password === undefined) throw new LegacyUserError('credentials has no password (the user signs in another way)');
  const data = password.credentialData === undefined ? password : parseJsonField(password.credentialData, 'credentialData');
  const secret = password.secretData === undefined ? { value: password.hashedSaltedValue, salt: password.salt } : parseJsonField(password.secretData, 'secretData');
  const algorithm = data.algorithm;
  if (!(KEYCLOAK_ALGORITHMS as readonly unknown[]).includes(algorithm)) {
    throw new LegacyUserError(`credential algorithm ${typeof algorithm === 'string' ? algorithm.slice(0, 40) : '(missing)'} is not supported (pbkdf2-sha256, pbkdf2-sha512, pbkdf2)`);
  }
  if (typeof secret.salt !== 'string' || typeof secret.value !== 'string') throw new LegacyUserError('secretData needs salt and value');
  return keycloakHash(algorithm as KeycloakAlgorithm, Number(data.hashIterations), secret.salt, secret.value);
}

/** A user of a Keycloak realm export (`kc.sh export`, or the admin console's partial export with users). */
function fromKeycloak(record: Json): ImportRow {
  const username = optionalText(record, 'username');
  if (username === undefined) throw new LegacyUserError('username is missing');
  if (record.serviceAccountClientId !== undefined) throw new LegacyUserError('is a service account, not a person');
  const attributes: Record<string, string> = {};
  const firstName = optionalText(record, 'firstName');
  const lastName = optionalText(record, 'lastName');
  if (firstName !== undefined) attributes.given_name = firstName;
  if (lastName !== undefined) attributes.family_name = lastName;
  return {
    username,
    passwordHash: keycloakPasswordHash(record),
    email: record.email,
    emailVerified: record.emailVerified === true,
    disabled: record.enabled === false,
    attributes,
  };
}

/** Column names as SQL Server exports them, matched without regard to case. */
function column(record: Json, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(record)) {
    if (key.toLowerCase() === wanted && typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

const PASSWORD_FORMATS: Record<string, string> = {
  '0': 'PasswordFormat 0 (clear text) is not imported: keeping plain passwords is unsafe; these users reset their password',
  '2': 'PasswordFormat 2 (encrypted with the machine key) is not imported: decrypt and hash them first, or let these users reset',
};

/** A row of aspnet_Users joined with aspnet_Membership (UserName, Email, Password, PasswordFormat, PasswordSalt, IsApproved). */
function fromAspnetMembership(record: Json, algorithm: MembershipAlgorithm): ImportRow {
  const username = column(record, 'UserName');
  if (username === undefined) throw new LegacyUserError('UserName is missing');
  const format = column(record, 'PasswordFormat');
  if (format !== '1') throw new LegacyUserError(PASSWORD_FORMATS[format ?? ''] ?? 'PasswordFormat must be 1 (hashed)');
  const hash = column(record, 'Password');
  const salt = column(record, 'PasswordSalt');
  if (hash === undefined || salt === undefined) throw new LegacyUserError('Password or PasswordSalt is missing');
  const approved = column(record, 'IsApproved');
  return {
    // Membership user names are case-insensitive; the directory is searched exactly, then in lowercase.
    username: username.toLowerCase(),
    passwordHash: aspnetMembershipHash(algorithm, salt, hash),
    email: column(record, 'Email'),
    emailVerified: false,
    disabled: approved !== undefined && ['0', 'false'].includes(approved.toLowerCase()),
  };
}

/** Turns one record of the export into a directory row (LegacyUserError when it cannot be one). */
export function rowFromRecord(dialect: Dialect, record: unknown): ImportRow {
  const object = asObject(record);
  switch (dialect.kind) {
    case 'directory':
      return object;
    case 'firebase':
      return fromFirebase(object);
    case 'keycloak':
      return fromKeycloak(object);
    case 'aspnet-membership':
      return fromAspnetMembership(object, dialect.algorithm);
  }
}
