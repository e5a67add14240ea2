import { describe, expect, it } from 'vitest';
import { buildTriggers, lastCodeSentTo, useLocalSuite } from '../support/suite.js';

/**
 * DynamoDB requests per sign-in (issue 16), counted by a wrapper around the triggers' own client
 * against the stand-ins. A new code: Create reads the user's state and the address's send slots,
 * writes the slots and the code (2 reads, 2 writes). An answer: one conditional write that takes a
 * guess and returns the code, plus one that uses the code when the answer is right. Define: none.
 */

const suite = useLocalSuite();
interface Seen { command: string; error?: string }

async function measure(env: Record<string, string>, run: (built: ReturnType<typeof buildTriggers>) => Promise<void>) {
  const built = buildTriggers(suite.aws, env);
  const seen: Seen[] = [];
  const inner = built.dynamo.call.bind(built.dynamo);
  built.dynamo.call = (async (operation: string, input: unknown, options?: unknown) => {
    const entry: Seen = { command: operation };
    seen.push(entry);
    try {
      return await (inner as (...args: unknown[]) => Promise<unknown>)(operation, input, options);
    } catch (error) {
      entry.error = (error as Error).name;
      throw error;
    }
  }) as typeof built.dynamo.call;
  await run(built);
  const reads = seen.filter((entry) => entry.command === 'GetItem').length;
  return { total: seen.length, reads, writes: seen.length - reads, conditionFailures: seen.filter((entry) => entry.error === 'ConditionalCheckFailedException').length };
}

let counter = 0;
const fresh = () => `requests-${(counter += 1)}-${Date.now()}`;
const emailOf = (name: string) => `${name}@example.com`;
const users = (name: string, password?: string) => ({ [name]: { attributes: { email: emailOf(name), email_verified: 'true' }, ...(password === undefined ? {} : { password }) } });
const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');
function tokens(result: { kind: string }) {
  if (result.kind !== 'tokens') throw new Error(`expected tokens, got ${result.kind}`);
}
const figures: Record<string, unknown> = {};

describe('DynamoDB requests per passwordless sign-in', () => {
  it('a sign-in with one wrong answer', async () => {
    const oneWrongAnswer = await measure({}, async ({ harness }) => {
      const name = fresh();
      const cognito = harness({ users: users(name) });
      const first = (await cognito.initiateAuth(name)) as any;
      const code = await lastCodeSentTo(suite.aws, emailOf(name));
      const second = (await cognito.respond(first.session, { answer: wrongFor(code) })) as any;
      tokens(await cognito.respond(second.session, { answer: code }));
    });
    figures.oneWrongAnswer = oneWrongAnswer;
    // Create 2+2; wrong answer 1; Create again (same session: the live code, read only) 1; right answer 2.
    expect(oneWrongAnswer).toEqual({ total: 8, reads: 3, writes: 5, conditionFailures: 0 });
  });

  it('a clean sign-in', async () => {
    const clean = await measure({}, async ({ harness }) => {
      const name = fresh();
      const cognito = harness({ users: users(name) });
      const first = (await cognito.initiateAuth(name)) as any;
      tokens(await cognito.respond(first.session, { answer: await lastCodeSentTo(suite.aws, emailOf(name)) }));
    });
    figures.clean = clean;
    // Create 2+2; right answer 2.
    expect(clean).toEqual({ total: 6, reads: 2, writes: 4, conditionFailures: 0 });
  });

  it('a sign-in whose Create Cognito retries', async () => {
    const retriedCreate = await measure({}, async ({ harness }) => {
      const name = fresh();
      const cognito = harness({ users: users(name), retryCreate: true });
      const first = (await cognito.initiateAuth(name)) as any;
      tokens(await cognito.respond(first.session, { answer: await lastCodeSentTo(suite.aws, emailOf(name)) }));
    });
    figures.retriedCreate = retriedCreate;
    // The retried Create reads the state and offers the same code: one read more.
    expect(retriedCreate).toEqual({ total: 7, reads: 3, writes: 4, conditionFailures: 0 });
  });

  it('a sign-in with a resend', async () => {
    const resend = await measure({}, async ({ harness, clock }) => {
      const name = fresh();
      const cognito = harness({ users: users(name) });
      const first = (await cognito.initiateAuth(name)) as any;
      clock.advance(31_000);
      const second = (await cognito.respond(first.session, { answer: '', clientMetadata: { otpResend: 'true' } })) as any;
      tokens(await cognito.respond(second.session, { answer: await lastCodeSentTo(suite.aws, emailOf(name)) }));
    });
    figures.resend = resend;
    // Two new codes (2+2 each), one right answer (2); the resend round itself is no guess.
    expect(resend).toEqual({ total: 10, reads: 4, writes: 6, conditionFailures: 0 });
  });

  it('a second-factor sign-in (password, then code)', async () => {
    const secondFactor = await measure({ OTP_ALLOW_PASSWORDLESS: 'false' }, async ({ harness }) => {
      const name = fresh();
      const cognito = harness({ users: users(name, 'pw') });
      const first = (await cognito.initiateAuth(name, { password: 'x' })) as any;
      const second = (await cognito.respond(first.session, { password: 'pw' })) as any;
      tokens(await cognito.respond(second.session, { answer: await lastCodeSentTo(suite.aws, emailOf(name)) }));
    });
    figures.secondFactor = secondFactor;
    // As a clean sign-in: the password rounds touch no code state.
    expect(secondFactor).toEqual({ total: 6, reads: 2, writes: 4, conditionFailures: 0 });
    console.info(`DynamoDB requests per sign-in: ${JSON.stringify(figures)}`);
  });
});
