import { createPool } from 'mysql2/promise';
import type { LegacyDirectory } from '../directory.js';
import type { SqlSettings } from './settings.js';
import { createSqlDirectory } from './sql.js';

/**
 * MySQL and MariaDB through `mysql2`: one pooled connection per container, kept across warm invocations,
 * short connect timeout, a per-query timeout, no multiple statements.
 */
export function createMysqlDirectory(settings: SqlSettings): LegacyDirectory {
  const pool = createPool({
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    password: settings.password,
    ...(settings.tls ? { ssl: { ...(settings.ca === undefined ? {} : { ca: settings.ca }), rejectUnauthorized: true } } : {}),
    connectionLimit: 1,
    maxIdle: 1,
    idleTimeout: 600_000,
    connectTimeout: settings.connectTimeoutMs,
    enableKeepAlive: true,
    multipleStatements: false,
    supportBigNumbers: true,
    bigNumberStrings: true,
    charset: 'utf8mb4',
  });
  const placeholders = (settings.query.match(/\?/g) ?? []).length;
  return createSqlDirectory(settings, async (userName) => {
    const [rows] = await pool.query({ sql: settings.query, timeout: settings.timeoutMs }, Array.from({ length: placeholders }, () => userName));
    return rows as Record<string, unknown>[];
  });
}
