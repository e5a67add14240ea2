import { REFUSAL_PAD_FACTOR } from '../passwords/limits.js';

/**
 * How long a refused sign-in must last, so that the refusal's timing does not tell which hash
 * format (or whether any hash) stood behind it. An unknown user pays a dummy bcrypt check, a wrong
 * password the real hash's cost, an {SSHA} hash microseconds: each refusal is padded to the same floor.
 *
 * The floor is the largest of:
 * - the configured floor (MIGRATION_REFUSAL_FLOOR_MS): set it above the costliest hash in the directory;
 * - the expected time of the dummy check at this memory size (from the cost model), so even a fresh
 *   container's first refusal is padded;
 * - the slowest of the last `window` attempts' work (look-up and check, refused or not) in this container,
 *   so the floor follows the directory's real hashes and the machine's present speed.
 * each times REFUSAL_PAD_FACTOR, to stay above the noise. The caller clips the padding at the deadline.
 */
export interface RefusalFloor {
  /** Records how long one attempt's work took, before any padding. */
  record(workMs: number): void;
  /** How long, from its start, a refusal must last. */
  floorMs(): number;
}

export interface RefusalFloorSettings {
  configuredMs: number;
  /** Expected wall-clock time of the dummy check at this function's memory. */
  dummyCheckMs: number;
  window?: number;
  factor?: number;
}

export const DEFAULT_FLOOR_WINDOW = 32;

export function createRefusalFloor(settings: RefusalFloorSettings): RefusalFloor {
  const window = settings.window ?? DEFAULT_FLOOR_WINDOW;
  const factor = settings.factor ?? REFUSAL_PAD_FACTOR;
  const recent: number[] = [];
  return {
    record(workMs) {
      if (!Number.isFinite(workMs) || workMs < 0) return;
      recent.push(workMs);
      if (recent.length > window) recent.shift();
    },
    floorMs() {
      return Math.max(settings.configuredMs, factor * Math.max(settings.dummyCheckMs, ...recent));
    },
  };
}
