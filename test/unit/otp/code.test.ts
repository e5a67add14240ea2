import { describe, expect, it, vi } from 'vitest';
import { answerMatches, generateCode, hashCode, newCodeId, normaliseAnswer } from '../../../shared/otp/code.js';

const SECRET = Buffer.from('unit-test-secret-0123456789-abcdefghijklmnop', 'utf8');
const OTHER_SECRET = Buffer.from('another-secret-0123456789-abcdefghijklmnopq', 'utf8');
const USER = 'jo';
const CODE_ID = '4kQ2l0ZcYq5n9xW8mJ3sVA';
const CODE = '493027';
const STORED = hashCode(SECRET, USER, CODE_ID, CODE);

/** Pearson's chi-square statistic of observed digit counts against a uniform expectation. */
function chiSquare(counts: readonly number[], total: number): number {
  const expected = total / counts.length;
  return counts.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
}

/** The chi-square critical value for 9 degrees of freedom at p = 1e-6: a sound generator exceeds it once in a million runs. */
const CHI_SQUARE_9_DF_P_1E6 = 44.81;

describe('generateCode', () => {
  it.each([6, 7, 8, 9, 10])('draws from 10^%i values', (length) => {
    const random = vi.fn((_max: number) => 0);
    generateCode(length, random);
    expect(random).toHaveBeenCalledWith(10 ** length);
  });

  it.each([6, 7, 8, 9, 10])('the smallest draw gives %i zeros: leading zeros are kept', (length) => {
    expect(generateCode(length, () => 0)).toBe('0'.repeat(length));
  });

  it.each([6, 7, 8, 9, 10])('the largest draw gives %i nines', (length) => {
    expect(generateCode(length, (max) => max - 1)).toBe('9'.repeat(length));
  });

  it('a small draw is padded with zeros to the full length', () => {
    expect(generateCode(6, () => 42)).toBe('000042');
  });

  it.each([6, 7, 8, 9, 10])('real codes of length %i are exactly that many ASCII digits', (length) => {
    for (let index = 0; index < 500; index += 1) expect(generateCode(length)).toMatch(new RegExp(`^[0-9]{${length}}$`));
  });

  it('real codes are not repeated (1,000 six-digit codes have at most a handful of collisions)', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => generateCode(6)));
    expect(codes.size).toBeGreaterThanOrEqual(990);
  });

  describe('over 20,000 real six-digit codes', () => {
    const total = 20_000;
    const codes = Array.from({ length: total }, () => generateCode(6));
    const countsAt = (position: (code: string) => string) => {
      const counts = Array<number>(10).fill(0);
      for (const code of codes) counts[Number(position(code))] = (counts[Number(position(code))] ?? 0) + 1;
      return counts;
    };

    it('the first digit is uniform (chi-square below the p = 1e-6 bound)', () => {
      const counts = countsAt((code) => code.charAt(0));
      expect(counts.every((count) => count > 0)).toBe(true);
      expect(chiSquare(counts, total)).toBeLessThan(CHI_SQUARE_9_DF_P_1E6);
    });

    it('the last digit is uniform (chi-square below the p = 1e-6 bound)', () => {
      const counts = countsAt((code) => code.charAt(5));
      expect(chiSquare(counts, total)).toBeLessThan(CHI_SQUARE_9_DF_P_1E6);
    });
  });
});

describe('newCodeId', () => {
  it('is 128 random bits in base64url, different each time', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newCodeId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe('hashCode', () => {
  it('is stable for the same secret, user, code id and code', () => {
    expect(hashCode(SECRET, USER, CODE_ID, CODE)).toBe(STORED);
  });

  it('is an HMAC-SHA256 in base64url and does not contain the code', () => {
    expect(STORED).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(STORED).not.toContain(CODE);
  });

  it.each([
    ['another user', () => hashCode(SECRET, 'ana', CODE_ID, CODE)],
    ['another code id', () => hashCode(SECRET, USER, 'otherCodeId', CODE)],
    ['another code', () => hashCode(SECRET, USER, CODE_ID, '493028')],
    ['another secret', () => hashCode(OTHER_SECRET, USER, CODE_ID, CODE)],
    ['the same code without its leading zero', () => hashCode(SECRET, USER, CODE_ID, '93027')],
  ])('differs for %s', (_what, other) => {
    expect(other()).not.toBe(STORED);
  });
});

describe('normaliseAnswer', () => {
  it.each([
    ['123456', '123456'],
    ['123 456', '123456'],
    ['123-456', '123456'],
    [' 12 34 56 ', '123456'],
    ['\t123456\n', '123456'],
  ])('%j reads as %j', (answer, digits) => {
    expect(normaliseAnswer(answer)).toBe(digits);
  });

  it.each(['', '   ', '-', 'abc', '12345a', '１２３４５６', undefined])('%j is not a usable answer', (answer) => {
    expect(normaliseAnswer(answer)).toBeUndefined();
  });
});

describe('answerMatches', () => {
  const matches = (answer: string | undefined, stored = STORED, userName = USER, codeId = CODE_ID, secret = SECRET) =>
    answerMatches(secret, userName, codeId, answer, stored);

  describe('the right code', () => {
    it.each(['493027', '493 027', '493-027', ' 493027 ', '49 30 27', '4-9-3-0-2-7'])('%j matches', (answer) => {
      expect(matches(answer)).toBe(true);
    });

    it('a code with a leading zero matches only with the zero', () => {
      const stored = hashCode(SECRET, USER, CODE_ID, '012345');
      expect(matches('012345', stored)).toBe(true);
      expect(matches('12345', stored)).toBe(false);
    });
  });

  describe('anything else does not match', () => {
    it.each([
      ['a wrong code', '493028'],
      ['the code with an extra digit', '4930271'],
      ['the code missing a digit', '49302'],
      ['an empty answer', ''],
      ['only spaces', '      '],
      ['letters', 'abcdef'],
      ['digits with a letter', '49302a'],
      ['full-width digits', '４９３０２７'],
      ['the code with a dot', '493.027'],
      ['10,000 digits', '1'.repeat(10_000)],
      ['the code followed by 10,000 spaces', `${CODE}${' '.repeat(10_000)}`],
      ['10,000 arbitrary characters', 'x'.repeat(10_000)],
      ['a lone surrogate', '\uD800'],
      ['a NUL character', '\u0000'],
    ])('%s', (_what, answer) => {
      expect(matches(answer)).toBe(false);
    });

    it('an undefined answer', () => {
      expect(matches(undefined)).toBe(false);
    });

    it('an unusable answer against a stored hash of the empty code', () => {
      const stored = hashCode(SECRET, USER, CODE_ID, '');
      for (const answer of [undefined, '', 'abc', '-', '1'.repeat(10_000)]) expect(matches(answer, stored)).toBe(false);
    });

    it('the right code against a hash made for another user', () => {
      expect(matches(CODE, hashCode(SECRET, 'ana', CODE_ID, CODE))).toBe(false);
    });

    it('the right code against a hash made for another code id', () => {
      expect(matches(CODE, hashCode(SECRET, USER, 'otherCodeId', CODE))).toBe(false);
    });

    it('the right code checked as another user', () => {
      expect(matches(CODE, STORED, 'ana')).toBe(false);
    });

    it('the right code checked with another secret', () => {
      expect(matches(CODE, STORED, USER, CODE_ID, OTHER_SECRET)).toBe(false);
    });
  });

  it('never throws, whatever the answer or stored hash', () => {
    const answers = [undefined, '', CODE, '1'.repeat(10_000), '\uD800\uDC00', '🙂', '%%%', '\u202E123456'];
    const storedHashes = [STORED, '', 'not base64!!', '%%%', 'A', STORED.slice(0, 10), `${STORED}AAAA`, 'x'.repeat(10_000)];
    for (const answer of answers) {
      for (const stored of storedHashes) {
        expect(() => matches(answer, stored)).not.toThrow();
        if (stored !== STORED) expect(matches(answer, stored)).toBe(false);
      }
    }
  });
});
