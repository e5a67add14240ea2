import pg from 'pg';
import type { LegacyDirectory } from '../directory.js';
import type { SqlSettings } from './settings.js';
import { createSqlDirectory } from './sql.js';

/**
 * PostgreSQL through `pg`: one pooled connection per container, opened on first use and kept across
 * warm invocations (a broken one is dropped and reopened by the pool), with short connect and query timeouts.
 */
export function createPostgresDirectory(settings: SqlSettings): LegacyDirectory {
  const pool = new pg.Pool({
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    password: settings.password,
    ssl: settings.tls ? { ca: settings.ca, rejectUnauthorized: true } : false,
    max: 1,
    idleTimeoutMillis: 0,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    query_timeout: settings.timeoutMs,
    statement_timeout: settings.timeoutMs,
    application_name: 'cognito-user-migration',
  });
  // An idle connection the server drops must not crash the container; the pool replaces it.
  pool.on('error', () => undefined);
  return createSqlDirectory(settings, async (userName) => (await pool.query<Record<string, unknown>>(settings.query, [userName])).rows);
}
