import { randomBytes } from 'node:crypto';
import { Console } from 'node:console';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createLegacyTable, importLegacyUsers, readExport } from './legacyImport.js';
import { startLocalAws, type LocalAws } from './standins.js';

export const SAMPLE_LEGACY_USERS = join(__dirname, 'legacy-users.sample.json');

/** Creates the legacy directory table on a stand-in and loads the sample users (passwords in the README). */
export async function seedLegacyDirectory(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await createLegacyTable(client, tableName);
  await importLegacyUsers(client, tableName, readExport(SAMPLE_LEGACY_USERS));
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

/** Sends the suite's JSON log and EMF metric lines to stderr, so stdout carries only the result. */
export async function logsToStderr(): Promise<void> {
  // Powertools Metrics writes through its own console on stdout; metric lines all start like this.
  const writeOut = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    String(chunk).startsWith('{"_aws"') ? process.stderr.write(chunk, ...rest) : writeOut(chunk, ...rest)) as typeof process.stdout.write;
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
