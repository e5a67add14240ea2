import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import type { Env } from '../../../shared/env.js';
import { loadMigrationConfig } from '../../../shared/migration/config.js';
import { loadDirectorySettings } from '../../../shared/migration/directories/settings.js';
import { type HttpsTestServer, makeCertificates, startHttpsServer, type TestCertificates } from '../../support/https.js';
import { migrationEvent } from '../../unit/migration/helpers.js';

/** LEGACY_DIRECTORY picks one directory at cold start; every bad setting fails the cold start, naming the variable. */

const LDAP: Env = { LEGACY_DIRECTORY: 'ldap', LDAP_URL: 'ldaps://ldap.example.com', LDAP_BIND_DN: 'cn=svc', LDAP_BASE_DN: 'dc=example', LEGACY_DIRECTORY_SECRET: 's' };
const PG: Env = { LEGACY_DIRECTORY: 'postgres', LEGACY_DB_HOST: 'db', LEGACY_DB_NAME: 'app', LEGACY_DB_USER: 'ro', LEGACY_DIRECTORY_SECRET: 's' };
const MY: Env = { ...PG, LEGACY_DIRECTORY: 'mysql' };
const HTTP: Env = { LEGACY_DIRECTORY: 'http', LEGACY_HTTP_URL: 'https://login.example.com/check', LEGACY_DIRECTORY_SECRET: 's' };
const COGNITO: Env = { LEGACY_DIRECTORY: 'cognito', LEGACY_COGNITO_USER_POOL_ID: 'eu-west-1_AbC123', LEGACY_COGNITO_CLIENT_ID: 'client' };

describe('choosing the legacy directory at cold start', () => {
  it('defaults to the DynamoDB table, which alone needs LEGACY_USERS_TABLE', () => {
    expect(loadDirectorySettings({ LEGACY_USERS_TABLE: 't' })).toEqual({ kind: 'dynamodb', tableName: 't' });
    expect(() => loadMigrationConfig({})).toThrow(/LEGACY_USERS_TABLE is not set/);
    expect(loadMigrationConfig(LDAP).legacyUsersTable).toBe('');
  });

  it('names the allowed directories when LEGACY_DIRECTORY is unknown', () => {
    expect(() => loadDirectorySettings({ LEGACY_DIRECTORY: 'oracle' })).toThrow('LEGACY_DIRECTORY must be one of dynamodb, ldap, postgres, mysql, http, cognito, got "oracle".');
  });

  it('reads each directory with its defaults', () => {
    expect(loadDirectorySettings(LDAP)).toMatchObject({ kind: 'ldap', startTls: false, userFilter: '(uid={username})', idAttribute: 'dn', legacyIdAttribute: 'custom:legacy_id', timeoutMs: 2500, connectTimeoutMs: 1000, emailVerified: false });
    expect(loadDirectorySettings(PG)).toMatchObject({ kind: 'postgres', port: 5432, tls: true, password: 's' });
    expect(loadDirectorySettings(MY)).toMatchObject({ kind: 'mysql', port: 3306 });
    expect(loadDirectorySettings(HTTP)).toMatchObject({ kind: 'http', auth: 'bearer' });
    expect(loadDirectorySettings(COGNITO)).toMatchObject({ kind: 'cognito', region: 'eu-west-1', clientSecret: undefined, endpoint: undefined });
    expect(loadDirectorySettings({ ...LDAP, LEGACY_ID_ATTRIBUTE: 'none' })).toMatchObject({ legacyIdAttribute: undefined });
  });

  it.each<[string, Env, RegExp]>([
    ['LDAP without its URL', { ...LDAP, LDAP_URL: '' }, /^LDAP_URL is not set/],
    ['LDAP with a path in the URL', { ...LDAP, LDAP_URL: 'ldaps://host/dc=x' }, /^LDAP_URL must be/],
    ['LDAPS with StartTLS', { ...LDAP, LDAP_START_TLS: 'true' }, /^LDAP_START_TLS=true needs an ldap:\/\//],
    ['plain LDAP not allowed', { ...LDAP, LDAP_URL: 'ldap://host' }, /^LDAP_URL is plain ldap:\/\//],
    ['a filter without {username}', { ...LDAP, LDAP_USER_FILTER: '(uid=alice)' }, /^LDAP_USER_FILTER must compare an attribute with \{username\}/],
    ['a filter that only matches part of the name', { ...LDAP, LDAP_USER_FILTER: '(uid={username}*)' }, /^LDAP_USER_FILTER must compare an attribute with \{username\}/],
    ['a filter without parentheses', { ...LDAP, LDAP_USER_FILTER: 'uid={username}' }, /^LDAP_USER_FILTER must be an LDAP filter/],
    ['an attribute map to a managed attribute', { ...LDAP, LDAP_ATTRIBUTES: 'sub=uid' }, /^LDAP_ATTRIBUTES: sub is not/],
    ['an attribute map without =', { ...LDAP, LDAP_ATTRIBUTES: 'email' }, /^LDAP_ATTRIBUTES must be a comma-separated list/],
    ['no service account secret', { ...LDAP, LEGACY_DIRECTORY_SECRET: '' }, /^LEGACY_DIRECTORY_SECRET is not set/],
    ['a legacy id attribute that is not custom:', { ...LDAP, LEGACY_ID_ATTRIBUTE: 'legacy_id' }, /^LEGACY_ID_ATTRIBUTE must be custom:/],
    ['an unreadable CA bundle', { ...LDAP, LEGACY_DIRECTORY_CA_FILE: '/nonexistent/ca.pem' }, /^LEGACY_DIRECTORY_CA_FILE cannot be read \(ENOENT\)/],
    ['a timeout past the trigger budget', { ...LDAP, LEGACY_DIRECTORY_TIMEOUT_MS: '6000' }, /^LEGACY_DIRECTORY_TIMEOUT_MS must be from 100 to 4500/],
    ['SQL without a host', { ...PG, LEGACY_DB_HOST: '' }, /^LEGACY_DB_HOST is not set/],
    ['SQL that writes', { ...PG, LEGACY_DB_QUERY: 'UPDATE users SET x = $1' }, /^LEGACY_DB_QUERY must be a SELECT/],
    ['PostgreSQL with a second parameter', { ...PG, LEGACY_DB_QUERY: 'SELECT * FROM u WHERE a = $1 AND b = $2' }, /only parameter, \$1/],
    ['MySQL with a PostgreSQL placeholder', { ...MY, LEGACY_DB_QUERY: 'SELECT * FROM u WHERE a = $1' }, /only parameter, \?/],
    ['SQL TLS neither verify nor off', { ...PG, LEGACY_DB_TLS: 'maybe' }, /^LEGACY_DB_TLS must be one of verify, off/],
    ['HTTP auth neither bearer nor hmac', { ...HTTP, LEGACY_HTTP_AUTH: 'basic' }, /^LEGACY_HTTP_AUTH must be one of bearer, hmac/],
    ['a Cognito pool id without region', { ...COGNITO, LEGACY_COGNITO_USER_POOL_ID: 'AbC123' }, /^LEGACY_COGNITO_USER_POOL_ID must look like/],
    ['a Cognito pool without client', { ...COGNITO, LEGACY_COGNITO_CLIENT_ID: '' }, /^LEGACY_COGNITO_CLIENT_ID is not set/],
  ])('fails the cold start for %s', (_what, env, message) => {
    expect(() => loadDirectorySettings(env)).toThrow(ConfigError);
    expect(() => loadDirectorySettings(env)).toThrow(message);
  });

  it('never puts the secret into a configuration error', () => {
    for (const env of [{ ...LDAP, LDAP_URL: 'ldap://x' }, { ...PG, LEGACY_DB_TLS: 'x' }, { ...HTTP, LEGACY_HTTP_AUTH: 'x' }]) {
      const secret = 'Very-Secret-Value-42';
      expect(() => loadDirectorySettings({ ...env, LEGACY_DIRECTORY_SECRET: secret })).toThrow(expect.objectContaining({ message: expect.not.stringContaining(secret) }));
    }
  });
});

describe('the userMigration function (index.ts) wired by LEGACY_DIRECTORY', () => {
  let certificates: TestCertificates;
  let api: HttpsTestServer;
  const saved = { ...process.env };
  beforeAll(async () => {
    certificates = makeCertificates();
    api = await startHttpsServer(certificates, (_request, body, response) => {
      const { password } = JSON.parse(body) as { password: string };
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(password === 'Index-Pw-1!' ? { result: 'accepted', user: { id: '7', email: 'jo@example.com', emailVerified: true } } : { result: 'refused' }));
    });
  });
  afterAll(async () => {
    await api?.close();
    certificates?.remove();
  });
  beforeEach(() => {
    vi.resetModules(); // a fresh logger too, created with the level below
  });
  afterEach(() => {
    process.env = { ...saved };
    vi.resetModules();
  });

  it('loads the chosen directory during the cold start and migrates through it', async () => {
    Object.assign(process.env, { ...HTTP, LEGACY_HTTP_URL: api.url, LEGACY_DIRECTORY_CA_FILE: certificates.caFile, POWERTOOLS_LOG_LEVEL: 'SILENT' });
    const { handler } = await import('../../../functions/userMigration/index.js');
    const result = await handler(migrationEvent('UserMigration_Authentication', 'jo@example.com', 'Index-Pw-1!'));
    expect(result.response).toMatchObject({ finalUserStatus: 'CONFIRMED', userAttributes: { email: 'jo@example.com', 'custom:legacy_id': '7' } });
    await expect(handler(migrationEvent('UserMigration_Authentication', 'jo@example.com', 'nope'))).rejects.toThrow('Incorrect username or password.');
  });

  it('answers the generic failure when the bundle was built for another directory', async () => {
    Object.assign(process.env, { ...HTTP, LEGACY_DIRECTORY_BUNDLE: 'ldap', POWERTOOLS_LOG_LEVEL: 'SILENT' });
    const { handler } = await import('../../../functions/userMigration/index.js');
    await expect(handler(migrationEvent('UserMigration_Authentication', 'jo@example.com', 'Index-Pw-1!'))).rejects.toThrow('Sign-in is temporarily unavailable. Please try again later.');
  });

  it('fails the cold start (the import) when a setting is wrong', async () => {
    Object.assign(process.env, { ...LDAP, LDAP_URL: 'ldap://plain.example.com', POWERTOOLS_LOG_LEVEL: 'SILENT' });
    await expect(import('../../../functions/userMigration/index.js')).rejects.toThrow(/LDAP_URL is plain ldap:\/\//);
  });
});
