import { ConfigError } from './errors.js';

/** Typed readers for environment variables; each failure names the variable and what is allowed. */
export type Env = Readonly<Record<string, string | undefined>>;

/** C0 and C1 controls and the Unicode line separators: a setting carrying one could split an email header or an SMS. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The trimmed value of a setting, undefined when unset or blank; control characters fail the cold start. */
export function optionalValue(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return undefined;
  const control = CONTROL_CHARACTER.exec(value);
  if (control !== null) {
    const code = control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new ConfigError(`${name} contains a control character (U+${code}) at position ${control.index + 1}: settings must be single-line text.`);
  }
  return value;
}

const present = optionalValue;

export function requiredString(env: Env, name: string, what: string): string {
  const value = present(env, name);
  if (value === undefined) throw new ConfigError(`${name} is not set: expected ${what}.`);
  return value;
}

export function optionalString(env: Env, name: string, fallback: string): string {
  return present(env, name) ?? fallback;
}

export function integerInRange(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}".`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be from ${min} to ${max}, got ${value}.`);
  return value;
}

export function booleanFlag(env: Env, name: string, fallback: boolean): boolean {
  const raw = present(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1' || raw === 'yes') return true;
  if (raw === 'false' || raw === '0' || raw === 'no') return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}".`);
}

export function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  const match = allowed.find((candidate) => candidate.toLowerCase() === raw.toLowerCase());
  if (match === undefined) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}".`);
  return match;
}

export function listOf<T extends string>(env: Env, name: string, fallback: readonly T[], allowed: readonly T[]): T[] {
  const raw = present(env, name);
  if (raw === undefined) return [...fallback];
  const items = raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (items.length === 0) throw new ConfigError(`${name} must list at least one of ${allowed.join(', ')}.`);
  const result: T[] = [];
  for (const item of items) {
    const match = allowed.find((candidate) => candidate.toLowerCase() === item.toLowerCase());
    if (match === undefined) throw new ConfigError(`${name} may only list ${allowed.join(', ')}, got "${item}".`);
    if (!result.includes(match)) result.push(match);
  }
  return result;
}
