import { describe, expect, it } from 'vitest';
import { HASH_FORMATS, verifyPassword } from '../../../shared/passwords/index.js';
import { settingsOf, vectorsOf, type Vector } from './helpers.js';

const isAscii = (s: string): boolean => /^[\x20-\x7e]*$/.test(s);
const label = (v: Vector): string =>
  `${v.generator}, ${isAscii(v.password) ? 'ASCII' : 'non-ASCII'} password of ${Buffer.byteLength(v.password)} bytes`;

describe.each(HASH_FORMATS)('%s hashes written by other implementations', (format) => {
  const list = vectorsOf(format);

  it('the fixture holds both an ASCII and a non-ASCII password for this format', () => {
    expect(list.some((v) => isAscii(v.password))).toBe(true);
    expect(list.some((v) => !isAscii(v.password))).toBe(true);
  });

  it.each(list.map((v) => [label(v), v] as const))('when the password is right, verification succeeds (%s)', async (_, v) => {
    expect(await verifyPassword(v.password, v.hash, settingsOf(v))).toEqual({ ok: true, format });
  });

  it.each(list.map((v) => [label(v), v] as const))('when the password is wrong, verification fails (%s)', async (_, v) => {
    expect(await verifyPassword(`not ${v.password}`, v.hash, settingsOf(v))).toEqual({ ok: false, format });
  });
});
