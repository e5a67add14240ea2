import { randomBytes } from 'node:crypto';
import { Console } from 'node:console';
import { connect } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createLegacyTable, loadExport } from './legacyImport.js';
import { startLocalAws, type LocalAws } from './standins.js';

export const SAMPLE_LEGACY_USERS = join(__dirname, 'legacy-users.sample.json');

/** Creates the legacy directory table on a stand-in and loads the sample users (passwords in the README). */
export async function seedLegacyDirectory(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await createLegacyTable(client, tableName);
  await loadExport(client, tableName, SAMPLE_LEGACY_USERS);
  client.destroy();
}

/** Defaults that let every handler start locally; anything already in the environment wins. */
export const LOCAL_DEFAULTS: Record<string, string> = {
  OTP_TABLE: 'cognito-auth-triggers-local-otp',
  SMS_ALLOWED_COUNTRIES: 'US,CA,GB,IE,ES,DE,FR',
  LEGACY_USERS_TABLE: 'cognito-auth-triggers-local-legacy-users',
  EMAIL_FROM: 'Example App <no-reply@example.com>',
  APP_NAME: 'Example App',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  // Lambda sets it; Powertools reports "cold_start": true on a container's first invocation only when it is set
  // before the logger is created (npm run invoke/demo set it in package.json: shared/passwords loads the logger early).
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
};

const ENDPOINT_VARIABLES = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_SES', 'AWS_ENDPOINT_URL_SNS'];

/**
 * Prepares process.env for a local run. With none of the standard AWS_ENDPOINT_URL_* variables
 * set, starts the in-process stand-ins and points the SDK at them; otherwise uses those endpoints.
 */
export async function prepareLocalEnvironment(): Promise<{ standIns: LocalAws | undefined }> {
  for (const [name, value] of Object.entries(LOCAL_DEFAULTS)) process.env[name] ??= value;
  // A fresh key per run: local codes are never valid anywhere else.
  process.env.OTP_SECRET ??= `base64:${randomBytes(32).toString('base64')}`;
  if (ENDPOINT_VARIABLES.some((name) => process.env[name])) return { standIns: undefined };
  const standIns = await startLocalAws({ tableName: process.env.OTP_TABLE as string });
  Object.assign(process.env, standIns.env);
  await seedLegacyDirectory(standIns.dynamo.endpoint, process.env.LEGACY_USERS_TABLE as string);
  return { standIns };
}

/** The loopback stand-in endpoints in the environment that refuse a connection (`npm run standins` stopped). */
export async function unreachableStandIns(env: NodeJS.ProcessEnv): Promise<string[]> {
  const endpoints = new Set(ENDPOINT_VARIABLES.map((name) => env[name]).filter((value): value is string => Boolean(value)));
  const down: string[] = [];
  for (const endpoint of endpoints) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      continue;
    }
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) continue;
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80) });
      const done = (answered: boolean) => {
        socket.destroy();
        resolve(answered);
      };
      socket.setTimeout(1_000);
      socket.once('connect', () => done(true)).once('error', () => done(false)).once('timeout', () => done(false));
    });
    if (!open) down.push(endpoint);
  }
  return down;
}

/**
 * Sends the suite's JSON log lines to stderr, so stdout carries only the result. EMF metric lines go to stderr
 * too, or nowhere with `metrics: 'drop'` (the demo: they would interleave with its story).
 */
export async function logsToStderr(options: { metrics?: 'stderr' | 'drop' } = {}): Promise<void> {
  // Powertools Metrics writes through its own console on stdout; metric lines all start like this.
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeMetric = options.metrics === 'drop' ? () => true : process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    String(chunk).startsWith('{"_aws"') ? writeMetric(chunk, ...rest) : writeOut(chunk, ...rest)) as typeof process.stdout.write;
  const { logger } = await import('../shared/logger.js');
  (logger as unknown as { console: Console }).console = new Console({ stdout: process.stderr, stderr: process.stderr });
  // The logger may have been created before the caller chose a level.
  const level = process.env.POWERTOOLS_LOG_LEVEL ?? process.env.LOG_LEVEL;
  if (level !== undefined) logger.setLogLevel(level as Parameters<typeof logger.setLogLevel>[0]);
}

export const FUNCTION_MODULES: Record<string, string> = {
  defineAuthChallenge: '../functions/defineAuthChallenge/index.js',
  createAuthChallenge: '../functions/createAuthChallenge/index.js',
  verifyAuthChallenge: '../functions/verifyAuthChallenge/index.js',
  preTokenGeneration: '../functions/preTokenGeneration/index.js',
  userMigration: '../functions/userMigration/index.js',
  preSignUp: '../functions/preSignUp/index.js',
};

export async function loadHandler(functionName: string): Promise<(event: unknown, context?: unknown) => Promise<unknown>> {
  const modulePath = FUNCTION_MODULES[functionName];
  if (modulePath === undefined) {
    throw new Error(`Unknown function "${functionName}". Known: ${Object.keys(FUNCTION_MODULES).join(', ')}.`);
  }
  const module = (await import(modulePath)) as { handler: (event: unknown, context?: unknown) => Promise<unknown> };
  return module.handler;
}

export function lambdaContext(functionName: string) {
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomBytes(8).toString('hex'),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 5_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
