import { DEMO_PRETOKEN_SETTINGS, startSuiteEndpoint } from '../cognito/wiring.js';
import type { CognitoEndpoint } from '../cognito/server.js';
import { logsToStderr, prepareLocalEnvironment } from '../localEnv.js';
import type { LocalAws } from '../standins.js';
import { startWebDemo } from './server.js';

/** `npm run demo -- --web`: stand-ins, the Cognito endpoint with the suite's triggers, and the sign-in page. */
export async function runWebDemo(): Promise<{ url: string; cognito: CognitoEndpoint; aws: LocalAws; close(): Promise<void> }> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  for (const [name, value] of Object.entries(DEMO_PRETOKEN_SETTINGS)) process.env[name] ??= value;
  const { standIns } = await prepareLocalEnvironment();
  if (standIns === undefined) throw new Error('The web demo runs on its own stand-ins: unset the AWS_ENDPOINT_URL_* variables.');
  await logsToStderr();
  const cognito = await startSuiteEndpoint(standIns);
  const web = await startWebDemo({ aws: standIns, cognito });
  return {
    url: web.url,
    cognito,
    aws: standIns,
    close: async () => {
      await web.close();
      await cognito.close();
      await standIns.close();
    },
  };
}
