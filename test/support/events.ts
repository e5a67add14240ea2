import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A fresh copy of a sample event from events/, so each test changes only what it exercises. */
export function sampleEvent<T = any>(relativePath: string): T {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'events', relativePath), 'utf8')) as T;
}
