import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { vi } from 'vitest';
import type { HashFormat, VerifierSettings } from '../../../shared/passwords/index.js';

export interface Vector {
  format: HashFormat;
  password: string;
  hash: string;
  generator: string;
  /** Other passwords and whether the generating tool itself accepts them. */
  checks?: { password: string; ok: boolean }[];
  /** Firebase project parameters (base64 as the console shows them) a firebase-scrypt hash needs. */
  firebaseScrypt?: { signerKey: string; saltSeparator: string; rounds: number; memCost: number };
}

const fixture = (name: string): Vector[] => JSON.parse(readFileSync(resolve(__dirname, '../../fixtures/passwords', name), 'utf8')) as Vector[];
/** vectors.json (generate.py) and other-systems.json (generate_other_systems.py, issue 13). */
export const vectors: readonly Vector[] = [...fixture('vectors.json'), ...fixture('other-systems.json')];

/** What verifyPassword needs besides the hash for this vector (Firebase's project parameters). */
export function settingsOf(v: Pick<Vector, 'firebaseScrypt'>): VerifierSettings {
  if (!v.firebaseScrypt) return {};
  const { signerKey, saltSeparator, rounds, memCost } = v.firebaseScrypt;
  return { firebaseScrypt: { signerKey: Buffer.from(signerKey, 'base64'), saltSeparator: Buffer.from(saltSeparator, 'base64'), rounds, memCost } };
}

export function vectorsOf(format: HashFormat): Vector[] {
  return vectors.filter((v) => v.format === format);
}

/** First vector of a format made by a generator whose name contains `generator`. */
export function vectorFrom(format: HashFormat, generator: string): Vector {
  const found = vectors.find((v) => v.format === format && v.generator.includes(generator));
  if (!found) throw new Error(`no ${format} vector from ${generator}`);
  return found;
}

/**
 * Captures what the powertools logger really prints: outside POWERTOOLS_DEV it writes JSON
 * lines through its own Console on process.stdout (info) and process.stderr (warn, error).
 */
export function captureLogs(): { text: () => string; entries: () => Record<string, unknown>[]; restore: () => void } {
  const chunks: string[] = [];
  const record = (chunk: unknown): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(record);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(record);
  const text = (): string => chunks.join('');
  return {
    text,
    entries: () =>
      text()
        .split('\n')
        .filter((line) => line.trim().startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
}
