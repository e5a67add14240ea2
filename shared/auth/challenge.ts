import { createHash, createHmac } from 'node:crypto';
import type { Channel } from './config.js';
import type { CreateRequest, SessionEntry } from './events.js';
import type { IssuedCode, UserCodeState } from '../store/codeStore.js';
import { maskEmail, maskPhone } from '../otp/mask.js';
import { phoneLibrary } from '../otp/phoneLibrary.js';

/** Pure decisions of Create Auth Challenge: reuse the live code, issue a new one, or refuse. */

/** clientMetadata keys a client may send with RespondToAuthChallenge. */
export const CLIENT_METADATA_KEYS = {
  /** "EMAIL" or "SMS": send the next code over this channel, if the user has it verified. */
  channel: 'otpChannel',
  /** "true": send a new code instead of answering (the round counts as one attempt, not as a wrong code). */
  resend: 'otpResend',
} as const;

const METADATA_PREFIX = 'OTP-';

export function challengeMetadataFor(codeId: string): string {
  return `${METADATA_PREFIX}${codeId}`;
}

export function codeIdFromMetadata(metadata: string | undefined): string | undefined {
  return metadata?.startsWith(METADATA_PREFIX) ? metadata.slice(METADATA_PREFIX.length) : undefined;
}

/** The same Cognito round (user, session so far, client request) always gives the same key. */
export function roundKeyFor(request: Pick<CreateRequest, 'userName' | 'session' | 'clientMetadata'>): string {
  const session = request.session.map((entry) => [entry.challengeName, entry.challengeResult, entry.challengeMetadata ?? '']);
  const asked = [request.clientMetadata[CLIENT_METADATA_KEYS.channel] ?? '', request.clientMetadata[CLIENT_METADATA_KEYS.resend] ?? ''];
  return createHash('sha256').update(JSON.stringify([request.userName, session, asked])).digest('base64url').slice(0, 32);
}

export interface Destination {
  channel: Channel;
  /** The real address; undefined for a decoy, which is never sent. */
  address: string | undefined;
  masked: string;
  /** For a decoy: the normalised address (or name) it stands for, so send limits treat it as a real send there. */
  decoyFor?: string;
  /** The unverified sign-up address of a first passwordless sign-in: the attribute a right code proves. */
  proves?: 'email' | 'phone_number';
}

/** ASCII case folding: Cognito user names and aliases are case-insensitive in the pools this suite creates. */
export function foldCase(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/**
 * The code-state key of a request. An unknown user's name is what was typed, folded like Cognito
 * folds a real user's name, so typing it in another case meets the same cooldown, retry and lockout
 * state; the prefix cannot clash with a real user name (Cognito names hold no spaces).
 */
export function codeStateKey(request: { userName: string; userNotFound: boolean }): string {
  return request.userNotFound ? `unknown ${foldCase(request.userName)}` : request.userName;
}

/**
 * The addresses codes may go to: verified, and for SMS a valid number in an allowed country
 * (normalised to E.164). With no allow-list given, any valid number counts.
 */
export function verifiedDestinations(
  attributes: Record<string, string>,
  smsAllowedCountries?: ReadonlySet<string>,
  withSms = true,
): Partial<Record<Channel, string>> {
  const found: Partial<Record<Channel, string>> = {};
  if (attributes.email && attributes.email_verified === 'true') found.EMAIL = attributes.email;
  // Without SMS among the channels the phone library is never loaded (shared/otp/phoneLibrary.ts).
  if (withSms && attributes.phone_number && attributes.phone_number_verified === 'true') {
    const phone = phoneLibrary().parsePhone(attributes.phone_number);
    if (phone !== undefined && smsCountryAllowed(phone.country, smsAllowedCountries)) found.SMS = phone.e164;
  }
  return found;
}

function smsCountryAllowed(country: string | undefined, smsAllowedCountries: ReadonlySet<string> | undefined): boolean {
  return smsAllowedCountries === undefined || (country !== undefined && smsAllowedCountries.has(country));
}

function maskFor(channel: Channel, address: string): string {
  return channel === 'EMAIL' ? maskEmail(address) : maskPhone(address);
}

/** The first configured channel the user has verified; a client may ask for another verified one. */
export function chooseDestination(
  attributes: Record<string, string>,
  channels: readonly Channel[],
  requested: string | undefined,
  smsAllowedCountries?: ReadonlySet<string>,
): Destination | undefined {
  const verified = verifiedDestinations(attributes, smsAllowedCountries, channels.includes('SMS'));
  const usable = channels.filter((channel) => verified[channel] !== undefined);
  const channel = usable.find((candidate) => candidate === requested?.toUpperCase()) ?? usable[0];
  if (channel === undefined) return undefined;
  const address = verified[channel] as string;
  return { channel, address, masked: maskFor(channel, address) };
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A phone number as Cognito holds one (E.164); telling whether it can be mobile needs the phone library. */
const E164_SHAPE = /^\+[1-9]\d{5,14}$/;

/**
 * What a user typed to sign in, as far as the trigger can tell. Cognito passes an unknown user's
 * name as typed, but a known user's internal name (the `sub` in pools that sign in by email or
 * phone), never the alias typed: for a known user with nothing to send to, the name if it is an
 * address, otherwise the email, otherwise the phone number on file.
 */
export function typedIdentifier(request: { userName: string; userNotFound: boolean; userAttributes: Record<string, string> }): string {
  const { userName, userAttributes } = request;
  if (request.userNotFound || EMAIL_SHAPE.test(userName) || E164_SHAPE.test(userName)) return userName;
  return userAttributes.email || userAttributes.phone_number || userName;
}

/**
 * The destination shown when nothing is sent (an unknown user, or one with no usable address): what
 * a real user signing in with the same identifier would see when the code goes to that identifier.
 * An email or phone number typed is shown masked on its own channel when that channel is configured
 * (and for SMS, the number is valid); otherwise the first configured channel with an invented
 * address, stable for the identifier and unpredictable without the key. Case is folded first, as
 * Cognito folds it, and masks are lower case like a real user's.
 */
export function decoyDestination(
  identifier: string,
  channels: readonly Channel[],
  secret: Buffer,
  smsAllowedCountries?: ReadonlySet<string>,
): Destination {
  const folded = foldCase(identifier.trim());
  if (channels.includes('EMAIL') && EMAIL_SHAPE.test(folded)) return { channel: 'EMAIL', address: undefined, masked: maskEmail(folded), decoyFor: folded };
  // Without SMS among the channels the phone library is not loaded, and a typed number needs no normalising.
  const phone = channels.includes('SMS') ? phoneLibrary().parsePhone(folded) : undefined;
  if (phone !== undefined && smsCountryAllowed(phone.country, smsAllowedCountries)) {
    return { channel: 'SMS', address: undefined, masked: maskPhone(phone.e164), decoyFor: phone.e164 };
  }
  const digest = createHmac('sha256', secret).update(`decoy\n${phone?.e164 ?? folded}`).digest();
  const letter = (byte: number | undefined) => String.fromCharCode(97 + ((byte ?? 0) % 26));
  const channel = channels[0] as Channel;
  const decoyFor = `decoy ${phone?.e164 ?? folded}`;
  if (channel === 'EMAIL') return { channel, address: undefined, masked: `${letter(digest[0])}***@${letter(digest[1])}***.com`, decoyFor };
  const lastFour = String(digest.readUInt16BE(2) % 10_000).padStart(4, '0');
  return { channel, address: undefined, masked: `+${'*'.repeat(7)}${lastFour}`, decoyFor };
}

export type ChallengePlan =
  | { action: 'refuse'; reason: 'locked' | 'rate-limited' }
  | { action: 'reuse'; code: IssuedCode; reason: 'cognito-retry' | 'same-session' | 'cooldown' }
  | { action: 'issue'; replacesCodeId: string | undefined };

function lastCodeId(session: readonly SessionEntry[]): string | undefined {
  for (let index = session.length - 1; index >= 0; index -= 1) {
    const entry = session[index];
    if (entry?.challengeName === 'CUSTOM_CHALLENGE') return codeIdFromMetadata(entry.challengeMetadata);
  }
  return undefined;
}

export function planChallenge(
  state: UserCodeState | undefined,
  request: Pick<CreateRequest, 'session' | 'clientMetadata'>,
  roundKey: string,
  now: number,
  retryWindowMs: number,
  cooldownMs = 0,
): ChallengePlan {
  if (state?.lockedUntil !== undefined && state.lockedUntil > now) return { action: 'refuse', reason: 'locked' };
  const live = state?.code;
  const replacesCodeId = live?.codeId;
  if (live === undefined) return { action: 'issue', replacesCodeId };
  // A withdrawn (undelivered) code is marked used, so a retry after a failed send sends again.
  if (!live.used && live.roundKey === roundKey && now - live.issuedAt <= retryWindowMs) return { action: 'reuse', code: live, reason: 'cognito-retry' };

  const requestedChannel = request.clientMetadata[CLIENT_METADATA_KEYS.channel]?.toUpperCase();
  const askedForNewCode =
    request.clientMetadata[CLIENT_METADATA_KEYS.resend] === 'true' || (requestedChannel !== undefined && requestedChannel !== live.channel);
  const stillValid = !live.used && live.expiresAt > now;
  if (!askedForNewCode && stillValid && lastCodeId(request.session) === live.codeId) {
    return { action: 'reuse', code: live, reason: 'same-session' };
  }
  if (!live.withdrawn && now - live.issuedAt < cooldownMs) {
    // A new sign-in right after a code was sent gets that code again; an explicit request waits.
    return !askedForNewCode && stillValid ? { action: 'reuse', code: live, reason: 'cooldown' } : { action: 'refuse', reason: 'rate-limited' };
  }
  return { action: 'issue', replacesCodeId };
}
