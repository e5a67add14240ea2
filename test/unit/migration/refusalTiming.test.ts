import { hashSync } from 'bcryptjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runWithDeadline } from '../../../shared/aws/deadline.js';
import type { LegacyDirectory } from '../../../shared/migration/directory.js';
import { LegacyUserError, type LegacyUser } from '../../../shared/migration/legacyUser.js';
import { createMigrationService, MigrationRefusedError, type MigrationRequest } from '../../../shared/migration/migrate.js';
import { expectedCheckMs, REFUSAL_PAD_FACTOR } from '../../../shared/passwords/limits.js';
import { captureAllLogs, legacyUser } from './helpers.js';

const RIGHT = 'Right-Pw-Timing-4Tq!';
const WRONG = 'Wrong-Pw-Timing-8Lp?';
const HASH = hashSync(RIGHT, 4);
const users: LegacyUser[] = [
  legacyUser({ username: 'jo@example.com', passwordHash: HASH }),
  legacyUser({ username: 'off', passwordHash: HASH, disabled: true }),
  legacyUser({ username: 'badphone', passwordHash: HASH, phoneNumber: '555-0100', phoneNumberVerified: true }),
  legacyUser({ username: 'kim', passwordHash: HASH, email: 'kim@example.com' }),
];

/** A clock the test moves: the directory "takes" `lookupMs` per look-up, and pauses are recorded, not slept. */
function fakeClock() {
  const clock = {
    t: 0,
    pauses: [] as number[],
    now: () => clock.t,
    async pause(ms: number) {
      clock.pauses.push(ms);
      clock.t += ms;
    },
  };
  return clock;
}

function slowDirectory(clock: { t: number }, lookupMs: () => number): LegacyDirectory {
  return {
    async findUser(userName) {
      clock.t += lookupMs();
      if (userName === 'broken') throw new LegacyUserError('passwordHash must be a string');
      // A careless directory that folds Unicode, so that look-alike names reach the service.
      return users.find((u) => u.username === userName.normalize('NFKC').toLowerCase());
    },
  };
}

let logs: ReturnType<typeof captureAllLogs>;
beforeEach(() => {
  logs = captureAllLogs();
});
afterEach(() => logs.restore());

const signIn = (userName: string, password: string): MigrationRequest => ({ triggerSource: 'UserMigration_Authentication', userName, password });

function setUp(refusalFloorMs: number, lookupMs: () => number = () => 10) {
  const clock = fakeClock();
  const migrate = createMigrationService({
    config: { legacyUsersTable: 'legacy-users', dummyHashCost: 4, refusalFloorMs },
    directory: slowDirectory(clock, lookupMs),
    logger: logs.logger,
    clock,
  });
  /** Runs one request; returns how long it lasted on the fake clock and whether it was refused. */
  const timed = async (request: MigrationRequest) => {
    const started = clock.t;
    const error = await migrate(request).then(() => undefined, (e: unknown) => e);
    if (error !== undefined) expect(error).toBeInstanceOf(MigrationRefusedError);
    return { ms: clock.t - started, refused: error !== undefined };
  };
  return { clock, timed };
}

describe('refusal timing (fake clock)', () => {
  it('every kind of refusal lasts exactly the configured floor, whatever work it did', async () => {
    const { timed } = setUp(500);
    const refusals = {
      unknownUser: signIn('nobody', WRONG),
      wrongPassword: signIn('jo@example.com', WRONG),
      disabled: signIn('off', RIGHT),
      unusableEntry: signIn('badphone', RIGHT),
      unreadableEntry: signIn('broken', RIGHT),
      lookAlikeName: signIn('\u212Aim', RIGHT),
      passwordTooLong: signIn('jo@example.com', 'x'.repeat(257)),
    };
    for (const [kind, request] of Object.entries(refusals)) {
      expect({ kind, ...(await timed(request)) }).toEqual({ kind, ms: 500, refused: true });
    }
  });

  it('a successful sign-in is not padded', async () => {
    const { clock, timed } = setUp(500);
    expect(await timed(signIn('jo@example.com', RIGHT))).toEqual({ ms: 10, refused: false });
    expect(clock.pauses).toEqual([]);
  });

  it('with no floor configured, a refusal lasts as long as the slowest recent attempt times the pad factor', async () => {
    let lookupMs = 200;
    const { timed } = setUp(0, () => lookupMs);
    expect(await timed(signIn('jo@example.com', RIGHT))).toEqual({ ms: 200, refused: false });
    lookupMs = 5;
    expect((await timed(signIn('nobody', WRONG))).ms).toBeCloseTo(200 * REFUSAL_PAD_FACTOR);
  });

  it('in a fresh container, the first refusal already waits for the dummy check’s expected time', async () => {
    const { timed } = setUp(0, () => 0);
    const expected = REFUSAL_PAD_FACTOR * expectedCheckMs('bcrypt', 4, 0);
    expect(expected).toBeGreaterThan(0);
    expect((await timed(signIn('nobody', WRONG))).ms).toBeCloseTo(expected);
  });

  it('the padding stops at the invocation’s deadline', async () => {
    const { clock, timed } = setUp(2_000);
    // Lambda has 1 s left: the deadline is 1 s less the 300 ms kept to answer in.
    await runWithDeadline({ getRemainingTimeInMillis: () => 1_000 }, Date.now(), () => timed(signIn('nobody', WRONG)));
    expect(clock.pauses).toHaveLength(1);
    expect(clock.pauses[0]).toBeGreaterThan(600);
    expect(clock.pauses[0]).toBeLessThanOrEqual(700);
  });

  it('a refusal slower than the configured floor is padded to its own work times the pad factor, never by a negative pause', async () => {
    const { clock, timed } = setUp(100, () => 150);
    // Floor: 1.1 × 150 ms from this very attempt, so 15 ms of padding; never a negative pause.
    expect((await timed(signIn('nobody', WRONG))).ms).toBeCloseTo(165);
    expect(clock.pauses.every((ms) => ms > 0)).toBe(true);
  });
});
