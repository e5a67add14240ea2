/** The pure decisions of the LDAP directory: filter escaping, what a bind failure means, disabled entries. */

/** RFC 4515 §3: `*`, `(`, `)`, `\` and NUL become `\2a`, `\28`, `\29`, `\5c`, `\00`; nothing else has meaning in a value. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The configured filter with the escaped user name in every `{username}`. */
export function userFilterFor(template: string, userName: string): string {
  const escaped = escapeFilterValue(userName);
  return template.split('{username}').join(escaped);
}

/** The attributes a filter compares with `{username}`: `(|(uid={username})(mail={username}))` → uid, mail. */
export function namedAttributesOf(template: string): string[] {
  return [...template.matchAll(/\(([A-Za-z][A-Za-z0-9-]*)=\{username\}\)/g)].map((match) => match[1] as string);
}

/** Active Directory's `data <code>` in a bind failure (LDAP 49, "80090308: LdapErr: … AcceptSecurityContext error, data 52e, v4563"). */
const AD_REASONS: Record<string, { outcome: 'unknown-user' | 'wrong-password' | 'disabled'; reason: string }> = {
  '525': { outcome: 'unknown-user', reason: 'user not found (AD 525)' },
  '52e': { outcome: 'wrong-password', reason: 'invalid credentials (AD 52e)' },
  '530': { outcome: 'disabled', reason: 'not permitted to log on at this time (AD 530)' },
  '531': { outcome: 'disabled', reason: 'not permitted to log on from this workstation (AD 531)' },
  '532': { outcome: 'disabled', reason: 'password expired (AD 532)' },
  '533': { outcome: 'disabled', reason: 'account disabled (AD 533)' },
  '701': { outcome: 'disabled', reason: 'account expired (AD 701)' },
  '773': { outcome: 'disabled', reason: 'user must reset password (AD 773)' },
  '775': { outcome: 'disabled', reason: 'account locked out (AD 775)' },
};

/** What an invalidCredentials (49) bind answer means; the diagnostic text is the server's, never our input. */
export function bindFailureOf(diagnostic: string): { outcome: 'unknown-user' | 'wrong-password' | 'disabled'; reason: string } {
  const code = /\bdata ([0-9a-f]{3,4})\b/i.exec(diagnostic)?.[1]?.toLowerCase();
  if (code !== undefined) return AD_REASONS[code] ?? { outcome: 'wrong-password', reason: `invalid credentials (AD ${code})` };
  return { outcome: 'wrong-password', reason: 'invalid credentials' };
}

/** userAccountControl's ACCOUNTDISABLE (0x2) and LOCKOUT (0x10) bits. */
export function isDisabledByAccountControl(value: string | undefined): boolean {
  if (value === undefined || !/^\d+$/.test(value.trim())) return false;
  return (Number(value.trim()) & 0x12) !== 0;
}

/** A password the directory must never see in a bind: empty binds are anonymous binds (RFC 4513 §5.1.2), and AD answers them with success. */
export function isBindablePassword(password: string): boolean {
  return password.trim() !== '';
}
