import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';

/**
 * Phone numbers through libphonenumber (Google's metadata), never by hand. The `mobile` metadata accepts only
 * numbers that can be mobile (or fixed-line-or-mobile where a country's plan cannot tell them apart): premium-rate,
 * toll-free, shared-cost and fixed-line numbers are not valid here, so they never receive a code.
 */

export interface ParsedPhone {
  /** E.164, e.g. +12125550100. */
  e164: string;
  /** ISO 3166-1 alpha-2 country, when the number is valid for one. */
  country: string | undefined;
}

/** The number in E.164 when it is a valid mobile number; undefined otherwise. */
export function parsePhone(phone: string): ParsedPhone | undefined {
  const parsed = parsePhoneNumberFromString(phone);
  if (parsed === undefined || !parsed.isValid()) return undefined;
  return { e164: parsed.number, country: parsed.country };
}

/** SMS may go to this number: it is a valid mobile number and its country is on the allow-list. */
export function smsAllowed(phone: string, allowedCountries: ReadonlySet<string>): boolean {
  const country = parsePhone(phone)?.country;
  return country !== undefined && allowedCountries.has(country);
}
