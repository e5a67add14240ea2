import type { AttributeValue } from '../../../shared/aws/services.js';
import { describe, expect, it } from 'vitest';
import { toState } from '../../../shared/store/codeStore.js';

const FULL: Record<string, AttributeValue> = {
  pk: { S: 'USER#jo' },
  codeId: { S: 'code-1' },
  codeHash: { S: 'hash-1' },
  channel: { S: 'SMS' },
  maskedDestination: { S: '+*******0100' },
  codeLength: { N: '8' },
  issuedAt: { N: '1764158400000' },
  expiresAt: { N: '1764158700000' },
  roundKey: { S: 'round-1' },
  used: { BOOL: false },
  failedAttempts: { N: '2' },
  lockedUntil: { N: '1764159000000' },
  ttl: { N: '1764245100' },
};

function without(...names: string[]): Record<string, AttributeValue> {
  const item = { ...FULL };
  for (const name of names) delete item[name];
  return item;
}

describe('toState', () => {
  it('maps a full item to the code state, numbers as numbers', () => {
    expect(toState(FULL)).toEqual({
      code: {
        codeId: 'code-1',
        codeHash: 'hash-1',
        channel: 'SMS',
        maskedDestination: '+*******0100',
        codeLength: 8,
        issuedAt: 1764158400000,
        expiresAt: 1764158700000,
        roundKey: 'round-1',
        used: false,
        withdrawn: false,
      },
      failedAttempts: 2,
      lockedUntil: 1764159000000,
    });
  });

  it('a used code reads as used', () => {
    expect(toState({ ...FULL, used: { BOOL: true } }).code?.used).toBe(true);
  });

  it('an item with only the key reads as no code, no failures, no lock', () => {
    expect(toState({ pk: { S: 'USER#jo' } })).toEqual({ code: undefined, failedAttempts: 0, lockedUntil: undefined });
  });

  it.each(['codeId', 'codeHash', 'channel', 'issuedAt', 'expiresAt'])('without %s, there is no code, but failures and lock are kept', (name) => {
    expect(toState(without(name))).toEqual({ code: undefined, failedAttempts: 2, lockedUntil: 1764159000000 });
  });

  it('a channel that is not EMAIL or SMS means no code', () => {
    expect(toState({ ...FULL, channel: { S: 'FAX' } }).code).toBeUndefined();
  });

  it('an attribute of the wrong type counts as missing', () => {
    expect(toState({ ...FULL, issuedAt: { S: '1764158400000' } }).code).toBeUndefined();
    expect(toState({ ...FULL, codeId: { N: '1' } }).code).toBeUndefined();
  });

  it('a code without a "used" flag reads as used, so it is never accepted', () => {
    expect(toState(without('used')).code?.used).toBe(true);
  });

  it('optional code attributes fall back: masked destination "", length 6, round key ""', () => {
    expect(toState(without('maskedDestination', 'codeLength', 'roundKey')).code).toMatchObject({
      maskedDestination: '',
      codeLength: 6,
      roundKey: '',
    });
  });

  it('without failedAttempts or lockedUntil, reads 0 failures and no lock', () => {
    const state = toState(without('failedAttempts', 'lockedUntil'));
    expect(state.failedAttempts).toBe(0);
    expect(state.lockedUntil).toBeUndefined();
    expect(state.code).toBeDefined();
  });
});
