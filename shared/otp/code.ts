import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** One-time codes: generation from the CSPRNG, keyed hashing, constant-time checking. */

export type RandomInt = (maxExclusive: number) => number;

const cryptoRandomInt: RandomInt = (maxExclusive) => randomInt(maxExclusive);

/** A code of `length` decimal digits, uniform over all 10^length values (crypto.randomInt rejects bias). */
export function generateCode(length: number, random: RandomInt = cryptoRandomInt): string {
  return random(10 ** length).toString().padStart(length, '0');
}

export function newCodeId(): string {
  return randomBytes(16).toString('base64url');
}

/** Answers longer than this are never compared (they cannot be a code) but still cost one HMAC. */
const MAX_ANSWER_LENGTH = 64;

/**
 * The keyed hash stored instead of the code. It is bound to the user and the code's id,
 * so a hash copied between records or users matches nothing.
 */
export function hashCode(secret: Buffer, userName: string, codeId: string, code: string): string {
  return createHmac('sha256', secret).update(`${userName}\n${codeId}\n${code}`).digest('base64url');
}

/** People type "123 456" or "123-456"; only the digits count. */
export function normaliseAnswer(answer: string | undefined): string | undefined {
  if (answer === undefined || answer.length > MAX_ANSWER_LENGTH) return undefined;
  const digits = answer.replace(/[\s-]/g, '');
  return /^\d+$/.test(digits) ? digits : undefined;
}

/** Constant-time check of an answer against a stored hash; never throws. */
export function answerMatches(
  secret: Buffer,
  userName: string,
  codeId: string,
  answer: string | undefined,
  storedHash: string,
): boolean {
  const normalised = normaliseAnswer(answer);
  // Hash something even for an unusable answer, so every answer costs the same.
  const candidate = Buffer.from(hashCode(secret, userName, codeId, normalised ?? ''), 'base64url');
  const stored = Buffer.from(storedHash, 'base64url');
  const equal = stored.length === candidate.length && timingSafeEqual(stored, candidate);
  return equal && normalised !== undefined;
}
