import { randomBytes } from 'node:crypto';
import { createCodeTable, startLocalAws } from './standins.js';
import { LOCAL_DEFAULTS, logsToStderr, seedLegacyDirectory } from './localEnv.js';
import { SAMPLE_POOL_USER, startSuiteEndpoint } from './cognito/wiring.js';

/**
 * npm run standins — keeps the stand-ins running on fixed ports for other tools
 * (`npx serverless invoke local`, `npm run invoke` in another shell, a front end against the local
 * Cognito endpoint) and prints the variables that point the SDK at them. Ctrl-C stops them.
 */
const PORTS = {
  dynamo: Number(process.env.DYNAMO_PORT ?? 8000),
  ses: Number(process.env.SES_PORT ?? 8005),
  sms: Number(process.env.SNS_PORT ?? 8006),
  cognito: Number(process.env.COGNITO_PORT ?? 9229),
};
const stage = process.env.STAGE ?? 'dev';
const serverlessTable = `cognito-auth-triggers-${stage}-otp`;

async function main(): Promise<void> {
  const aws = await startLocalAws({ tableName: LOCAL_DEFAULTS.OTP_TABLE as string, ports: PORTS });
  await createCodeTable(aws.dynamo.endpoint, serverlessTable);
  const legacyTables = [LOCAL_DEFAULTS.LEGACY_USERS_TABLE as string, `cognito-auth-triggers-${stage}-legacy-users`];
  for (const table of legacyTables) await seedLegacyDirectory(aws.dynamo.endpoint, table);
  const secret = `base64:${randomBytes(32).toString('base64')}`;

  // The Cognito endpoint runs the suite's functions in this process, configured like deployed Lambdas.
  for (const [name, value] of Object.entries(LOCAL_DEFAULTS)) process.env[name] ??= value;
  Object.assign(process.env, aws.env, { OTP_SECRET: secret });
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  await logsToStderr();
  const cognito = await startSuiteEndpoint(aws, { port: PORTS.cognito });

  const exports = { ...aws.env, ...cognito.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', OTP_SECRET: secret };
  process.stdout.write(`Stand-ins running (tables ${LOCAL_DEFAULTS.OTP_TABLE}, ${serverlessTable}, ${legacyTables.join(', ')} with the sample legacy users). In another shell:\n\n`);
  for (const [name, value] of Object.entries(exports)) process.stdout.write(`export ${name}='${value}'\n`);
  process.stdout.write(
    `\nnpx serverless invoke local -f createAuthChallenge -p events/createAuthChallenge/email.json -e OTP_SECRET="$OTP_SECRET"\n` +
      `Captured email: ${aws.ses.endpoint}/store (viewer at ${aws.ses.endpoint}/); captured SMS are printed here.\n` +
      `\nCognito user pool ${cognito.userPoolId}, app client ${cognito.clientId} (settings of serverless.yml, userPool=create), running this suite's triggers:\n` +
      `  front end: Amplify.configure({ Auth: { Cognito: { userPoolId: '${cognito.userPoolId}', userPoolClientId: '${cognito.clientId}', userPoolEndpoint: '${cognito.endpoint}' } } })\n` +
      `  JWKS: ${cognito.endpoint}/${cognito.userPoolId}/.well-known/jwks.json\n` +
      `  sample user: ${SAMPLE_POOL_USER.email} / ${SAMPLE_POOL_USER.phone}, password ${SAMPLE_POOL_USER.password}; legacy users (migrated on first password sign-in) in local/legacy-users.sample.json\n`,
  );
  let printed = 0;
  const timer = setInterval(() => {
    for (const sms of aws.sms.messages.slice(printed)) process.stdout.write(`[SMS to ${sms.phoneNumber}] ${sms.message}\n`);
    printed = aws.sms.messages.length;
  }, 500);
  const stop = async () => {
    clearInterval(timer);
    await cognito.close();
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
