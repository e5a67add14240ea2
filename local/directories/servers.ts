import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AdminCreateUserCommand, AdminDisableUserCommand, AdminSetUserPasswordCommand, CognitoIdentityProviderClient, CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { hash } from 'bcryptjs';
import type { LegacyDirectoryKind } from '../../shared/migration/config.js';
import { startCognitoLocal } from '../../test/support/cognitoLocal.js';
import { makeCertificates, startHttpsServer } from '../../test/support/https.js';
import { startMariaDb } from '../../test/support/mariadb.js';
import { startPostgres } from '../../test/support/postgres.js';
import { addBaseEntries, ldapDirectoryEnv, PEOPLE, startSlapd } from '../../test/support/slapd.js';

/** The sample users of local/directories/users.json, served by a real local server of each directory kind. */
export interface SampleUser {
  username: string;
  uid: string;
  password: string;
  email: string;
  emailVerified: boolean;
  phoneNumber?: string;
  phoneNumberVerified?: boolean;
  givenName: string;
  familyName: string;
  locale?: string;
  disabled?: boolean;
}

export const SAMPLE_USERS = JSON.parse(readFileSync(join(__dirname, 'users.json'), 'utf8')) as SampleUser[];

export interface LocalDirectory {
  /** The environment that points the userMigration function at this server. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export type ServedKind = Exclude<LegacyDirectoryKind, 'dynamodb'>;
export const SERVED_KINDS: readonly ServedKind[] = ['ldap', 'postgres', 'mysql', 'http', 'cognito'];

async function ldap(users: SampleUser[]): Promise<LocalDirectory> {
  const slapd = await startSlapd();
  const admin = await slapd.admin();
  await addBaseEntries(admin);
  for (const u of users) {
    await admin.add(`uid=${u.uid},${PEOPLE}`, {
      objectClass: ['inetOrgPerson', 'adAccount'],
      uid: u.uid,
      cn: `${u.givenName} ${u.familyName}`,
      givenName: u.givenName,
      sn: u.familyName,
      mail: u.email,
      ...(u.phoneNumber ? { mobile: u.phoneNumber } : {}),
      ...(u.locale ? { preferredLanguage: u.locale } : {}),
      userAccountControl: u.disabled ? '514' : '512',
      userPassword: u.password,
    });
  }
  await admin.unbind();
  return {
    env: ldapDirectoryEnv(slapd),
    stop: () => slapd.stop(),
  };
}

const COLUMNS = 'username, password_hash, email, email_verified, phone_number, phone_number_verified, attributes, disabled';
async function rows(users: SampleUser[]) {
  return Promise.all(
    users.map(async (u) => [u.username, await hash(u.password, 10), u.email, u.emailVerified, u.phoneNumber ?? null, u.phoneNumberVerified ?? false, JSON.stringify({ given_name: u.givenName, family_name: u.familyName, ...(u.locale ? { locale: u.locale } : {}) }), u.disabled ?? false]),
  );
}
const DB_PASSWORD = 'local-migrator-pw';

async function postgres(users: SampleUser[]): Promise<LocalDirectory> {
  const server = await startPostgres();
  const admin = await server.admin();
  await admin.query(`CREATE TABLE legacy_users (id bigserial PRIMARY KEY, username text UNIQUE NOT NULL, password_hash text, email text, email_verified boolean,
    phone_number text, phone_number_verified boolean, attributes jsonb, disabled boolean NOT NULL DEFAULT false)`);
  for (const row of await rows(users)) await admin.query(`INSERT INTO legacy_users (${COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`, row);
  await admin.query(`CREATE ROLE migrator LOGIN PASSWORD '${DB_PASSWORD}'`);
  await admin.query('GRANT SELECT ON legacy_users TO migrator');
  await admin.end();
  return { env: sqlEnv('postgres', server.port), stop: () => server.stop() };
}

async function mysql(users: SampleUser[]): Promise<LocalDirectory> {
  const server = await startMariaDb();
  const admin = await server.admin();
  await admin.query('CREATE DATABASE legacy CHARACTER SET utf8mb4');
  await admin.query(`CREATE TABLE legacy.legacy_users (id bigint AUTO_INCREMENT PRIMARY KEY, username varchar(255) UNIQUE NOT NULL, password_hash varchar(255), email varchar(255),
    email_verified tinyint(1), phone_number varchar(32), phone_number_verified tinyint(1), attributes json, disabled tinyint(1) NOT NULL DEFAULT 0)`);
  for (const row of await rows(users)) await admin.query(`INSERT INTO legacy.legacy_users (${COLUMNS}) VALUES (?,?,?,?,?,?,?,?)`, row);
  await admin.query(`CREATE USER 'migrator'@'%' IDENTIFIED BY '${DB_PASSWORD}'`);
  await admin.query("GRANT SELECT ON legacy.legacy_users TO 'migrator'@'%'");
  await admin.end();
  return { env: sqlEnv('mysql', server.port), stop: () => server.stop() };
}

function sqlEnv(kind: 'postgres' | 'mysql', port: number): Record<string, string> {
  return { LEGACY_DIRECTORY: kind, LEGACY_DB_HOST: '127.0.0.1', LEGACY_DB_PORT: String(port), LEGACY_DB_NAME: 'legacy', LEGACY_DB_USER: 'migrator', LEGACY_DIRECTORY_SECRET: DB_PASSWORD, LEGACY_DB_TLS: 'off' };
}

/** A login API that follows the README's contract, with a bearer secret. */
async function http(users: SampleUser[]): Promise<LocalDirectory> {
  const secret = 'local-login-api-secret';
  const certificates = makeCertificates();
  const api = await startHttpsServer(certificates, (request, body, response) => {
    const send = (status: number, answer: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(answer));
    };
    if (request.headers.authorization !== `Bearer ${secret}`) return send(401, { error: 'unauthorised' });
    const { username, password } = JSON.parse(body) as { username: string; password?: string };
    const user = users.find((u) => u.username === username);
    if (user === undefined) return send(200, { result: 'unknown' });
    if (user.disabled) return send(200, { result: 'disabled' });
    if (password !== undefined && password !== user.password) return send(200, { result: 'refused' });
    const profile = { id: user.uid, email: user.email, emailVerified: user.emailVerified, phoneNumber: user.phoneNumber, phoneNumberVerified: user.phoneNumberVerified, attributes: { given_name: user.givenName, family_name: user.familyName } };
    return send(200, { result: password === undefined ? 'found' : 'accepted', user: profile });
  });
  return {
    env: { LEGACY_DIRECTORY: 'http', LEGACY_HTTP_URL: api.url, LEGACY_HTTP_AUTH: 'bearer', LEGACY_DIRECTORY_SECRET: secret, LEGACY_DIRECTORY_CA_FILE: certificates.caFile },
    stop: async () => {
      await api.close();
      certificates.remove();
    },
  };
}

async function cognito(users: SampleUser[]): Promise<LocalDirectory> {
  const oldPool = await startCognitoLocal({ triggers: {} });
  const client = new CognitoIdentityProviderClient({ endpoint: oldPool.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const poolId = (await client.send(new CreateUserPoolCommand({ PoolName: 'old-pool' }))).UserPool?.Id ?? '';
  const clientId = (await client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'migration', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'] }))).UserPoolClient?.ClientId ?? '';
  for (const u of users) {
    const attributes: Record<string, string> = { email: u.email, email_verified: String(u.emailVerified), given_name: u.givenName, family_name: u.familyName };
    if (u.phoneNumber) Object.assign(attributes, { phone_number: u.phoneNumber, phone_number_verified: String(u.phoneNumberVerified ?? false) });
    await client.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: u.username, MessageAction: 'SUPPRESS', TemporaryPassword: 'Temp-Pw-1!aa', UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })) }));
    await client.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: u.username, Password: u.password, Permanent: true }));
    if (u.disabled) await client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: u.username }));
  }
  client.destroy();
  return {
    env: { LEGACY_DIRECTORY: 'cognito', LEGACY_COGNITO_USER_POOL_ID: poolId, LEGACY_COGNITO_CLIENT_ID: clientId, LEGACY_COGNITO_ENDPOINT: oldPool.endpoint },
    stop: () => oldPool.close(),
  };
}

const STARTERS: Record<ServedKind, (users: SampleUser[]) => Promise<LocalDirectory>> = { ldap, postgres, mysql, http, cognito };

export function startLocalDirectory(kind: ServedKind, users: SampleUser[] = SAMPLE_USERS): Promise<LocalDirectory> {
  return STARTERS[kind](users);
}
