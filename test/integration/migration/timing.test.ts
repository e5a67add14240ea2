import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUserMigrationHandler } from '../../../functions/userMigration/handler.js';
import { type StandIn, startDynamo } from '../../../local/standins.js';
import { createDynamoDirectory } from '../../../shared/migration/directory.js';
import { type MigrationDependencies, MigrationRefusedError } from '../../../shared/migration/migrate.js';
import { captureAllLogs, migrationEvent } from '../../unit/migration/helpers.js';
import { makeHash } from '../../unit/passwords/hashers.js';
import { createLegacyTable, dynamoClient, putItems, toItem, directoryClient } from './legacyTable.js';

/**
 * Timing must not tell who exists, nor which hash format stands behind a refusal. A directory that
 * mixes bcrypt, PBKDF2, LDAP {SSHA} and phpass: without padding a wrong password against {SSHA}
 * answers in about a millisecond, against bcrypt 10 in ~75 ms, and an unknown user pays the dummy check.
 * Compared as the median ratio of interleaved calls within one run, so a slow or busy machine does not matter.
 */
const ROUNDS = 15;
const LOW = 0.8;
const HIGH = 1.25;
const DUMMY_COST = 10;
const RIGHT = 'Timing-Right-Pw-6Gq$z';
const WRONG = 'Timing-Wrong-Pw-2Rv&w';

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? Number.NaN;
};

let dynamo: StandIn;
let logs: ReturnType<typeof captureAllLogs>;

beforeAll(async () => {
  logs = captureAllLogs(); // keeps the run quiet; nothing asserted on the lines here
  dynamo = await startDynamo();
  const client = dynamoClient(dynamo.endpoint);
  await createLegacyTable(client);
  const bcrypt10 = await makeHash.bcrypt(RIGHT, 10);
  const user = (username: string, passwordHash: string, disabled = false) =>
    toItem({ username, passwordHash, email: username, emailVerified: true, disabled });
  await putItems(client, [
    user('bcrypt@example.com', bcrypt10),
    user('pbkdf2@example.com', makeHash.pbkdf2Sha256(RIGHT, 260_000)),
    user('ssha@example.com', makeHash.ssha(RIGHT)),
    user('phpass@example.com', makeHash.phpass(RIGHT, 13)),
    user('off@example.com', makeHash.ssha(RIGHT), true),
    user('broken@example.com', '$P$Bbroken'),
    user('plain@example.com', 'stored-in-plaintext'),
  ]);
  client.destroy();
});
afterAll(async () => {
  logs.restore();
  await dynamo.close();
});

function handler(overrides: Partial<MigrationDependencies> = {}) {
  return makeUserMigrationHandler({
    config: { legacyUsersTable: 'legacy-users', dummyHashCost: DUMMY_COST },
    directory: createDynamoDirectory(directoryClient(dynamo.endpoint), 'legacy-users'),
    logger: logs.logger,
    ...overrides,
  });
}

/**
 * Runs every case once per round, in a rotating order, and returns for each case the median over
 * rounds of (its time / the first case's time in the same round). Pairing calls made moments apart
 * cancels out load that comes and goes on a busy machine better than comparing overall medians.
 */
async function pairedRatios(
  migrate: ReturnType<typeof handler>,
  cases: Record<string, [userName: string, password: string, refused: boolean]>,
): Promise<{ ratios: Record<string, number>; medianMs: Record<string, number> }> {
  const names = Object.keys(cases);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const call = async (name: string) => {
    const [userName, password, refused] = cases[name]!;
    const start = performance.now();
    const error = await migrate(migrationEvent('UserMigration_Authentication', userName, password)).then(() => undefined, (e: unknown) => e);
    const elapsed = performance.now() - start;
    if (refused) expect(error).toBeInstanceOf(MigrationRefusedError);
    else expect(error).toBeUndefined();
    return elapsed;
  };
  for (const name of names) await call(name); // warm-up: first SDK call, JIT
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]!;
      times[name]!.push(await call(name));
    }
  }
  const base = times[names[0]!]!;
  return {
    ratios: Object.fromEntries(names.map((n) => [n, median(times[n]!.map((t, round) => t / base[round]!))])),
    medianMs: Object.fromEntries(names.map((n) => [n, Math.round(median(times[n]!))])),
  };
}

const REFUSALS: Record<string, [string, string, boolean]> = {
  unknown: ['nobody@example.com', WRONG, true],
  wrongBcrypt: ['bcrypt@example.com', WRONG, true],
  wrongPbkdf2: ['pbkdf2@example.com', WRONG, true],
  wrongSsha: ['ssha@example.com', WRONG, true],
  wrongPhpass: ['phpass@example.com', WRONG, true],
  disabled: ['off@example.com', RIGHT, true],
  malformedHash: ['broken@example.com', WRONG, true],
  unknownFormat: ['plain@example.com', WRONG, true],
};

describe(`refusal timing in a directory mixing bcrypt 10, PBKDF2 260k, {SSHA} and phpass 2^13 (medians of ${ROUNDS} interleaved calls)`, () => {
  it(`every refusal takes as long as an unknown user's, whatever the stored format (ratio within ${LOW}–${HIGH}); a successful {SSHA} sign-in is not slowed`, async () => {
    const { ratios, medianMs } = await pairedRatios(handler(), { ...REFUSALS, rightSsha: ['ssha@example.com', RIGHT, false] });
    console.info(`padded: median ms ${JSON.stringify(medianMs)}; ratios to unknown ${JSON.stringify(ratios, (_, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(3)) : v))}`);
    for (const name of Object.keys(REFUSALS)) {
      expect({ name, ratio: ratios[name]! > LOW && ratios[name]! < HIGH }).toEqual({ name, ratio: true });
    }
    // Each wrong password over the unknown user's time is the inverse ratio: also inside the bounds.
    expect(1 / ratios.wrongSsha!).toBeLessThan(HIGH);
    expect(ratios.rightSsha!).toBeLessThan(0.25);
  }, 120_000);

  it('control: without the padding, the same measure sees the cheap formats answer far sooner than an unknown user', async () => {
    const noPadding = { now: () => performance.now(), pause: async () => undefined };
    const { ratios, medianMs } = await pairedRatios(handler({ clock: noPadding }), {
      unknown: REFUSALS.unknown!,
      wrongSsha: REFUSALS.wrongSsha!,
      wrongPhpass: REFUSALS.wrongPhpass!,
    });
    console.info(`control (no padding): median ms ${JSON.stringify(medianMs)}; wrongSsha/unknown ${ratios.wrongSsha!.toFixed(3)}, wrongPhpass/unknown ${ratios.wrongPhpass!.toFixed(3)}`);
    expect(ratios.wrongSsha!).toBeLessThan(LOW);
    expect(ratios.wrongPhpass!).toBeLessThan(LOW);
  }, 60_000);

  it('control: a dummy check much cheaper than the real hashes is still covered by the floor, which follows the slowest recent check', async () => {
    // Cost 6 is 16x less work than the bcrypt-10 user: the floor then comes from recent attempts, not the dummy's model.
    const { ratios } = await pairedRatios(
      makeUserMigrationHandler({
        config: { legacyUsersTable: 'legacy-users', dummyHashCost: 6 },
        directory: createDynamoDirectory(directoryClient(dynamo.endpoint), 'legacy-users'),
        logger: logs.logger,
      }),
      { unknown: REFUSALS.unknown!, wrongBcrypt: REFUSALS.wrongBcrypt!, wrongSsha: REFUSALS.wrongSsha! },
    );
    console.info(`dummy cost 6: wrongBcrypt/unknown ${ratios.wrongBcrypt!.toFixed(3)}, wrongSsha/unknown ${ratios.wrongSsha!.toFixed(3)}`);
    expect(ratios.wrongBcrypt!).toBeGreaterThan(LOW);
    expect(ratios.wrongBcrypt!).toBeLessThan(HIGH);
    expect(ratios.wrongSsha!).toBeGreaterThan(LOW);
    expect(ratios.wrongSsha!).toBeLessThan(HIGH);
  }, 60_000);
});
