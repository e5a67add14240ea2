import { getCountries } from 'libphonenumber-js/mobile';
import { describe, expect, it } from 'vitest';
import { isKnownCountry } from '../../../shared/otp/countries.js';
import { parsePhone, smsAllowed } from '../../../shared/otp/phone.js';

const US_AND_UK = new Set(['US', 'GB']);

describe('phone numbers that may receive a code', () => {
  it.each([
    ['+19005550123', 'US premium rate (1-900)'],
    ['+18005550123', 'US toll-free 800'],
    ['+18885550123', 'US toll-free 888'],
    ['+18445550123', 'US toll-free 844'],
    ['+15005550123', 'US personal-communication 500'],
    ['+442071838750', 'UK fixed line (London)'],
    ['+493012345678', 'German fixed line (Berlin)'],
  ])('%s (%s) is no SMS destination', (phone) => {
    expect(parsePhone(phone)).toBeUndefined();
    expect(smsAllowed(phone, new Set(['US', 'GB', 'DE']))).toBe(false);
  });

  it.each([
    ['+12125550100', 'US', 'US geographic numbers can be mobile: the plan cannot tell them apart'],
    ['+447400123456', 'GB', 'UK mobile'],
    ['+4915112345678', 'DE', 'German mobile'],
  ])('%s is a mobile number in %s (%s)', (phone, country) => {
    expect(parsePhone(phone)).toEqual({ e164: phone, country });
  });

  it('normalises a mobile number to E.164', () => {
    expect(parsePhone('+1 (212) 555-0100')?.e164).toBe('+12125550100');
  });

  it('a mobile number outside the allowed countries gets no SMS', () => {
    expect(smsAllowed('+4915112345678', US_AND_UK)).toBe(false);
    expect(smsAllowed('+447400123456', US_AND_UK)).toBe(true);
  });

  it('the country list checked at cold start is the phone library’s own, so configuration needs no library load', () => {
    for (const country of getCountries()) expect(isKnownCountry(country), country).toBe(true);
    expect(isKnownCountry('XX')).toBe(false);
    expect(isKnownCountry('us')).toBe(false);
  });
});
