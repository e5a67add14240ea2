import { describe, expect, it, vi } from 'vitest';
import { verifyPassword } from '../../../shared/passwords/index.js';
import { captureLogs, vectorFrom } from './helpers.js';

const argon = vectorFrom('argon2id', 'php');

vi.mock('hash-wasm', async (importOriginal) => ({
  ...(await importOriginal<typeof import('hash-wasm')>()),
  argon2id: vi.fn(async () => {
    throw new Error('WebAssembly.Memory(): could not allocate memory for hash $argon2id$v=19$ and password hunter2');
  }),
}));

describe('when a hashing library fails', () => {
  it('verification fails for that format, logs an error naming the format only, and does not throw', async () => {
    const logs = captureLogs();
    try {
      expect(await verifyPassword('hunter2', argon.hash)).toEqual({ ok: false, format: 'argon2id' });
    } finally {
      logs.restore();
    }
    expect(logs.entries()).toEqual([expect.objectContaining({ level: 'ERROR', hashFormat: 'argon2id', errorName: 'Error' })]);
    expect(logs.text()).not.toContain('hunter2');
    expect(logs.text()).not.toContain('$argon2id$');
  });
});
