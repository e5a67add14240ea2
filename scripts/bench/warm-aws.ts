// Warm cost of Create and Verify per invocation, with the handlers wired exactly as the tests wire them
// (test/support/suite.ts: buildTriggers — the handler factories, real SDK clients, the suite's config)
// against the in-process stand-ins (dynalite, aws-ses-v2-local, SNS endpoint). Reusing the test wiring
// keeps the bench in step when a factory gains a dependency. The logger is set to INFO, as deployed.
// These numbers are dominated by loopback HTTP to the stand-ins (Create: a few GetItem/UpdateItem calls
// plus SendEmail/Publish; Verify: GetItem + UpdateItem), so one bare GetItem is measured as a reference.
// Usage: tsx scripts/bench/warm-aws.ts <out.json>
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { buildTriggers, startLocalSuite } from '../../test/support/suite.js';

const ITERATIONS = Number(process.env.BENCH_AWS_ITERATIONS ?? 60);
const WARMUP = 5;
const root = join(__dirname, '..', '..');
const sample = (path: string) => JSON.parse(readFileSync(join(root, 'events', path), 'utf8'));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
const summary = (values: number[]) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length });

async function main() {
  const outFile = process.argv[2]!;
  const aws = await startLocalSuite();
  try {
    // Every call uses a new user name but the sample event's address: stay under the per-destination hourly cap.
    const { triggers, logs, dynamo } = buildTriggers(aws, { OTP_MAX_SENDS_PER_DESTINATION: '100' });
    (logs.logger as unknown as { setLogLevel?: (level: string) => void }).setLogLevel?.('INFO');
    const tableName = process.env.BENCH_SUITE_TABLE ?? 'otp-test';
    const { create, verify } = triggers;

    const emailEvent = sample('createAuthChallenge/email.json');
    const smsEvent = sample('createAuthChallenge/sms.json');
    const answerEvent = sample('verifyAuthChallenge/answer.json');
    // A fresh user name per call: the same user within OTP_RETRY_WINDOW_SECONDS would be a Cognito retry (nothing sent).
    const createFor = (template: any, userName: string) => ({ ...structuredClone(template), userName });
    const verifyFor = (userName: string, codeId: string, answer: string) => {
      const event = structuredClone(answerEvent);
      event.userName = userName;
      event.request.privateChallengeParameters = { codeId };
      event.request.challengeAnswer = answer;
      return event;
    };

    const timings: Record<string, number[]> = { createEmail: [], createSms: [], verifyCorrect: [], verifyWrong: [], dynamoGetItem: [] };
    const first: Record<string, number> = {};
    const time = async (key: string, i: number, call: () => Promise<unknown>) => {
      const start = performance.now();
      const result = await call();
      const ms = performance.now() - start;
      if (i === 0) first[key] = ms;
      else if (i > WARMUP) timings[key]!.push(ms);
      return result;
    };

    for (let i = 0; i <= ITERATIONS + WARMUP; i += 1) {
      // Email: Create sends through SES; Verify gets a wrong answer (read + recording the failure).
      const emailUser = `bench-email-${i}`;
      const emailResult: any = await time('createEmail', i, () => create(createFor(emailEvent, emailUser)));
      await time('verifyWrong', i, () => verify(verifyFor(emailUser, emailResult.response.privateChallengeParameters.codeId, '000000')));
      // SMS: the code is read from the in-memory SNS stand-in, then answered correctly (read + consuming the code).
      const smsUser = `bench-sms-${i}`;
      const before = aws.sms.messages.length;
      const smsResult: any = await time('createSms', i, () => create(createFor(smsEvent, smsUser)));
      if (aws.sms.messages.length !== before + 1) throw new Error('bench wiring: Create sent no SMS (limits or config changed?)');
      const code = aws.sms.messages.at(-1)?.message.match(/\b\d{6,10}\b/)?.[0] ?? '';
      const verified: any = await time('verifyCorrect', i, () => verify(verifyFor(smsUser, smsResult.response.privateChallengeParameters.codeId, code)));
      if (verified.response.answerCorrect !== true) throw new Error('bench wiring: the correct code was not accepted');
      await time('dynamoGetItem', i, () => dynamo.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: `USER#${smsUser}` } }, ConsistentRead: true })));
      logs.lines.length = 0;
      if (i % 20 === 0) await aws.ses.clear();
    }
    const result = Object.fromEntries(Object.entries(timings).map(([key, values]) => [key, { firstCallMs: first[key], perCallMs: summary(values) }]));
    writeFileSync(outFile, JSON.stringify({ ok: true, iterations: ITERATIONS, wiring: 'test/support/suite.ts buildTriggers', ...result }, null, 2));
  } finally {
    await aws.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
