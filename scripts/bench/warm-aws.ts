// Create, Verify and whole sign-ins on the built bundles (dist/, what serverless deploys), wired by their own
// index.ts against the in-process stand-ins (dynalite, aws-ses-v2-local, the SNS endpoint), each behind a
// counting proxy (countingProxy.ts). Two parts:
// 1. Warm cost per invocation: Create by email and by SMS, Verify with a wrong and a right answer, and one bare
//    GetItem to dynalite as the reference (these figures are mostly loopback HTTP to the stand-ins).
// 2. AWS calls per sign-in: DynamoDB reads and writes (and the conditional failures among them), messages
//    sent and the total time spent in the triggers, for the sign-ins in SIGN_INS, driven the way Cognito
//    drives them (local/cognitoHarness.ts).
// Any failed measurement fails the script (exit 1): the bench then fails too.
// Usage: tsx scripts/bench/warm-aws.ts <out.json> <dist directory>
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CognitoCustomAuthHarness, type AuthResult, type HarnessOptions } from '../../local/cognitoHarness.js';
import { startLocalAws, type LocalAws } from '../../local/standins.js';
import { countCalls, startCountingProxy, type CountingProxy } from './countingProxy.js';

const ITERATIONS = Number(process.env.BENCH_AWS_ITERATIONS ?? 60);
const SIGN_IN_RUNS = Number(process.env.BENCH_SIGNIN_RUNS ?? 10);
const WARMUP = Math.min(5, Math.floor(ITERATIONS / 4));
const TABLE = 'bench-otp';
const root = join(__dirname, '..', '..');
const sample = (path: string) => JSON.parse(readFileSync(join(root, 'events', path), 'utf8'));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
const summary = (values: number[]) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length });

type Handler = (event: unknown, context?: unknown) => Promise<any>;
const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 5_000 };

/** The environment the functions get, as deployed, with the endpoints pointing at the counting proxies. */
function functionEnvironment(proxies: Record<'dynamodb' | 'ses' | 'sns', CountingProxy>): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: proxies.dynamodb.endpoint,
    AWS_ENDPOINT_URL_SES: proxies.ses.endpoint,
    AWS_ENDPOINT_URL_SNS: proxies.sns.endpoint,
    POWERTOOLS_LOG_LEVEL: 'INFO',
    OTP_TABLE: TABLE,
    OTP_SECRET: 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
    OTP_CHANNELS: 'EMAIL,SMS',
    SMS_ALLOWED_COUNTRIES: 'US,CA,ES',
    EMAIL_FROM: 'Bench <no-reply@example.com>',
    APP_NAME: 'Bench',
    // Every call below uses a new user, often with the same address: the per-destination cap is not measured here.
    OTP_MAX_SENDS_PER_DESTINATION: '100',
    // A resend within the cooldown would reuse the code; the resend sign-in measures a real second send.
    OTP_RESEND_COOLDOWN_SECONDS: '0',
  };
}

function loadBundle(dist: string, name: string): Handler {
  const module = require(resolve(dist, `${name}.js`)) as { handler?: Handler };
  if (typeof module.handler !== 'function') throw new Error(`${name}.js exports no handler`);
  return module.handler;
}

/** The code in the newest message to that address (email from the SES stand-in's store, SMS as captured). */
async function codeSentTo(aws: LocalAws, address: string): Promise<string> {
  const bodies = address.startsWith('+')
    ? aws.sms.messages.filter((sms) => sms.phoneNumber === address).map((sms) => sms.message)
    : (await aws.ses.emails()).filter((email) => email.to.includes(address)).map((email) => email.text ?? '');
  const code = bodies.at(-1)?.match(/\b\d{6,10}\b/)?.[0];
  if (code === undefined) throw new Error(`bench wiring: no code was sent to ${address}`);
  return code;
}

const wrongCodeFor = (code: string) => `${code.slice(0, -1)}${(Number(code.at(-1)) + 1) % 10}`;

function tokens(result: AuthResult, what: string): void {
  if (result.kind !== 'tokens') throw new Error(`bench wiring: ${what} did not end with tokens`);
}
function challenge(result: AuthResult, what: string): Extract<AuthResult, { kind: 'challenge' }> {
  if (result.kind !== 'challenge') throw new Error(`bench wiring: ${what} did not give a challenge`);
  return result;
}

interface SignIn {
  key: string;
  description: string;
  retryCreate?: boolean;
  run(cognito: CognitoCustomAuthHarness, user: string, address: string, aws: LocalAws): Promise<void>;
}

const PASSWORD = 'correct horse battery staple';
const SIGN_INS: SignIn[] = [
  {
    key: 'passwordlessOneWrong',
    description: 'passwordless sign-in, one wrong answer, then the right one',
    async run(cognito, user, address, aws) {
      const first = challenge(await cognito.initiateAuth(user), 'InitiateAuth');
      const code = await codeSentTo(aws, address);
      const second = challenge(await cognito.respond(first.session, { answer: wrongCodeFor(code) }), 'a wrong answer');
      tokens(await cognito.respond(second.session, { answer: code }), 'the right answer');
    },
  },
  {
    key: 'createRetried',
    description: 'passwordless sign-in where Cognito calls Create twice (a retry), right answer',
    retryCreate: true,
    async run(cognito, user, address, aws) {
      const first = challenge(await cognito.initiateAuth(user), 'InitiateAuth');
      tokens(await cognito.respond(first.session, { answer: await codeSentTo(aws, address) }), 'the right answer');
    },
  },
  {
    key: 'resend',
    description: 'passwordless sign-in with one resend request, then the new code',
    async run(cognito, user, address, aws) {
      const first = challenge(await cognito.initiateAuth(user), 'InitiateAuth');
      const second = challenge(await cognito.respond(first.session, { answer: '', clientMetadata: { otpResend: 'true' } }), 'the resend');
      tokens(await cognito.respond(second.session, { answer: await codeSentTo(aws, address) }), 'the new code');
    },
  },
  {
    key: 'secondFactor',
    description: 'password (SRP) then a code as second factor, right answer',
    async run(cognito, user, address, aws) {
      const first = challenge(await cognito.initiateAuth(user, { password: PASSWORD }), 'InitiateAuth');
      const second = challenge(await cognito.respond(first.session, { password: PASSWORD }), 'the password');
      tokens(await cognito.respond(second.session, { answer: await codeSentTo(aws, address) }), 'the code');
    },
  },
];

async function main() {
  const [outFile, distArg] = process.argv.slice(2);
  if (outFile === undefined) throw new Error('usage: warm-aws.ts <out.json> [dist]');
  const dist = resolve(root, distArg ?? 'dist');
  const aws = await startLocalAws({ tableName: TABLE });
  const proxies = {
    dynamodb: await startCountingProxy('dynamodb', aws.dynamo.endpoint),
    ses: await startCountingProxy('ses', aws.ses.endpoint),
    sns: await startCountingProxy('sns', aws.sms.endpoint),
  };
  const allCalls = () => [...proxies.dynamodb.calls, ...proxies.ses.calls, ...proxies.sns.calls];
  const resetCalls = () => {
    for (const proxy of Object.values(proxies)) proxy.calls.length = 0;
  };
  try {
    Object.assign(process.env, functionEnvironment(proxies));
    const define = loadBundle(dist, 'defineAuthChallenge');
    const create = loadBundle(dist, 'createAuthChallenge');
    const verify = loadBundle(dist, 'verifyAuthChallenge');
    const dynamo = new DynamoDBClient({ endpoint: aws.dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

    // ---- 1. warm cost per invocation ------------------------------------------------------------------
    const emailEvent = sample('createAuthChallenge/email.json');
    const smsEvent = sample('createAuthChallenge/sms.json');
    const answerEvent = sample('verifyAuthChallenge/answer.json');
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
    const time = async <T>(key: string, i: number, call: () => Promise<T>): Promise<T> => {
      const start = performance.now();
      const result = await call();
      const ms = performance.now() - start;
      if (i === 0) first[key] = ms;
      else if (i > WARMUP) timings[key]!.push(ms);
      return result;
    };
    for (let i = 0; i <= ITERATIONS + WARMUP; i += 1) {
      const emailUser = `bench-email-${i}`;
      const emailResult = await time('createEmail', i, () => create(createFor(emailEvent, emailUser), context));
      const wrong = await time('verifyWrong', i, () => verify(verifyFor(emailUser, emailResult.response.privateChallengeParameters.codeId, '000000'), context));
      if (wrong.response.answerCorrect !== false) throw new Error('bench wiring: a wrong answer was accepted');
      const smsUser = `bench-sms-${i}`;
      const before = aws.sms.messages.length;
      const smsResult = await time('createSms', i, () => create(createFor(smsEvent, smsUser), context));
      if (aws.sms.messages.length !== before + 1) throw new Error('bench wiring: Create sent no SMS (limits or config changed?)');
      const code = aws.sms.messages.at(-1)?.message.match(/\b\d{6,10}\b/)?.[0] ?? '';
      const verified = await time('verifyCorrect', i, () => verify(verifyFor(smsUser, smsResult.response.privateChallengeParameters.codeId, code), context));
      if (verified.response.answerCorrect !== true) throw new Error('bench wiring: the correct code was not accepted');
      await time('dynamoGetItem', i, () => dynamo.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: `USER#${smsUser}` } }, ConsistentRead: true })));
      if (i % 20 === 0) await aws.ses.clear();
    }
    const warm = Object.fromEntries(Object.entries(timings).map(([key, values]) => [key, { firstCallMs: first[key], perCallMs: summary(values) }]));

    // ---- 2. AWS calls per sign-in ------------------------------------------------------------------------
    let triggerMs = 0;
    const timed =
      (handler: Handler) =>
      async (event: unknown): Promise<any> => {
        const start = performance.now();
        try {
          return await handler(event, context);
        } finally {
          triggerMs += performance.now() - start;
        }
      };
    const triggers = { define: timed(define), create: timed(create), verify: timed(verify) };
    const signIns: Record<string, unknown> = {};
    for (const signIn of SIGN_INS) {
      const times: number[] = [];
      let counts: ReturnType<typeof countCalls> | undefined;
      for (let run = 0; run < SIGN_IN_RUNS; run += 1) {
        const user = `bench-${signIn.key}-${run}`;
        const address = `${user}@example.com`;
        const users: HarnessOptions['users'] = { [user]: { attributes: { email: address, email_verified: 'true' }, password: PASSWORD } };
        const cognito = new CognitoCustomAuthHarness({ triggers, users, ...(signIn.retryCreate ? { retryCreate: true } : {}) });
        await aws.ses.clear();
        resetCalls();
        triggerMs = 0;
        await signIn.run(cognito, user, address, aws);
        times.push(triggerMs);
        const these = countCalls(allCalls());
        if (counts !== undefined && JSON.stringify(counts) !== JSON.stringify(these)) {
          throw new Error(`bench: ${signIn.key} made different calls from one run to the next: ${JSON.stringify(counts)} vs ${JSON.stringify(these)}`);
        }
        counts = these;
      }
      signIns[signIn.key] = { description: signIn.description, runs: SIGN_IN_RUNS, ...counts, triggerMs: summary(times) };
    }
    dynamo.destroy();
    writeFileSync(outFile, JSON.stringify({ ok: true, iterations: ITERATIONS, wiring: `${dist}/*.js (functions' own index.ts)`, ...warm, signIns }, null, 2));
  } finally {
    for (const proxy of Object.values(proxies)) await proxy.close();
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
