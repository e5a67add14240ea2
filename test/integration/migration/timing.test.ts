import { hash } from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUserMigrationHandler } from '../../../functions/userMigration/handler.js';
import { type StandIn, startDynamo } from '../../../local/standins.js';
import { createDynamoDirectory } from '../../../shared/migration/directory.js';
import { MigrationRefusedError } from '../../../shared/migration/migrate.js';
import { captureAllLogs, migrationEvent } from '../../unit/migration/helpers.js';
import { createLegacyTable, dynamoClient, putItems, toItem } from './legacyTable.js';

/**
 * Timing must not tell an unknown user (or a disabled one) from a wrong password. Compared as the
 * median ratio of interleaved calls within one run, so a slow or busy machine does not matter.
 * Without the dummy check an unknown user answers ~50x faster (ratio ~0.02); the bounds are wide
 * enough for a noisy 2-core machine and far narrower than that.
 */
const ROUNDS = 15;
const LOW = 0.7;
const HIGH = 1 / LOW;
const COST = 10;
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
  const realHash = await hash(RIGHT, COST);
  await putItems(client, [
    toItem({ username: 'jo@example.com', passwordHash: realHash, email: 'jo@example.com', emailVerified: true }),
    toItem({ username: 'off@example.com', passwordHash: realHash, email: 'off@example.com', emailVerified: true, disabled: true }),
    toItem({ username: 'broken@example.com', passwordHash: '$P$Bbroken', email: 'broken@example.com', emailVerified: true }),
  ]);
  client.destroy();
});
afterAll(async () => {
  logs.restore();
  await dynamo.close();
});

function handlerWithDummyCost(dummyHashCost: number) {
  return makeUserMigrationHandler({
    config: { legacyUsersTable: 'legacy-users', dummyHashCost },
    directory: createDynamoDirectory(dynamoClient(dynamo.endpoint), 'legacy-users'),
    logger: logs.logger,
  });
}

/**
 * Runs every case once per round, in a rotating order, and returns for each case the median over
 * rounds of (its time / the first case's time in the same round). Pairing calls made moments apart
 * cancels out load that comes and goes on a busy machine better than comparing overall medians.
 */
async function pairedRatios(
  handler: ReturnType<typeof handlerWithDummyCost>,
  cases: Record<string, [string, string]>,
): Promise<{ ratios: Record<string, number>; medianMs: Record<string, number> }> {
  const names = Object.keys(cases);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const call = async (name: string) => {
    const [userName, password] = cases[name]!;
    const start = performance.now();
    const error = await handler(migrationEvent('UserMigration_Authentication', userName, password)).catch((e: unknown) => e);
    const elapsed = performance.now() - start;
    expect(error).toBeInstanceOf(MigrationRefusedError);
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

describe(`refusal timing (bcrypt cost ${COST}, medians of ${ROUNDS} interleaved calls)`, () => {
  it(`an unknown user, a disabled account and an unusable stored hash take as long as a wrong password (ratio within ${LOW.toFixed(2)}–${HIGH.toFixed(2)})`, async () => {
    const { ratios, medianMs } = await pairedRatios(handlerWithDummyCost(COST), {
      wrong: ['jo@example.com', WRONG],
      unknown: ['nobody@example.com', WRONG],
      disabled: ['off@example.com', RIGHT],
      unusableHash: ['broken@example.com', WRONG],
    });
    expect(ratios.unusableHash!).toBeGreaterThan(LOW);
    expect(ratios.unusableHash!).toBeLessThan(HIGH);
    const unknownRatio = ratios.unknown!;
    const disabledRatio = ratios.disabled!;
    console.info(`median ms ${JSON.stringify(medianMs)}; unknown/wrong ${unknownRatio.toFixed(3)}, disabled/wrong ${disabledRatio.toFixed(3)}`);
    expect(unknownRatio).toBeGreaterThan(LOW);
    expect(unknownRatio).toBeLessThan(HIGH);
    expect(disabledRatio).toBeGreaterThan(LOW);
    expect(disabledRatio).toBeLessThan(HIGH);
  }, 60_000);

  it('control: the same measure does see a dummy check much cheaper than the real hashes', async () => {
    // Cost 6 is 16x less work than cost 10: a stand-in for a missing or mis-sized dummy check.
    const { ratios } = await pairedRatios(handlerWithDummyCost(6), { wrong: ['jo@example.com', WRONG], unknown: ['nobody@example.com', WRONG] });
    console.info(`control (dummy cost 6): unknown/wrong ${ratios.unknown!.toFixed(3)}`);
    expect(ratios.unknown!).toBeLessThan(LOW);
  }, 60_000);
});
