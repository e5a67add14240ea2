import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { type Connection, createConnection } from 'mysql2/promise';
import { freePort } from './https.js';
import { hasExited, stopProcess } from './process.js';

/**
 * A throw-away MariaDB (Debian package `mariadb-server`): mariadb-install-db into a temp directory, then
 * mariadbd on a loopback port with its socket in the same directory. Root connects through the socket.
 */
export const MARIADBD = '/usr/sbin/mariadbd';
const INSTALL_DB = '/usr/bin/mariadb-install-db';

export function mariadbMissing(): string | undefined {
  return existsSync(MARIADBD) && existsSync(INSTALL_DB) ? undefined : 'MariaDB is not installed (Debian package "mariadb-server"; .ci/run installs it)';
}

export interface TestMariaDb {
  host: string;
  port: number;
  /** A root connection (through the socket) for setting up tables and users. */
  admin(): Promise<Connection>;
  stop(): Promise<void>;
}

export async function startMariaDb(): Promise<TestMariaDb> {
  const dir = mkdtempSync(join(tmpdir(), 'mariadb-'));
  const datadir = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  // Run as whoever runs the tests (root on the dev machine, a normal user in most CI).
  const user = `--user=${userInfo().username}`;
  const install = spawnSync(INSTALL_DB, ['--no-defaults', `--datadir=${datadir}`, user, '--auth-root-authentication-method=normal', '--skip-test-db'], { encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr}`);
  const port = await freePort();
  const child: ChildProcess = spawn(
    MARIADBD,
    ['--no-defaults', `--datadir=${datadir}`, `--socket=${socket}`, `--port=${port}`, '--bind-address=127.0.0.1', user, `--pid-file=${join(dir, 'mysqld.pid')}`, '--skip-log-bin', '--innodb-buffer-pool-size=16M'],
    { stdio: 'ignore' },
  );
  const admin = () => createConnection({ socketPath: socket, user: 'root' });
  const started = Date.now();
  for (;;) {
    try {
      await (await admin()).end();
      break;
    } catch (error) {
      if (hasExited(child) || Date.now() - started > 30_000) throw new Error(`mariadbd did not start: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  return {
    host: '127.0.0.1',
    port,
    admin,
    stop: async () => {
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
