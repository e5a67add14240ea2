import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CognitoIdentityProviderClient, InitiateAuthCommand, RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm run standins` as a developer runs it (every port 0 here, so tests never collide): it prints
 * AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, and the suite's own functions, configured from the
 * environment like deployed Lambdas, sign the sample user in.
 */

const ROOT = join(__dirname, '..', '..', '..');
let child: ChildProcess;
let output = '';

function exported(name: string): string {
  const value = output.match(new RegExp(`export ${name}='([^']*)'`))?.[1];
  if (value === undefined) throw new Error(`${name} was not printed:\n${output}`);
  return value;
}

beforeAll(async () => {
  child = spawn(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'local', 'standins-cli.ts')], {
    cwd: ROOT,
    env: { ...process.env, DYNAMO_PORT: '0', SES_PORT: '0', SNS_PORT: '0', COGNITO_PORT: '0', AWS_ENDPOINT_URL_DYNAMODB: '', AWS_ENDPOINT_URL_SES: '', AWS_ENDPOINT_URL_SNS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => void (output += chunk.toString('utf8')));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('sample user:')) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`npm run standins exited with ${code}:\n${output}`));
    });
  });
}, 120_000);

afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});

describe('npm run standins', () => {
  it('serves the Cognito endpoint with the suite’s triggers: the sample user signs in with the emailed code', async () => {
    const endpoint = exported('AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER');
    const ses = exported('AWS_ENDPOINT_URL_SES');
    // As in another shell after the printed `export` lines: the SDK finds the endpoint by itself.
    process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = endpoint;
    const sdk = new CognitoIdentityProviderClient({ region: 'us-east-1' });
    const first = await sdk.send(new InitiateAuthCommand({ AuthFlow: 'CUSTOM_AUTH', ClientId: 'localclient', AuthParameters: { USERNAME: 'pat@example.com' } }));
    expect(first.ChallengeParameters).toMatchObject({ channel: 'EMAIL', destination: 'p***@e***.com' });
    const store = (await (await fetch(`${ses}/store`)).json()) as { emails: { destination: { to: string[] }; body: { text: string } }[] };
    const code = store.emails.find((email) => email.destination.to.includes('pat@example.com'))?.body.text.match(/\b\d{6}\b/)?.[0];
    const done = await sdk.send(
      new RespondToAuthChallengeCommand({
        ClientId: 'localclient',
        ChallengeName: 'CUSTOM_CHALLENGE',
        Session: first.Session,
        ChallengeResponses: { USERNAME: first.ChallengeParameters?.USERNAME ?? '', ANSWER: code ?? '' },
      }),
    );
    expect(done.AuthenticationResult?.IdToken).toBeTruthy();
    sdk.destroy();
  });
});
