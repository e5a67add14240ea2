import type { PoolUser } from './userPoolAdmin.js';

/** Pure decisions of federated linking: which provider a federated user name comes from, and whom to link it to. */

export interface ProviderIdentity {
  /** The provider's name as configured (and as AdminLinkProviderForUser wants it). */
  providerName: string;
  /** The provider's subject: everything after `<provider>_`, kept intact (OIDC subjects may contain `_`). */
  subject: string;
}

/**
 * A federated user name is `<ProviderName>_<subject>`, the provider part sometimes in another case
 * (`google_…`). Only providers on the list are recognised.
 */
export function providerIdentity(userName: string, providers: readonly string[]): ProviderIdentity | undefined {
  const lower = userName.toLowerCase();
  // Longest name first, so "Corp" never claims "Corp-SAML_…".
  for (const providerName of [...providers].sort((a, b) => b.length - a.length)) {
    const prefix = `${providerName.toLowerCase()}_`;
    if (lower.startsWith(prefix) && userName.length > prefix.length) return { providerName, subject: userName.slice(prefix.length) };
  }
  return undefined;
}

/** An IdP's email_verified as mapped into the event: the string "true" (any case). */
export function assertsVerifiedEmail(attributes: Record<string, string>): boolean {
  return attributes.email !== undefined && attributes.email !== '' && attributes.email_verified?.toLowerCase() === 'true';
}

export type LinkTarget = { kind: 'link'; userName: string } | { kind: 'none' } | { kind: 'ambiguous'; candidates: number };

/** Exactly one enabled native (not federated) user whose email is this one and verified: link to it; otherwise nothing. */
export function chooseLinkTarget(users: readonly PoolUser[] | 'too-many', email: string): LinkTarget {
  if (users === 'too-many') return { kind: 'ambiguous', candidates: Number.POSITIVE_INFINITY };
  const candidates = users.filter(
    (user) =>
      user.status !== 'EXTERNAL_PROVIDER' && user.enabled && user.attributes.email === email && user.attributes.email_verified === 'true' && user.userName !== '',
  );
  const [only, ...others] = candidates;
  if (only === undefined) return { kind: 'none' };
  if (others.length > 0) return { kind: 'ambiguous', candidates: candidates.length };
  return { kind: 'link', userName: only.userName };
}
