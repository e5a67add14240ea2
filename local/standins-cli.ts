import { randomBytes } from 'node:crypto';
import { createCodeTable, startLocalAws } from './standins.js';
import { LOCAL_DEFAULTS, seedLegacyDirectory } from './localEnv.js';

/**
 * npm run standins — keeps the stand-ins running on fixed ports for other tools
 * (`npx serverless invoke local`, `npm run invoke` in another shell) and prints the variables
 * that point the SDK at them. Ctrl-C stops them.
 */
const PORTS = { dynamo: Number(process.env.DYNAMO_PORT ?? 8000), ses: Number(process.env.SES_PORT ?? 8005), sms: Number(process.env.SNS_PORT ?? 8006) };
const stage = process.env.STAGE ?? 'dev';
const serverlessTable = `cognito-auth-triggers-${stage}-otp`;

async function main(): Promise<void> {
  const aws = await startLocalAws({ tableName: LOCAL_DEFAULTS.OTP_TABLE as string, ports: PORTS });
  await createCodeTable(aws.dynamo.endpoint, serverlessTable);
  const legacyTables = [LOCAL_DEFAULTS.LEGACY_USERS_TABLE as string, `cognito-auth-triggers-${stage}-legacy-users`];
  for (const table of legacyTables) await seedLegacyDirectory(aws.dynamo.endpoint, table);
  const secret = `base64:${randomBytes(32).toString('base64')}`;
  const exports = { ...aws.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', OTP_SECRET: secret };
  process.stdout.write(`Stand-ins running (tables ${LOCAL_DEFAULTS.OTP_TABLE}, ${serverlessTable}, ${legacyTables.join(', ')} with the sample legacy users). In another shell:\n\n`);
  for (const [name, value] of Object.entries(exports)) process.stdout.write(`export ${name}='${value}'\n`);
  process.stdout.write(
    `\nnpx serverless invoke local -f createAuthChallenge -p events/createAuthChallenge/email.json -e OTP_SECRET="$OTP_SECRET"\n` +
      `Captured email: ${aws.ses.endpoint}/store (viewer at ${aws.ses.endpoint}/); captured SMS are printed here.\n`,
  );
  let printed = 0;
  const timer = setInterval(() => {
    for (const sms of aws.sms.messages.slice(printed)) process.stdout.write(`[SMS to ${sms.phoneNumber}] ${sms.message}\n`);
    printed = aws.sms.messages.length;
  }, 500);
  const stop = async () => {
    clearInterval(timer);
    await aws.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Could not start the stand-ins: ${(error as Error).message}\n`);
  process.exit(1);
});
