import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client, InvalidCredentialsError } from 'ldapts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import type { Env } from '../../../shared/env.js';
import { loadDirectorySettings } from '../../../shared/migration/directories/settings.js';
import { freePort } from '../../support/https.js';
import { ADMIN_DN, ADMIN_PASSWORD, addBaseEntries, ldapDirectoryEnv, PEOPLE, type Slapd, slapdMissing, startSlapd } from '../../support/slapd.js';
import { captureAllLogs, directoryFrom, entries, expectNoSecretIn, type Logs, migrator, outcomes, REFUSED, UNAVAILABLE } from './support.js';

const ALICE_PW = 'Alice-Ldap-Pw-7Qx!';
const BOB_PW = 'Bob-Ldap-Pw-2Wz?';
const CAROL_PW = 'Carol-Ldap-Pw-5Rt#';
const WRONG = 'Wrong-Ldap-Pw-9Kc%';
const SECRETS = [ALICE_PW, BOB_PW, CAROL_PW, WRONG, ADMIN_PASSWORD];

const missing = slapdMissing();
let slapd: Slapd;
let logs: Logs;

function env(overrides: Env = {}): Env {
  return {
    ...ldapDirectoryEnv(slapd),
    LEGACY_DIRECTORY_TIMEOUT_MS: '1500',
    ...overrides,
  };
}

async function ldap(overrides: Env = {}) {
  return migrator(await directoryFrom(env(overrides), logs), logs);
}

describe.skipIf(missing !== undefined)(`LDAP directory against a real slapd${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    slapd = await startSlapd();
    const admin = await slapd.admin();
    await addBaseEntries(admin);
    await admin.add(`uid=alice,${PEOPLE}`, {
      objectClass: ['inetOrgPerson'],
      uid: 'alice',
      cn: 'Alice Liddell',
      sn: 'Liddell',
      givenName: 'Alice',
      displayName: 'Alice L.',
      mail: 'alice@example.test',
      mobile: '+1 (555) 555-0100',
      preferredLanguage: 'en-GB',
      userPassword: ALICE_PW,
    });
    await admin.add(`uid=kim,${PEOPLE}`, { objectClass: 'inetOrgPerson', uid: 'kim', cn: 'Kim', sn: 'K', mail: 'kim@example.test', userPassword: ALICE_PW });
    // Takes the wrong passwords (the lockout policy locks an entry after two).
    await admin.add(`uid=dave,${PEOPLE}`, { objectClass: 'inetOrgPerson', uid: 'dave', cn: 'Dave', sn: 'D', userPassword: ALICE_PW });
    await admin.add(`uid=a*b,${PEOPLE}`, { objectClass: 'inetOrgPerson', uid: 'a*b', cn: 'Star', sn: 'Star', userPassword: ALICE_PW });
    // An AD-style disabled account: userAccountControl 514 = NORMAL_ACCOUNT | ACCOUNTDISABLE.
    await admin.add(`uid=bob,${PEOPLE}`, { objectClass: ['inetOrgPerson', 'adAccount'], uid: 'bob', cn: 'Bob', sn: 'B', mail: 'bob@example.test', userAccountControl: '514', userPassword: BOB_PW });
    await admin.add(`uid=carol,${PEOPLE}`, { objectClass: 'inetOrgPerson', uid: 'carol', cn: 'Carol', sn: 'C', mail: 'carol@example.test', userPassword: CAROL_PW });
    await admin.unbind();
    // Two wrong binds: the ppolicy overlay locks carol's entry (pwdAccountLockedTime) until an admin unlocks it.
    for (let i = 0; i < 2; i++) {
      const client = new Client({ url: slapd.ldapUrl });
      await client.bind(`uid=carol,${PEOPLE}`, WRONG).catch(() => undefined);
      await client.unbind();
    }
  });
  afterAll(async () => {
    await slapd?.stop();
  });
  beforeEach(() => {
    logs = captureAllLogs();
  });
  afterEach(() => {
    logs.restore();
    vi.restoreAllMocks();
    expectNoSecretIn(logs, SECRETS);
  });

  it('migrates a user whose bind succeeds, with the mapped attributes and the DN as legacy id', async () => {
    expect(await (await ldap()).signIn('alice', ALICE_PW)).toEqual({
      ok: true,
      finalUserStatus: 'CONFIRMED',
      attributes: {
        given_name: 'Alice',
        family_name: 'Liddell',
        name: 'Alice L.',
        locale: 'en-GB',
        'custom:legacy_id': `uid=alice,${PEOPLE}`,
        email: 'alice@example.test',
        email_verified: 'true',
        phone_number: '+15555550100',
        phone_number_verified: 'false',
      },
    });
  });

  it('finds the user by any attribute the filter names (here mail), and maps attributes as configured', async () => {
    const result = await (await ldap({ LDAP_ATTRIBUTES: 'email=mail,given_name=cn', LDAP_ID_ATTRIBUTE: 'uid', LEGACY_ID_ATTRIBUTE: 'custom:old_uid' })).signIn('alice@example.test', ALICE_PW);
    expect(result).toEqual({ ok: true, finalUserStatus: 'CONFIRMED', attributes: { given_name: 'Alice Liddell', 'custom:old_uid': 'alice', email: 'alice@example.test', email_verified: 'true' } });
  });

  it('never binds with an empty password, even when asked directly', async () => {
    const bind = vi.spyOn(Client.prototype, 'bind');
    const directory = await directoryFrom(env(), logs);
    expect(await directory.authenticate?.('alice', '')).toEqual({ outcome: 'wrong-password' });
    expect(await directory.authenticate?.('alice', '   ')).toEqual({ outcome: 'wrong-password' });
    expect(await migrator(directory, logs).signIn('alice', '')).toEqual(REFUSED);
    expect(bind).not.toHaveBeenCalled();
  });

  it('escapes the user name (RFC 4515): "*)(uid=*" and "*" match nobody, "a*b" matches only the entry named so', async () => {
    const m = await ldap();
    const searches = vi.spyOn(Client.prototype, 'search');
    expect(await m.signIn('*)(uid=*', ALICE_PW)).toEqual(REFUSED);
    expect(await m.signIn('*', ALICE_PW)).toEqual(REFUSED);
    expect(await m.signIn('alic*', ALICE_PW)).toEqual(REFUSED);
    expect(outcomes(logs)).toEqual(['unknown-user', 'unknown-user', 'unknown-user']);
    expect(searches.mock.calls[0]?.[1]?.filter).toBe('(|(uid=\\2a\\29\\28uid=\\2a)(mail=\\2a\\29\\28uid=\\2a))');
    const star = await m.signIn('a*b', ALICE_PW);
    expect(star).toMatchObject({ ok: true, attributes: { 'custom:legacy_id': `uid=a*b,${PEOPLE}` } });
  });

  it('spends a bind on an unknown user too (to a DN that does not exist), as on a wrong password', async () => {
    const m = await ldap();
    const bind = vi.spyOn(Client.prototype, 'bind');
    expect(await m.signIn('nobody', WRONG)).toEqual(REFUSED);
    expect(await m.signIn('dave', WRONG)).toEqual(REFUSED);
    const binds = bind.mock.calls.map(([dn]) => String(dn));
    expect(binds).toHaveLength(4); // service account + one bind, for each
    expect(binds[1]).toMatch(new RegExp(`^cn=[0-9a-f]{24},${PEOPLE}$`));
    expect(binds[3]).toBe(`uid=dave,${PEOPLE}`);
    expect(outcomes(logs)).toEqual(['unknown-user', 'wrong-password']);
  });

  it('refuses a look-alike name the server folds onto another entry ("\u212Aim" with a Kelvin sign for kim)', async () => {
    const m = await ldap();
    const searches = vi.spyOn(Client.prototype, 'search');
    expect(await m.signIn('\u212Aim', ALICE_PW)).toEqual(REFUSED);
    expect(await m.signIn('KIM', ALICE_PW)).toMatchObject({ ok: true });
    expect(outcomes(logs)).toEqual(['unknown-user', 'migrated']);
    // The server did find kim's entry for the look-alike: it is the suite that refuses it.
    const found = await searches.mock.results[0]?.value;
    expect(found.searchEntries.map((e: { dn: string }) => e.dn)).toEqual([`uid=kim,${PEOPLE}`]);
  });

  it('refuses a name the filter finds more than one entry for, naming the problem in the log', async () => {
    // Every person entry has objectClass inetOrgPerson: the server stops at the size limit.
    const m = await ldap({ LDAP_USER_FILTER: '(|(uid={username})(objectClass={username}))' });
    expect(await m.signIn('inetOrgPerson', ALICE_PW)).toEqual(REFUSED);
    expect(outcomes(logs)).toEqual(['unusable-entry']);
    expect(entries(logs.lines).find((e) => e.message === 'Legacy directory entry cannot be read')).toMatchObject({ problem: 'LDAP_USER_FILTER matched more than one entry' });
  });

  it('refuses a wrong password with the generic text and logs why', async () => {
    expect(await (await ldap()).signIn('dave', WRONG)).toEqual(REFUSED);
    expect(entries(logs.lines).find((e) => e.message === 'LDAP bind refused')).toMatchObject({ reason: 'invalid credentials' });
    expect(outcomes(logs)).toEqual(['wrong-password']);
  });

  it('refuses an AD-disabled account (userAccountControl bit 2) even with the right password', async () => {
    expect(await (await ldap()).signIn('bob', BOB_PW)).toEqual(REFUSED);
    expect(outcomes(logs)).toEqual(['disabled']);
  });

  it('refuses a locked entry (ppolicy), and names it disabled when LDAP_DISABLED_FILTER matches it', async () => {
    expect(await (await ldap()).signIn('carol', CAROL_PW)).toEqual(REFUSED);
    expect(outcomes(logs)).toEqual(['wrong-password']); // slapd answers a locked entry's bind with invalidCredentials
    const withFilter = await ldap({ LDAP_DISABLED_FILTER: '(pwdAccountLockedTime=*)' });
    expect(await withFilter.forgotPassword('carol')).toEqual(REFUSED);
    expect(outcomes(logs)).toEqual(['wrong-password', 'disabled']);
  });

  it.each([
    ['52e', 'wrong-password', 'invalid credentials (AD 52e)'],
    ['533', 'disabled', 'account disabled (AD 533)'],
    ['701', 'disabled', 'account expired (AD 701)'],
    ['773', 'disabled', 'user must reset password (AD 773)'],
    ['775', 'disabled', 'account locked out (AD 775)'],
  ])('maps Active Directory sub-code %s to the one refusal (%s), the reason only in the log', async (code, outcome, reason) => {
    const realBind = Client.prototype.bind;
    vi.spyOn(Client.prototype, 'bind').mockImplementation(async function (this: Client, dn, password) {
      if (typeof dn === 'string' && dn.startsWith('uid=alice')) {
        throw new InvalidCredentialsError(`80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data ${code}, v4563`);
      }
      return realBind.call(this, dn, password);
    });
    expect(await (await ldap()).signIn('alice', ALICE_PW)).toEqual(REFUSED);
    expect(outcomes(logs)).toEqual([outcome]);
    expect(entries(logs.lines).find((e) => e.message === 'LDAP bind refused')).toMatchObject({ reason });
  });

  it('serves forgot-password from the directory without binding as the user', async () => {
    const bind = vi.spyOn(Client.prototype, 'bind');
    const result = await (await ldap()).forgotPassword('alice');
    expect(result).toMatchObject({ ok: true, finalUserStatus: undefined, attributes: { email: 'alice@example.test', email_verified: 'true' } });
    expect(bind.mock.calls.map((call) => call[0])).toEqual([ADMIN_DN]);
    expect(await (await ldap()).forgotPassword('nobody')).toEqual(REFUSED);
  });

  it('speaks StartTLS with the CA bundle on ldap://', async () => {
    expect(await (await ldap({ LDAP_URL: slapd.ldapUrl, LDAP_START_TLS: 'true' })).signIn('alice', ALICE_PW)).toMatchObject({ ok: true });
  });

  it('uses plain LDAP only when LDAP_ALLOW_PLAIN=true, and refuses the cold start otherwise', async () => {
    expect(() => loadDirectorySettings(env({ LDAP_URL: slapd.ldapUrl }))).toThrow(ConfigError);
    expect(() => loadDirectorySettings(env({ LDAP_URL: slapd.ldapUrl }))).toThrow(/LDAP_URL is plain ldap:\/\//);
    expect(await (await ldap({ LDAP_URL: slapd.ldapUrl, LDAP_ALLOW_PLAIN: 'true' })).signIn('alice', ALICE_PW)).toMatchObject({ ok: true });
  });

  it('fails closed when the server certificate does not chain to the configured CAs', async () => {
    expect(await (await ldap({ LEGACY_DIRECTORY_CA_FILE: '' })).signIn('alice', ALICE_PW)).toEqual(UNAVAILABLE);
    expect(entries(logs.lines).find((e) => e.message === 'Legacy directory look-up failed')).toBeDefined();
  });

  it('fails closed with a clear log line when the server is down', async () => {
    const port = await freePort();
    const started = Date.now();
    expect(await (await ldap({ LDAP_URL: `ldaps://127.0.0.1:${port}` })).signIn('alice', ALICE_PW)).toEqual(UNAVAILABLE);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(entries(logs.lines).find((e) => e.message === 'Legacy directory look-up failed')).toMatchObject({ error: { name: expect.any(String) } });
  });

  it('fails closed inside LEGACY_DIRECTORY_TIMEOUT_MS when the server accepts but never answers', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = Date.now();
      const result = await (await ldap({ LDAP_URL: `ldap://127.0.0.1:${port}`, LDAP_ALLOW_PLAIN: 'true', LEGACY_DIRECTORY_TIMEOUT_MS: '400' })).signIn('alice', ALICE_PW);
      expect(result).toEqual(UNAVAILABLE);
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(JSON.stringify(entries(logs.lines).find((e) => e.message === 'Legacy directory look-up failed'))).toMatch(/no answer|timeout|timed out/i);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('does not leak the service account password when that bind fails', async () => {
    expect(await (await ldap({ LEGACY_DIRECTORY_SECRET: 'Not-The-Admin-Pw-1' })).signIn('alice', ALICE_PW)).toEqual(UNAVAILABLE);
    expect(logs.text()).not.toContain('Not-The-Admin-Pw-1');
  });
});
