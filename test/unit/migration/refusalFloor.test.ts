import { describe, expect, it } from 'vitest';
import { createRefusalFloor, DEFAULT_FLOOR_WINDOW } from '../../../shared/migration/refusalFloor.js';
import { REFUSAL_PAD_FACTOR } from '../../../shared/passwords/limits.js';

describe('the refusal floor', () => {
  it('before any attempt, is the dummy check’s expected time with the pad factor', () => {
    expect(createRefusalFloor({ configuredMs: 0, dummyCheckMs: 80 }).floorMs()).toBeCloseTo(80 * REFUSAL_PAD_FACTOR);
  });

  it('never falls below the configured floor', () => {
    const floor = createRefusalFloor({ configuredMs: 900, dummyCheckMs: 80 });
    floor.record(300);
    expect(floor.floorMs()).toBe(900);
  });

  it('rises to the slowest recent attempt (a hash costlier than the dummy), with the pad factor', () => {
    const floor = createRefusalFloor({ configuredMs: 0, dummyCheckMs: 80 });
    floor.record(20);
    floor.record(400);
    floor.record(5);
    expect(floor.floorMs()).toBeCloseTo(400 * REFUSAL_PAD_FACTOR);
  });

  it(`forgets a slow attempt once ${DEFAULT_FLOOR_WINDOW} later attempts have been recorded`, () => {
    const floor = createRefusalFloor({ configuredMs: 0, dummyCheckMs: 10 });
    floor.record(500);
    for (let i = 1; i < DEFAULT_FLOOR_WINDOW; i++) floor.record(50);
    expect(floor.floorMs()).toBeCloseTo(500 * REFUSAL_PAD_FACTOR);
    floor.record(50);
    expect(floor.floorMs()).toBeCloseTo(50 * REFUSAL_PAD_FACTOR);
  });

  it('ignores durations that are not a time (NaN, negative, infinite)', () => {
    const floor = createRefusalFloor({ configuredMs: 0, dummyCheckMs: 10, factor: 1 });
    floor.record(Number.NaN);
    floor.record(-5);
    floor.record(Number.POSITIVE_INFINITY);
    expect(floor.floorMs()).toBe(10);
  });
});
