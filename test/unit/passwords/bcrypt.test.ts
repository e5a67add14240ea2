import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../../shared/passwords/index.js';
import { captureLogs, vectorFrom, vectors } from './helpers.js';

const LONG = 'The quick brown fox jumps over the lazy dog. '.repeat(2);
const first72 = (s: string): string => Buffer.from(s, 'utf8').subarray(0, 72).toString('latin1');

describe('bcrypt passwords longer than 72 bytes', () => {
  const withChecks = vectors.filter((v) => v.format === 'bcrypt' && v.checks);

  it('the fixture pins the behaviour of PHP, htpasswd, passlib and Python bcrypt', () => {
    const generators = withChecks.map((v) => v.generator).join('\n');
    for (const tool of ['php', 'htpasswd', 'passlib', 'python bcrypt']) expect(generators).toContain(tool);
  });

  it.each(withChecks.flatMap((v) => (v.checks ?? []).map((c) => [v.generator, c.ok, c.password, v.hash] as const)))(
    'we give the same verdict as %s (accepts: %s) for a variant of the long password',
    async (_, expected, password, hash) => {
      expect((await verifyPassword(password, hash)).ok).toBe(expected);
    },
  );

  it('when only bytes after the 72nd differ, verification succeeds, as in PHP password_verify', async () => {
    const long = vectors.find((v) => v.format === 'bcrypt' && v.password === LONG && v.generator.startsWith('php'));
    expect(long).toBeDefined();
    expect(await verifyPassword(`${LONG.slice(0, 72)}anything at all`, long?.hash ?? '')).toEqual({ ok: true, format: 'bcrypt' });
  });

  it('when a byte within the first 72 differs, verification fails', async () => {
    const long = vectors.find((v) => v.format === 'bcrypt' && v.password === LONG && v.generator.startsWith('php'));
    expect(await verifyPassword(`${LONG.slice(0, 71)}#${LONG.slice(72)}`, long?.hash ?? '')).toEqual({ ok: false, format: 'bcrypt' });
  });

  it('when a multi-byte character straddles byte 72, only its first byte counts', async () => {
    const straddle = vectors.find((v) => v.format === 'bcrypt' && v.password.startsWith('a'.repeat(71)) && v.generator.includes('htpasswd'));
    expect(straddle).toBeDefined();
    const other = `${'a'.repeat(71)}è`; // 'é' is C3 A9, 'è' is C3 A8: the same first byte
    expect(first72(other)).toBe(first72(straddle?.password ?? ''));
    expect(await verifyPassword(other, straddle?.hash ?? '')).toEqual({ ok: true, format: 'bcrypt' });
  });
});

describe('bcrypt hashes that cannot be used', () => {
  const { hash, password } = vectorFrom('bcrypt', 'htpasswd');
  const body = hash.slice(7);

  it.each([
    ['cost above 15', `$2y$16$${body}`],
    ['cost below 4', `$2y$03$${body}`],
    ['cost that is not a number', `$2y$1a$${body}`],
    ['truncated', hash.slice(0, -4)],
    ['an extra character', `${hash}x`],
    ['a character outside the bcrypt alphabet', `${hash.slice(0, -1)}!`],
    ['nothing after the prefix', '$2b$'],
  ])('when the hash has %s, verification fails as malformed without throwing', async (_, bad) => {
    const logs = captureLogs();
    try {
      expect(await verifyPassword(password, bad)).toEqual({ ok: false, format: 'malformed', claimed: 'bcrypt' });
    } finally {
      logs.restore();
    }
    expect(logs.entries()).toEqual([expect.objectContaining({ level: 'WARN', hashFormat: 'bcrypt' })]);
  });

  it.each([
    ['$2x$', `$2x$05$${body}`],
    ['$2$', `$2$05$${body}`],
  ])('when the prefix is %s (not written by current tools), the format is unknown', async (_, other) => {
    const logs = captureLogs();
    try {
      expect(await verifyPassword(password, other)).toEqual({ ok: false, format: 'unknown' });
    } finally {
      logs.restore();
    }
  });
});
