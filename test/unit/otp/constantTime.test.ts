import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { answerMatches, hashCode } from '../../../shared/otp/code.js';

/** The comparison itself: every answer is checked with crypto.timingSafeEqual on two whole HMACs, never with `===`. */
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const SECRET = Buffer.from('unit-test-secret-0123456789-abcdefghijklmnop', 'utf8');
const STORED = hashCode(SECRET, 'jo', 'code-1', '493027');

describe('answerMatches compares in constant time', () => {
  it.each(['493027', '493028', '000000', '', 'not digits', 'x'.repeat(100)])('answer %j: one timingSafeEqual over two 32-byte HMACs', (answer) => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    const matches = answerMatches(SECRET, 'jo', 'code-1', answer, STORED);
    expect(matches).toBe(answer === '493027');
    expect(spy).toHaveBeenCalledTimes(1);
    const [a, b] = spy.mock.calls[0] as [Buffer, Buffer];
    expect(a.length).toBe(32);
    expect(b.length).toBe(32);
  });

  it('a right answer is right only because timingSafeEqual said so', () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockReturnValueOnce(false);
    expect(answerMatches(SECRET, 'jo', 'code-1', '493027', STORED)).toBe(false);
  });
});
