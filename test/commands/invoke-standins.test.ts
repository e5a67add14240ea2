import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * README, "Running locally": Create then Verify with `npm run invoke`, sharing `npm run standins` (started here on
 * free ports through DYNAMO_PORT/SES_PORT/SNS_PORT=0) and its exported key.
 */
const run = promisify(execFile);
const base: NodeJS.ProcessEnv = { ...process.env };
for (const name of ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_SES', 'AWS_ENDPOINT_URL_SNS', 'OTP_SECRET', 'OTP_TABLE']) delete base[name];

let standins: ChildProcess;
let exported: Record<string, string> = {};

beforeAll(async () => {
  standins = spawn('npm', ['run', '-s', 'standins'], { env: { ...base, DYNAMO_PORT: '0', SES_PORT: '0', SNS_PORT: '0' }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run standins did not print its exports:\n${out}`)), 45_000);
    standins.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (/export OTP_SECRET='[^']+'\n/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    standins.once('exit', (code) => reject(new Error(`npm run standins exited with ${code}:\n${out}`)));
  });
  exported = Object.fromEntries([...out.matchAll(/^export (\w+)='([^']*)'$/gm)].map((match) => [match[1] as string, match[2] as string]));
}, 60_000);

afterAll(() => {
  // The whole process group: npm and the tsx process under it.
  if (standins?.pid !== undefined) process.kill(-standins.pid, 'SIGTERM');
});

const invoke = (args: string[], env: NodeJS.ProcessEnv = { ...base, ...exported }) => run('npm', ['run', '-s', 'invoke', '--', ...args], { env, timeout: 60_000 });

describe('npm run invoke with npm run standins running', () => {
  it('a Create, then a Verify with --answer-last-code, answers correctly', async () => {
    const created = JSON.parse((await invoke(['createAuthChallenge', 'events/createAuthChallenge/email.json'])).stdout);
    expect(created.response.publicChallengeParameters.channel).toBe('EMAIL');
    const verified = JSON.parse((await invoke(['verifyAuthChallenge', 'events/verifyAuthChallenge/answer.json', '--answer-last-code'])).stdout);
    expect(verified.response.answerCorrect).toBe(true);
  }, 90_000);

  it('with the exports set but nothing listening, says that npm run standins is not running', async () => {
    const stopped = { ...base, ...exported, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_SES: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_SNS: 'http://127.0.0.1:9' };
    const error = await invoke(['defineAuthChallenge', 'events/defineAuthChallenge/first-call.json'], stopped).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 1 });
    expect((error as { stderr: string }).stderr).toContain('Nothing answers at http://127.0.0.1:9: is `npm run standins` running?');
  }, 60_000);
});

describe('npm run invoke arguments', () => {
  it('--help prints the usage and exits 0; an unknown flag is refused with the usage', async () => {
    expect((await invoke(['--help'], base)).stdout).toContain('--answer-last-code');
    const error = await invoke(['defineAuthChallenge', 'events/defineAuthChallenge/first-call.json', '--frobnicate'], base).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toContain("Unknown option '--frobnicate'");
  }, 60_000);
});
