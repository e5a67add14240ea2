import { readFileSync } from 'node:fs';
import { booleanFlag, type Env, integerInRange, oneOf, optionalString, requiredString } from '../../env.js';
import { ConfigError } from '../../errors.js';
import { type LegacyDirectoryKind, legacyDirectoryKind } from '../config.js';
import { isMappableAttribute, SECRET_VARIABLE } from './common.js';

/**
 * Settings of the chosen directory (LEGACY_DIRECTORY), read and checked at cold start without loading any
 * driver: a bad value fails the cold start naming the variable. The secret is never part of an error.
 */

export interface CommonSettings {
  /** Ceiling of one call to the directory, under the invocation's deadline. */
  timeoutMs: number;
  connectTimeoutMs: number;
  /** Cognito attribute that receives the legacy id (e.g. custom:legacy_id), or undefined for none. */
  legacyIdAttribute: string | undefined;
  /** PEM bundle of the CAs the directory's certificate must chain to (LEGACY_DIRECTORY_CA_FILE); system CAs when absent. */
  ca: string | undefined;
}

export interface LdapSettings extends CommonSettings {
  kind: 'ldap';
  url: string;
  startTls: boolean;
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  /** RFC 4515 filter with `{username}` where the escaped user name goes. */
  userFilter: string;
  /** Entries that also match this filter count as disabled (e.g. `(pwdAccountLockedTime=*)`). */
  disabledFilter: string | undefined;
  /** Cognito attribute → LDAP attribute. `email` and `phone_number` included. */
  attributeMap: Record<string, string>;
  /** LDAP attribute holding the legacy id, or `dn`. */
  idAttribute: string;
  emailVerified: boolean;
  phoneNumberVerified: boolean;
}

export interface SqlSettings extends CommonSettings {
  kind: 'postgres' | 'mysql';
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** A SELECT with one parameter (`$1` for PostgreSQL, `?` for MySQL) for the user name. */
  query: string;
  tls: boolean;
}

export interface HttpSettings extends CommonSettings {
  kind: 'http';
  url: URL;
  auth: 'bearer' | 'hmac';
  secret: string;
}

export interface CognitoPoolSettings extends CommonSettings {
  kind: 'cognito';
  userPoolId: string;
  clientId: string;
  region: string;
  /** The old app client's secret, when it has one (SECRET_HASH). */
  clientSecret: string | undefined;
  /** Only for tests and local runs: cognito-local. */
  endpoint: string | undefined;
}

export type DirectorySettings = { kind: 'dynamodb'; tableName: string } | LdapSettings | SqlSettings | HttpSettings | CognitoPoolSettings;

const CUSTOM_ATTRIBUTE = /^custom:[A-Za-z0-9_]{1,20}$/;

function common(env: Env): CommonSettings {
  const legacyId = optionalString(env, 'LEGACY_ID_ATTRIBUTE', 'custom:legacy_id');
  if (legacyId !== 'none' && !CUSTOM_ATTRIBUTE.test(legacyId)) {
    throw new ConfigError(`LEGACY_ID_ATTRIBUTE must be custom:<1-20 letters, digits or _> or none, got "${legacyId}".`);
  }
  const caFile = optionalString(env, 'LEGACY_DIRECTORY_CA_FILE', '');
  let ca: string | undefined;
  if (caFile !== '') {
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (error) {
      throw new ConfigError(`LEGACY_DIRECTORY_CA_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): expected a PEM file shipped with the function.`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError('LEGACY_DIRECTORY_CA_FILE must hold PEM certificates (-----BEGIN CERTIFICATE-----).');
  }
  return {
    timeoutMs: integerInRange(env, 'LEGACY_DIRECTORY_TIMEOUT_MS', 2_500, 100, 4_500),
    connectTimeoutMs: integerInRange(env, 'LEGACY_DIRECTORY_CONNECT_TIMEOUT_MS', 1_000, 100, 4_000),
    legacyIdAttribute: legacyId === 'none' ? undefined : legacyId,
    ca,
  };
}

function secret(env: Env, what: string): string {
  // Not trimmed, not echoed: a password may end in a space.
  const value = env[SECRET_VARIABLE];
  if (value === undefined || value === '') throw new ConfigError(`${SECRET_VARIABLE} is not set: expected ${what} (a Secrets Manager dynamic reference in serverless.yml).`);
  return value;
}

/** `email=mail,phone_number=mobile,given_name=givenName` → { email: 'mail', … }. */
export function parseAttributeMap(raw: string, variable: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of raw.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const [cognito, source, ...rest] = pair.split('=').map((part) => part.trim());
    if (cognito === undefined || source === undefined || source === '' || rest.length > 0) {
      throw new ConfigError(`${variable} must be a comma-separated list of cognitoAttribute=directoryAttribute, got "${pair}".`);
    }
    if (cognito !== 'email' && cognito !== 'phone_number' && !isMappableAttribute(cognito)) {
      throw new ConfigError(`${variable}: ${cognito} is not email, phone_number, a standard attribute or custom:<name>.`);
    }
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(source)) throw new ConfigError(`${variable}: ${source} is not an attribute name.`);
    map[cognito] = source;
  }
  return map;
}

export const DEFAULT_LDAP_ATTRIBUTES = 'email=mail,phone_number=mobile,given_name=givenName,family_name=sn,name=displayName,locale=preferredLanguage';

function filterSetting(env: Env, name: string, fallback: string): string {
  const value = optionalString(env, name, fallback);
  if (!value.startsWith('(') || !value.endsWith(')')) throw new ConfigError(`${name} must be an LDAP filter in parentheses, got "${value}".`);
  return value;
}

function ldapSettings(env: Env): LdapSettings {
  const url = requiredString(env, 'LDAP_URL', 'ldaps://host:636 or ldap://host:389 (with LDAP_START_TLS=true)');
  if (!/^ldaps?:\/\/[^/\s]+\/?$/i.test(url)) throw new ConfigError(`LDAP_URL must be ldaps://host[:port] or ldap://host[:port], got "${url}".`);
  const secure = url.toLowerCase().startsWith('ldaps:');
  const startTls = booleanFlag(env, 'LDAP_START_TLS', false);
  if (secure && startTls) throw new ConfigError('LDAP_START_TLS=true needs an ldap:// LDAP_URL (ldaps:// is already TLS).');
  if (!secure && !startTls && !booleanFlag(env, 'LDAP_ALLOW_PLAIN', false)) {
    throw new ConfigError('LDAP_URL is plain ldap://: set LDAP_START_TLS=true, use ldaps://, or allow passwords in clear text with LDAP_ALLOW_PLAIN=true.');
  }
  const userFilter = filterSetting(env, 'LDAP_USER_FILTER', '(uid={username})');
  if (!/\([A-Za-z][A-Za-z0-9-]*=\{username\}\)/.test(userFilter)) {
    throw new ConfigError(`LDAP_USER_FILTER must compare an attribute with {username}, as in (uid={username}), got "${userFilter}".`);
  }
  const disabled = optionalString(env, 'LDAP_DISABLED_FILTER', '');
  const attributeMap = parseAttributeMap(optionalString(env, 'LDAP_ATTRIBUTES', DEFAULT_LDAP_ATTRIBUTES), 'LDAP_ATTRIBUTES');
  return {
    kind: 'ldap',
    ...common(env),
    url,
    startTls,
    bindDn: requiredString(env, 'LDAP_BIND_DN', 'the DN of the read-only service account that searches for users'),
    bindPassword: secret(env, "the service account's password"),
    baseDn: requiredString(env, 'LDAP_BASE_DN', 'the DN users are searched under, e.g. ou=people,dc=example,dc=com'),
    userFilter,
    disabledFilter: disabled === '' ? undefined : filterSetting(env, 'LDAP_DISABLED_FILTER', ''),
    attributeMap,
    idAttribute: optionalString(env, 'LDAP_ID_ATTRIBUTE', 'dn'),
    emailVerified: booleanFlag(env, 'LDAP_EMAIL_VERIFIED', false),
    phoneNumberVerified: booleanFlag(env, 'LDAP_PHONE_VERIFIED', false),
  };
}

export const DEFAULT_SQL_QUERY = {
  postgres:
    'SELECT id AS legacy_id, username, password_hash, email, email_verified, phone_number, phone_number_verified, attributes, disabled FROM legacy_users WHERE username = $1',
  mysql:
    'SELECT id AS legacy_id, username, password_hash, email, email_verified, phone_number, phone_number_verified, attributes, disabled FROM legacy_users WHERE username = ?',
} as const;

function sqlSettings(env: Env, kind: 'postgres' | 'mysql'): SqlSettings {
  const query = optionalString(env, 'LEGACY_DB_QUERY', DEFAULT_SQL_QUERY[kind]);
  if (!/^\s*(select|with)\s/i.test(query)) throw new ConfigError('LEGACY_DB_QUERY must be a SELECT (read-only).');
  if (query.includes(';')) throw new ConfigError('LEGACY_DB_QUERY must be a single statement without ";".');
  if (kind === 'postgres' ? !query.includes('$1') || /\$[2-9]/.test(query) : !query.includes('?')) {
    throw new ConfigError(`LEGACY_DB_QUERY must take the user name as its only parameter, ${kind === 'postgres' ? '$1' : '?'}.`);
  }
  return {
    kind,
    ...common(env),
    host: requiredString(env, 'LEGACY_DB_HOST', 'the database host name'),
    port: integerInRange(env, 'LEGACY_DB_PORT', kind === 'postgres' ? 5432 : 3306, 1, 65_535),
    database: requiredString(env, 'LEGACY_DB_NAME', 'the database name'),
    user: requiredString(env, 'LEGACY_DB_USER', 'a read-only database user'),
    password: secret(env, "the database user's password"),
    query,
    tls: oneOf(env, 'LEGACY_DB_TLS', 'verify', ['verify', 'off'] as const) === 'verify',
  };
}

function httpSettings(env: Env): HttpSettings {
  const raw = requiredString(env, 'LEGACY_HTTP_URL', 'the https:// URL of the legacy login API');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`LEGACY_HTTP_URL is not a URL, got "${raw}".`);
  }
  if (url.protocol !== 'https:') throw new ConfigError(`LEGACY_HTTP_URL must be https://, got "${url.protocol}".`);
  if (url.username !== '' || url.password !== '') throw new ConfigError('LEGACY_HTTP_URL must not carry credentials: put the secret in Secrets Manager.');
  return {
    kind: 'http',
    ...common(env),
    url,
    auth: oneOf(env, 'LEGACY_HTTP_AUTH', 'bearer', ['bearer', 'hmac'] as const),
    secret: secret(env, 'the bearer token or HMAC key of the login API'),
  };
}

function cognitoSettings(env: Env): CognitoPoolSettings {
  const userPoolId = requiredString(env, 'LEGACY_COGNITO_USER_POOL_ID', 'the old user pool id, e.g. eu-west-1_AbCdEf123');
  const match = /^([a-z0-9-]+)_[A-Za-z0-9]+$/.exec(userPoolId);
  if (match === null) throw new ConfigError(`LEGACY_COGNITO_USER_POOL_ID must look like <region>_<id>, got "${userPoolId}".`);
  const clientSecret = env[SECRET_VARIABLE];
  const endpoint = optionalString(env, 'LEGACY_COGNITO_ENDPOINT', '');
  return {
    kind: 'cognito',
    ...common(env),
    userPoolId,
    clientId: requiredString(env, 'LEGACY_COGNITO_CLIENT_ID', 'an app client of the old pool with ALLOW_ADMIN_USER_PASSWORD_AUTH'),
    region: optionalString(env, 'LEGACY_COGNITO_REGION', match[1] ?? ''),
    clientSecret: clientSecret === undefined || clientSecret === '' ? undefined : clientSecret,
    endpoint: endpoint === '' ? undefined : endpoint,
  };
}

export function loadDirectorySettings(env: Env): DirectorySettings {
  const kind: LegacyDirectoryKind = legacyDirectoryKind(env);
  switch (kind) {
    case 'dynamodb':
      return { kind, tableName: requiredString(env, 'LEGACY_USERS_TABLE', 'the DynamoDB table of the legacy directory (partition key "username")') };
    case 'ldap':
      return ldapSettings(env);
    case 'postgres':
    case 'mysql':
      return sqlSettings(env, kind);
    case 'http':
      return httpSettings(env);
    case 'cognito':
      return cognitoSettings(env);
  }
}
