import { describe, expect, it } from 'vitest';
import { maskEmail, maskPhone } from '../../../shared/otp/mask.js';

describe('maskEmail', () => {
  it.each([
    ['jo@example.com', 'j***@e***.com'],
    ['Jo.Smith+otp@Example.org', 'j***@e***.org'],
    ['JO@EXAMPLE.COM', 'j***@e***.com'],
    ['Élodie@Exemple.FR', 'é***@e***.fr'],
    ['jo@mail.example.co.uk', 'j***@m***.uk'],
    ['a@b.io', 'a***@b***.io'],
    ['a@b@example.com', 'a***@e***.com'],
  ])('%s shows as %s', (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });

  it.each([
    ['élodie@exemple.fr', 'é***@e***.fr'],
    ['ünal@bücher.de', 'ü***@b***.de'],
    ['用户@例子.中国', '用***@例***.中国'],
    ['😀smile@example.com', '😀***@e***.com'],
    ['jo@😀mail.com', 'j***@😀***.com'],
  ])('a unicode address %s shows its first character whole: %s', (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });

  it('never splits a surrogate pair', () => {
    const masked = maskEmail('😀smile@example.com');
    expect(() => encodeURIComponent(masked)).not.toThrow();
  });

  it('hides all but the first character of the local part and host', () => {
    const masked = maskEmail('jonathan.smith@verylongdomain.com');
    expect(masked).not.toContain('onathan');
    expect(masked).not.toContain('erylongdomain');
  });

  it.each(['', '@', 'jo', 'jo@', '@example.com', 'jo@localhost', 'jo@.com', 'jo@example.', '   ', '\uD800@x.com'])(
    'an odd input %j does not throw and does not echo itself back',
    (input) => {
      let masked = '';
      expect(() => (masked = maskEmail(input))).not.toThrow();
      expect(masked).toContain('***');
      if (input.length > 2) expect(masked).not.toBe(input);
    },
  );
});

describe('maskPhone', () => {
  it.each([
    ['+15555550100', '+*******0100'],
    ['+34600000100', '+*******0100'],
    ['+447700900123', '+********0123'],
    ['+1 (555) 555-0100', '+*******0100'],
  ])('%s shows as %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it('shows only the last four digits', () => {
    const masked = maskPhone('+15555550100');
    expect(masked.replace(/\D/g, '')).toBe('0100');
  });

  it.each(['', '+', '123', '1234', 'abc', '+abc-def', '٠١٢٣٤٥٦٧٨٩'])('an odd input %j does not throw and shows no digits', (input) => {
    let masked = '';
    expect(() => (masked = maskPhone(input))).not.toThrow();
    expect(masked).toBe('+****');
  });
});
