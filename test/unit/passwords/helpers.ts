import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { vi } from 'vitest';
import type { HashFormat } from '../../../shared/passwords/index.js';

export interface Vector {
  format: HashFormat;
  password: string;
  hash: string;
  generator: string;
  /** Other passwords and whether the generating tool itself accepts them. */
  checks?: { password: string; ok: boolean }[];
}

export const vectors: readonly Vector[] = JSON.parse(
  readFileSync(resolve(__dirname, '../../fixtures/passwords/vectors.json'), 'utf8'),
) as Vector[];

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
