import { randomBytes } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { Client, type Entry, InvalidCredentialsError, SizeLimitExceededError } from 'ldapts';
import { type DirectoryVerdict, foldAsciiCase, type LegacyDirectory } from '../directory.js';
import { LegacyUserError } from '../legacyUser.js';
import { type Profile, toLegacyUser, withinDeadline } from './common.js';
import { bindFailureOf, isBindablePassword, isDisabledByAccountControl, namedAttributesOf, userFilterFor } from './ldapRules.js';
import type { LdapSettings } from './settings.js';

/**
 * LDAP and Active Directory, by bind: a read-only service account finds the entry with the configured
 * filter (the user name escaped per RFC 4515), then the entry's own DN binds with the typed password.
 * One connection per check, over LDAPS or StartTLS unless plain LDAP is allowed explicitly.
 */

type Found = { dn: string; profile: Profile; disabled: boolean };

function values(entry: Entry, name: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  if (key === undefined) return [];
  const raw = entry[key];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v)));
}

export function createLdapDirectory(settings: LdapSettings, logger: Logger): LegacyDirectory {
  // A fresh object per use: ldapts writes the socket into the options it is given for StartTLS.
  const tlsOptions = () => ({ ca: settings.ca, minVersion: 'TLSv1.2' as const });
  const secure = settings.url.toLowerCase().startsWith('ldaps:');
  // The attributes the filter compares with the typed name (uid, mail, sAMAccountName, …).
  const nameAttributes = namedAttributesOf(settings.userFilter);
  const requested = [
    ...new Set([...Object.values(settings.attributeMap), ...nameAttributes, 'userAccountControl', ...(settings.idAttribute === 'dn' ? [] : [settings.idAttribute])]),
  ];

  async function connect(signal: AbortSignal): Promise<Client> {
    // TLS options on an ldap:// client break its later StartTLS (ldapts 8): give them to one or the other.
    const client = new Client({
      url: settings.url,
      timeout: settings.timeoutMs,
      connectTimeout: settings.connectTimeoutMs,
      ...(secure ? { tlsOptions: tlsOptions() } : {}),
      strictDN: false,
    });
    // Whatever happens after the deadline, the socket does not outlive the invocation's answer.
    signal.addEventListener('abort', () => void client.unbind().catch(() => undefined), { once: true });
    if (settings.startTls) await client.startTLS(tlsOptions());
    return client;
  }

  async function find(client: Client, userName: string): Promise<Found | undefined> {
    await client.bind(settings.bindDn, settings.bindPassword);
    const { searchEntries } = await client
      .search(settings.baseDn, { scope: 'sub', filter: userFilterFor(settings.userFilter, userName), attributes: requested, sizeLimit: 2 })
      .catch((error: unknown) => {
        // More than two matches: the server stops at the limit and says so.
        if (error instanceof SizeLimitExceededError) throw new LegacyUserError('LDAP_USER_FILTER matched more than one entry');
        throw error;
      });
    if (searchEntries.length === 0) return undefined;
    if (searchEntries.length > 1) throw new LegacyUserError('LDAP_USER_FILTER matched more than one entry');
    const entry = searchEntries[0] as Entry;
    // The server's matching rules may fold Unicode look-alikes ("\u212Aim" = "kim"): such an entry is not this user's.
    const typed = foldAsciiCase(userName);
    if (!nameAttributes.some((name) => values(entry, name).some((value) => foldAsciiCase(value) === typed))) return undefined;
    let disabled = isDisabledByAccountControl(values(entry, 'userAccountControl')[0]);
    if (!disabled && settings.disabledFilter !== undefined) {
      const check = await client.search(entry.dn, { scope: 'base', filter: settings.disabledFilter, attributes: ['1.1'] });
      disabled = check.searchEntries.length > 0;
    }
    const map = settings.attributeMap;
    const attributes: Record<string, string> = {};
    for (const [cognito, ldap] of Object.entries(map)) {
      const value = values(entry, ldap)[0];
      if (cognito !== 'email' && cognito !== 'phone_number' && value !== undefined && value !== '') attributes[cognito] = value;
    }
    const email = map.email === undefined ? undefined : values(entry, map.email)[0];
    const phoneNumber = map.phone_number === undefined ? undefined : values(entry, map.phone_number)[0];
    const profile: Profile = {
      username: userName,
      legacyId: settings.idAttribute === 'dn' ? entry.dn : values(entry, settings.idAttribute)[0],
      email,
      emailVerified: email !== undefined && settings.emailVerified,
      phoneNumber,
      phoneNumberVerified: phoneNumber !== undefined && settings.phoneNumberVerified,
      attributes,
      disabled,
    };
    return { dn: entry.dn, profile, disabled };
  }

  async function session<T>(what: string, work: (client: Client) => Promise<T>): Promise<T> {
    return withinDeadline(what, settings.timeoutMs, async (signal) => {
      const client = await connect(signal);
      try {
        return await work(client);
      } finally {
        await client.unbind().catch(() => undefined);
      }
    });
  }

  return {
    async findUser(userName) {
      const found = await session('LDAP search', (client) => find(client, userName));
      return found === undefined ? undefined : toLegacyUser(found.profile, settings.legacyIdAttribute);
    },

    async authenticate(userName, password): Promise<DirectoryVerdict> {
      if (!isBindablePassword(password)) return { outcome: 'wrong-password' };
      return session('LDAP search and bind', async (client) => {
        const found = await find(client, userName);
        if (found === undefined) {
          // A bind that cannot succeed, so an unknown user costs the same round trip as a wrong password.
          await client.bind(`cn=${randomBytes(12).toString('hex')},${settings.baseDn}`, password).catch(() => undefined);
          return { outcome: 'unknown-user' };
        }
        try {
          await client.bind(found.dn, password);
        } catch (error) {
          if (!(error instanceof InvalidCredentialsError)) throw error;
          const failure = bindFailureOf(error.message);
          logger.info('LDAP bind refused', { reason: failure.reason });
          return { outcome: failure.outcome };
        }
        if (found.disabled) {
          logger.info('LDAP entry is disabled', { reason: 'userAccountControl or LDAP_DISABLED_FILTER' });
          return { outcome: 'disabled' };
        }
        return { outcome: 'accepted', user: toLegacyUser(found.profile, settings.legacyIdAttribute) };
      });
    },
  };
}
