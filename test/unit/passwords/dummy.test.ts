import { compare, hash } from 'bcryptjs';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_DUMMY_COST, verifyAgainstDummy, verifyPassword } from '../../../shared/passwords/index.js';

vi.mock('bcryptjs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('bcryptjs')>();
  return { ...actual, compare: vi.fn(actual.compare) };
});

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;

describe('verifyAgainstDummy', () => {
  it('always answers false, whatever the password', async () => {
    for (const password of ['', 'correct horse battery staple', 'pässwörd✓']) {
      expect(await verifyAgainstDummy(password, 4)).toBe(false);
    }
  });

  it(`by default does a bcrypt check of cost ${DEFAULT_DUMMY_COST}`, async () => {
    vi.mocked(compare).mockClear();
    await verifyAgainstDummy('pw');
    expect(DEFAULT_DUMMY_COST).toBe(10);
    expect(compare).toHaveBeenCalledWith('pw', expect.stringMatching(/^\$2b\$10\$[./A-Za-z0-9]{53}$/));
  });

  it('takes about as long as checking a wrong password against a real hash of the same cost', async () => {
    const real = await hash('the real password', 8);
    const dummyTimes: number[] = [];
    const realTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      let start = performance.now();
      await verifyPassword('a wrong password', real);
      realTimes.push(performance.now() - start);
      start = performance.now();
      await verifyAgainstDummy('a wrong password', 8);
      dummyTimes.push(performance.now() - start);
    }
    const ratio = median(dummyTimes) / median(realTimes);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it.each([3, 16, 10.5, Number.NaN])('when the configured cost is %s, it throws a RangeError', async (cost) => {
    await expect(verifyAgainstDummy('pw', cost)).rejects.toBeInstanceOf(RangeError);
  });
});
