// Warm handler time ÷ bare password check per migration directory, against local servers the script starts
// (slapd, embedded PostgreSQL, MariaDB, an HTTPS login API, cognito-local). Writes JSON to argv[2].
// Run by scripts/bench/directories.mjs; a server whose package is missing is reported as skipped.
import { writeFileSync } from 'node:fs';
import { request, Agent } from 'node:https';
import { performance } from 'node:perf_hooks';
import { AdminCreateUserCommand, AdminInitiateAuthCommand, AdminSetUserPasswordCommand, CognitoIdentityProviderClient, CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { compare, hash } from 'bcryptjs';
import { Client } from 'ldapts';
import { makeUserMigrationHandler } from '../../functions/userMigration/handler.js';
import type { Env } from '../../shared/env.js';
import { logger } from '../../shared/logger.js';
import { openDirectory } from '../../shared/migration/directories/open.js';
import { loadDirectorySettings } from '../../shared/migration/directories/settings.js';
import { startCognitoLocal } from '../../test/support/cognitoLocal.js';
import { makeCertificates, startHttpsServer } from '../../test/support/https.js';
import { mariadbMissing, startMariaDb } from '../../test/support/mariadb.js';
import { startPostgres } from '../../test/support/postgres.js';
import { ADMIN_DN, ADMIN_PASSWORD, addBaseEntries, PEOPLE, slapdMissing, startSlapd } from '../../test/support/slapd.js';

const RUNS = Number(process.env.BENCH_DIRECTORY_WARM_RUNS ?? 30);
const PASSWORD = 'Bench-Legacy-Pw-1!';
const USER = 'jo@example.com';

type Stats = { median: number; min: number; max: number; n: number };
const stats = (v: number[]): Stats => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return { median: s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2, min: s[0] as number, max: s[s.length - 1] as number, n: s.length };
};

async function paired(bare: () => Promise<unknown>, handler: () => Promise<unknown>) {
  await bare();
  await handler(); // warm: connections opened, code paths compiled
  const b: number[] = [];
  const h: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 === 0 ? [bare, handler] : [handler, bare];
    const times: number[] = [];
    for (const fn of order) {
      const t = performance.now();
      await fn();
      times.push(performance.now() - t);
    }
    const [tb, th] = i % 2 === 0 ? times : [times[1], times[0]];
    b.push(tb as number);
    h.push(th as number);
    r.push((th as number) / (tb as number));
  }
  return { bare: stats(b), handler: stats(h), ratio: stats(r) };
}

async function handlerFor(env: Env) {
  const directory = await openDirectory(loadDirectorySettings(env), logger);
  const migrate = makeUserMigrationHandler({ config: { legacyUsersTable: '', dummyHashCost: 10 }, directory, logger });
  return async () => {
    const result = await migrate({
      version: '1', triggerSource: 'UserMigration_Authentication', region: 'us-east-1', userPoolId: 'us-east-1_BENCH', userName: USER,
      callerContext: { awsSdkVersion: 'bench', clientId: 'bench' }, request: { password: PASSWORD }, response: {},
    } as never);
    if (!(result as { response: { finalUserStatus?: string } }).response.finalUserStatus) throw new Error('not migrated');
  };
}

const rows: Record<string, unknown>[] = [];

async function sql(kind: 'postgres' | 'mysql'): Promise<void> {
  const missing = kind === 'mysql' ? mariadbMissing() : undefined;
  if (missing) {
    rows.push({ directory: kind, skipped: missing });
    return;
  }
  const passwordHash = await hash(PASSWORD, 10);
  const server = kind === 'postgres' ? await startPostgres() : await startMariaDb();
  try {
    if (kind === 'postgres') {
      const admin = await (server as Awaited<ReturnType<typeof startPostgres>>).admin();
      await admin.query('CREATE TABLE legacy_users (id bigserial PRIMARY KEY, username text UNIQUE, password_hash text, email text, email_verified boolean, phone_number text, phone_number_verified boolean, attributes jsonb, disabled boolean DEFAULT false)');
      await admin.query('INSERT INTO legacy_users (username, password_hash, email, email_verified) VALUES ($1, $2, $1, true)', [USER, passwordHash]);
      await admin.query("CREATE ROLE migrator LOGIN PASSWORD 'bench-db-pw'; GRANT SELECT ON legacy_users TO migrator");
      await admin.end();
    } else {
      const admin = await (server as Awaited<ReturnType<typeof startMariaDb>>).admin();
      await admin.query('CREATE DATABASE legacy CHARACTER SET utf8mb4');
      await admin.query('CREATE TABLE legacy.legacy_users (id bigint AUTO_INCREMENT PRIMARY KEY, username varchar(255) UNIQUE, password_hash varchar(255), email varchar(255), email_verified tinyint(1), phone_number varchar(32), phone_number_verified tinyint(1), attributes json, disabled tinyint(1) DEFAULT 0)');
      await admin.query('INSERT INTO legacy.legacy_users (username, password_hash, email, email_verified) VALUES (?, ?, ?, 1)', [USER, passwordHash, USER]);
      await admin.query("CREATE USER 'migrator'@'%' IDENTIFIED BY 'bench-db-pw'");
      await admin.query("GRANT SELECT ON legacy.legacy_users TO 'migrator'@'%'");
      await admin.end();
    }
    const handler = await handlerFor({ LEGACY_DIRECTORY: kind, LEGACY_DB_HOST: '127.0.0.1', LEGACY_DB_PORT: String(server.port), LEGACY_DB_NAME: 'legacy', LEGACY_DB_USER: 'migrator', LEGACY_DIRECTORY_SECRET: 'bench-db-pw', LEGACY_DB_TLS: 'off' });
    rows.push({ directory: `${kind} (bcrypt 10)`, ...(await paired(() => compare(PASSWORD, passwordHash), handler)) });
  } finally {
    await server.stop();
  }
}

async function ldap(): Promise<void> {
  const missing = slapdMissing();
  if (missing) {
    rows.push({ directory: 'ldap', skipped: missing });
    return;
  }
  const slapd = await startSlapd();
  try {
    const admin = await slapd.admin();
    await addBaseEntries(admin);
    await admin.add(`uid=jo,${PEOPLE}`, { objectClass: 'inetOrgPerson', uid: 'jo', cn: 'Jo', sn: 'E', mail: USER, userPassword: PASSWORD });
    await admin.unbind();
    const handler = await handlerFor({ LEGACY_DIRECTORY: 'ldap', LDAP_URL: slapd.ldapsUrl, LEGACY_DIRECTORY_CA_FILE: slapd.certificates.caFile, LDAP_BIND_DN: ADMIN_DN, LEGACY_DIRECTORY_SECRET: ADMIN_PASSWORD, LDAP_BASE_DN: PEOPLE, LDAP_USER_FILTER: '(mail={username})' });
    const bare = async () => {
      const client = new Client({ url: slapd.ldapsUrl, tlsOptions: { ca: slapd.certificates.ca } });
      await client.bind(`uid=jo,${PEOPLE}`, PASSWORD);
      await client.unbind();
    };
    rows.push({ directory: 'ldap (LDAPS, slapd; bare = connect + bind)', ...(await paired(bare, handler)) });
  } finally {
    await slapd.stop();
  }
}

async function http() {
  const certificates = makeCertificates();
  const user = { id: 'u-1', email: USER, emailVerified: true };
  const api = await startHttpsServer(certificates, (_req, body, res) => {
    const { password } = JSON.parse(body) as { password?: string };
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(password === PASSWORD ? { result: 'accepted', user } : { result: 'refused' }));
  });
  try {
    const handler = await handlerFor({ LEGACY_DIRECTORY: 'http', LEGACY_HTTP_URL: api.url, LEGACY_DIRECTORY_SECRET: 'bench-api-secret', LEGACY_DIRECTORY_CA_FILE: certificates.caFile });
    const agent = new Agent({ keepAlive: true, ca: certificates.ca });
    const body = JSON.stringify({ username: USER, password: PASSWORD });
    const bare = () =>
      new Promise<void>((resolve, reject) => {
        const req = request(api.url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', Authorization: 'Bearer bench-api-secret' } }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
        req.end(body);
      });
    rows.push({ directory: 'http (keep-alive HTTPS; bare = one POST)', ...(await paired(bare, handler)) });
    agent.destroy();
  } finally {
    await api.close();
    certificates.remove();
  }
}

async function cognito() {
  const oldPool = await startCognitoLocal({ triggers: {} });
  try {
    const client = new CognitoIdentityProviderClient({ endpoint: oldPool.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const poolId = (await client.send(new CreateUserPoolCommand({ PoolName: 'old' }))).UserPool?.Id ?? '';
    const clientId = (await client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'm', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'] }))).UserPoolClient?.ClientId ?? '';
    await client.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: USER, MessageAction: 'SUPPRESS', TemporaryPassword: 'Temp-Pw-1!aa', UserAttributes: [{ Name: 'email', Value: USER }, { Name: 'email_verified', Value: 'true' }] }));
    await client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: USER, Password: PASSWORD, Permanent: true }));
    const handler = await handlerFor({ LEGACY_DIRECTORY: 'cognito', LEGACY_COGNITO_USER_POOL_ID: poolId, LEGACY_COGNITO_CLIENT_ID: clientId, LEGACY_COGNITO_ENDPOINT: oldPool.endpoint });
    const bare = () => client.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: USER, PASSWORD } }));
    rows.push({ directory: 'cognito (cognito-local; bare = AdminInitiateAuth)', ...(await paired(bare, handler)) });
    client.destroy();
  } finally {
    await oldPool.close();
  }
}

async function main() {
  for (const run of [() => sql('postgres'), () => sql('mysql'), ldap, http, cognito]) {
    try {
      await run();
    } catch (error) {
      rows.push({ directory: run.name || 'sql', skipped: `failed: ${(error as Error).message.split('\n')[0]}` });
    }
  }
  writeFileSync(process.argv[2] ?? 'directories-warm.json', JSON.stringify({ rows }, null, 2));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  },
);
