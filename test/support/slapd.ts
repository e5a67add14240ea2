import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';
import { freePort, makeCertificates, type TestCertificates } from './https.js';
import { hasExited, stopProcess } from './process.js';

/**
 * A throw-away OpenLDAP slapd (Debian package `slapd`) on loopback ports, with a self-signed CA, LDAPS
 * and StartTLS, the ppolicy overlay (lockout after 2 wrong binds) and AD's userAccountControl attribute.
 * Configuration as in /work/shared/COGNITO-REFERENCE-ADDENDUM.md H.2.
 */

export const SLAPD_BINARY = '/usr/sbin/slapd';
export const BASE = 'dc=example,dc=test';
export const PEOPLE = `ou=people,${BASE}`;
export const ADMIN_DN = `cn=admin,${BASE}`;
export const ADMIN_PASSWORD = 'slapd-admin-pw';

/** The userMigration settings for this slapd's people, over LDAPS with its CA, searched as the admin. */
export function ldapDirectoryEnv(slapd: Pick<Slapd, 'ldapsUrl' | 'certificates'>): Record<string, string> {
  return {
    LEGACY_DIRECTORY: 'ldap',
    LDAP_URL: slapd.ldapsUrl,
    LEGACY_DIRECTORY_CA_FILE: slapd.certificates.caFile,
    LDAP_BIND_DN: ADMIN_DN,
    LEGACY_DIRECTORY_SECRET: ADMIN_PASSWORD,
    LDAP_BASE_DN: PEOPLE,
    LDAP_USER_FILTER: '(|(uid={username})(mail={username}))',
    LDAP_EMAIL_VERIFIED: 'true',
  };
}

/** The reason a slapd test is skipped, or undefined when slapd is installed. */
export function slapdMissing(): string | undefined {
  return existsSync(SLAPD_BINARY) ? undefined : 'slapd is not installed (Debian package "slapd"; .ci/run installs it)';
}

export interface Slapd {
  /** ldap:// (StartTLS available) and ldaps:// on 127.0.0.1. */
  ldapUrl: string;
  ldapsUrl: string;
  certificates: TestCertificates;
  /** A client bound as the root DN, for setting up entries. */
  admin(): Promise<Client>;
  stop(): Promise<void>;
}

const AD_SCHEMA = `
attributetype ( 1.2.840.113556.1.4.8 NAME 'userAccountControl'
  EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
objectclass ( 1.3.6.1.4.1.99999.1 NAME 'adAccount' SUP top AUXILIARY MAY ( userAccountControl ) )
`;

export async function startSlapd(): Promise<Slapd> {
  const dir = mkdtempSync(join(tmpdir(), 'slapd-'));
  mkdirSync(join(dir, 'db'));
  const certificates = makeCertificates();
  writeFileSync(join(dir, 'ad.schema'), AD_SCHEMA);
  writeFileSync(
    join(dir, 'slapd.conf'),
    `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include ${dir}/ad.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload ppolicy
pidfile ${dir}/slapd.pid
TLSCACertificateFile ${certificates.caFile}
TLSCertificateFile ${certificates.certFile}
TLSCertificateKeyFile ${certificates.keyFile}
database mdb
maxsize 104857600
suffix "${BASE}"
rootdn "${ADMIN_DN}"
rootpw ${ADMIN_PASSWORD}
directory ${dir}/db
index objectClass,uid,mail eq
overlay ppolicy
ppolicy_default "cn=default,ou=policies,${BASE}"
access to attrs=userPassword by self write by anonymous auth by * none
access to * by * read
`,
  );
  const check = spawnSync('/usr/sbin/slaptest', ['-f', join(dir, 'slapd.conf'), '-u'], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`slaptest failed: ${check.stderr}`);
  const [plainPort, tlsPort] = [await freePort(), await freePort()];
  const ldapUrl = `ldap://127.0.0.1:${plainPort}`;
  const ldapsUrl = `ldaps://127.0.0.1:${tlsPort}`;
  const child: ChildProcess = spawn(SLAPD_BINARY, ['-d', '0', '-h', `${ldapUrl}/ ${ldapsUrl}/`, '-f', join(dir, 'slapd.conf')], { stdio: 'ignore' });

  const admin = async () => {
    const client = new Client({ url: ldapUrl, timeout: 2_000, connectTimeout: 1_000 });
    await client.bind(ADMIN_DN, ADMIN_PASSWORD);
    return client;
  };
  const started = Date.now();
  for (;;) {
    try {
      const client = await admin();
      await client.unbind();
      break;
    } catch (error) {
      if (hasExited(child) || Date.now() - started > 15_000) throw new Error(`slapd did not start: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    ldapUrl,
    ldapsUrl,
    certificates,
    admin,
    stop: async () => {
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
      certificates.remove();
    },
  };
}

/** The suffix, ou=people and ou=policies, and a lockout policy: two wrong binds lock an entry until an admin unlocks it. */
export async function addBaseEntries(client: Client): Promise<void> {
  await client.add(BASE, { objectClass: ['dcObject', 'organization'], dc: 'example', o: 'Example' });
  await client.add(PEOPLE, { objectClass: 'organizationalUnit', ou: 'people' });
  await client.add(`ou=policies,${BASE}`, { objectClass: 'organizationalUnit', ou: 'policies' });
  await client.add(`cn=default,ou=policies,${BASE}`, {
    objectClass: ['device', 'pwdPolicy'],
    cn: 'default',
    pwdAttribute: 'userPassword',
    pwdLockout: 'TRUE',
    pwdMaxFailure: '2',
    pwdLockoutDuration: '0',
  });
}
