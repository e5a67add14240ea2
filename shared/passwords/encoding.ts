import { timingSafeEqual } from 'node:crypto';

const PADDED_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const UNPADDED_BASE64 = /^[A-Za-z0-9+/]*$/;

/**
 * Standard base64 (RFC 4648 alphabet), rejecting anything Buffer.from would silently
 * skip or repair. `padded: false` is the PHC form (no '=', length mod 4 never 1).
 * Returns undefined for invalid input.
 */
export function decodeBase64(text: string, padded: boolean): Buffer | undefined {
  if (padded ? !PADDED_BASE64.test(text) : !UNPADDED_BASE64.test(text) || text.length % 4 === 1) {
    return undefined;
  }
  return Buffer.from(text, 'base64');
}

/** Constant-time for equal lengths; the lengths themselves are public (they come from the format). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Parses a plain decimal integer (no sign, no exponent); undefined if not one or outside [min, max]. */
export function integerInRange(text: string, min: number, max: number): number | undefined {
  if (!/^[0-9]{1,10}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}
