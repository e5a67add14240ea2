import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { answerLastCode, LastCreateError, rememberCreate } from './lastCreate.js';
import { FUNCTION_MODULES, lambdaContext, loadHandler, logsToStderr, prepareLocalEnvironment, unreachableStandIns } from './localEnv.js';

const USAGE = `Usage: npm run invoke -- <functionName> <event.json> [--answer-last-code]

Runs one handler on one event and prints its response as JSON on stdout; logs and captured messages go to stderr.
Functions: ${Object.keys(FUNCTION_MODULES).join(', ')}.

Without the AWS_ENDPOINT_URL_* variables, each run starts its own stand-ins (fresh tables, a fresh OTP_SECRET).
With the exports printed by \`npm run standins\` (another shell), runs share its tables and key, so a Verify can
answer an earlier Create:

  --answer-last-code  Verify only: answer the challenge of the last createAuthChallenge run with the code the
                      stand-ins captured (the event's userName, codeId and answer are replaced).
  --help              This text.
`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: process.argv.slice(2), allowPositionals: true, strict: true, options: { 'answer-last-code': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [functionName, eventFile, ...extra] = parsed.positionals;
  if (functionName === undefined || eventFile === undefined || extra.length > 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (FUNCTION_MODULES[functionName] === undefined) {
    process.stderr.write(`Unknown function "${functionName}". Known: ${Object.keys(FUNCTION_MODULES).join(', ')}.\n`);
    return 2;
  }
  const answering = parsed.values['answer-last-code'] === true;
  if (answering && functionName !== 'verifyAuthChallenge') {
    process.stderr.write('--answer-last-code is for verifyAuthChallenge.\n');
    return 2;
  }
  let event: any;
  try {
    event = JSON.parse(readFileSync(eventFile, 'utf8'));
  } catch (error) {
    process.stderr.write(`Cannot read event file ${eventFile}: ${(error as Error).message}\n`);
    return 2;
  }

  const { standIns } = await prepareLocalEnvironment();
  try {
    if (standIns === undefined) {
      const down = await unreachableStandIns(process.env);
      if (down.length > 0) {
        process.stderr.write(`Nothing answers at ${down.join(', ')}: is \`npm run standins\` running? Start it in another shell, or unset the AWS_ENDPOINT_URL_* variables to let this run start its own stand-ins.\n`);
        return 1;
      }
    }
    if (answering) event = await answerLastCode(event, process.env);
    await logsToStderr();
    const handler = await loadHandler(functionName);
    const result = await handler(event, lambdaContext(functionName));
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (functionName === 'createAuthChallenge' && standIns === undefined) rememberCreate(event, result as never, process.env);
    return 0;
  } catch (error) {
    if (error instanceof LastCreateError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    process.stderr.write(`${functionName} failed with error ${(error as Error).message}\n`);
    return 1;
  } finally {
    if (standIns !== undefined) {
      for (const email of await standIns.ses.emails()) {
        process.stderr.write(`\n[stand-in SES] email to ${email.to.join(', ')} from ${email.from}\nSubject: ${email.subject}\n${email.text ?? ''}\n`);
      }
      for (const sms of standIns.sms.messages) process.stderr.write(`\n[stand-in SNS] SMS to ${sms.phoneNumber}: ${sms.message}\n`);
      await standIns.close();
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  },
);
