import { readFileSync } from 'node:fs';
import { FUNCTION_MODULES, lambdaContext, loadHandler, logsToStderr, prepareLocalEnvironment } from './localEnv.js';

/**
 * npm run invoke -- <functionName> <event.json>
 * Prints the handler's response as JSON on stdout; logs and captured messages go to stderr.
 */
async function main(): Promise<number> {
  const [functionName, eventFile] = process.argv.slice(2);
  if (functionName === undefined || eventFile === undefined) {
    process.stderr.write(`Usage: npm run invoke -- <functionName> <event.json>\nFunctions: ${Object.keys(FUNCTION_MODULES).join(', ')}\n`);
    return 2;
  }
  if (FUNCTION_MODULES[functionName] === undefined) {
    process.stderr.write(`Unknown function "${functionName}". Known: ${Object.keys(FUNCTION_MODULES).join(', ')}.\n`);
    return 2;
  }
  let event: unknown;
  try {
    event = JSON.parse(readFileSync(eventFile, 'utf8'));
  } catch (error) {
    process.stderr.write(`Cannot read event file ${eventFile}: ${(error as Error).message}\n`);
    return 2;
  }

  const { standIns } = await prepareLocalEnvironment();
  try {
    await logsToStderr();
    const handler = await loadHandler(functionName);
    const result = await handler(event, lambdaContext(functionName));
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (error) {
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
