/** A JSON object as events and settings arrive: keys to unknown values. */
export type Json = Record<string, unknown>;

/** A plain object: not null, not an array. */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
