import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/min';

/** Phone numbers through libphonenumber (Google's metadata), never by hand. */

export interface ParsedPhone {
  /** E.164, e.g. +12125550100. */
  e164: string;
  /** ISO 3166-1 alpha-2 country, when the number is valid for one. */
  country: string | undefined;
}

export function parsePhone(phone: string): ParsedPhone | undefined {
  const parsed = parsePhoneNumberFromString(phone);
  if (parsed === undefined || !parsed.isValid()) return undefined;
  return { e164: parsed.number, country: parsed.country };
}

export function isKnownCountry(code: string): boolean {
  return isSupportedCountry(code);
}

/** SMS may go to this number: it is valid and its country is on the allow-list. */
export function smsAllowed(phone: string, allowedCountries: ReadonlySet<string>): boolean {
  const country = parsePhone(phone)?.country;
  return country !== undefined && allowedCountries.has(country);
}
