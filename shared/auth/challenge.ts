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
    const allowed = phone !== undefined && (smsAllowedCountries === undefined || (phone.country !== undefined && smsAllowedCountries.has(phone.country)));
    if (allowed) found.SMS = phone.e164;
  }
  return found;
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
  return { channel, address, masked: channel === 'EMAIL' ? maskEmail(address) : maskPhone(address) };
}

/**
 * A destination for a user who does not exist (or has nothing verified): stable for the same
 * user name, shaped like a real one, never sent to.
 */
export function decoyDestination(userName: string, channels: readonly Channel[], secret: Buffer): Destination {
  const digest = createHmac('sha256', secret).update(`decoy\n${userName}`).digest();
  const letter = (byte: number | undefined) => String.fromCharCode(97 + ((byte ?? 0) % 26));
  const looksLikeEmail = userName.includes('@');
  const looksLikePhone = /^\+\d{8,15}$/.test(userName);
  const channel: Channel =
    channels.length === 1 ? (channels[0] as Channel) : looksLikePhone ? 'SMS' : looksLikeEmail ? 'EMAIL' : (channels[0] as Channel);
  if (channel === 'EMAIL') {
    return { channel, address: undefined, masked: looksLikeEmail ? maskEmail(userName) : `${letter(digest[0])}***@${letter(digest[1])}***.com` };
  }
  const lastFour = String(digest.readUInt16BE(2) % 10_000).padStart(4, '0');
  return { channel, address: undefined, masked: looksLikePhone ? maskPhone(userName) : `+${'*'.repeat(7)}${lastFour}` };
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
