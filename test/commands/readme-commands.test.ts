import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** The README's own commands, run as a user runs them, so the quick start stays true. */
const run = promisify(execFile);
const clean: NodeJS.ProcessEnv = { ...process.env };
for (const name of ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_SES', 'AWS_ENDPOINT_URL_SNS', 'OTP_SECRET', 'OTP_TABLE']) delete clean[name];

async function npm(args: string[]) {
  return run('npm', ['run', '-s', ...args], { env: clean, timeout: 60_000 });
}

describe('npm run demo', () => {
  it('migrates a legacy user, signs in without a password after one wrong code, and shows the token claims', async () => {
    const { stdout } = await npm(['demo']);
    expect(stdout).toContain('→ migrated: CONFIRMED');
    expect(stdout).toContain('(no new message sent)');
    expect(stdout).toContain('✔ Signed in');
    expect(stdout).toContain('"tenant_id": "t-42"');
  }, 60_000);
});

describe('npm run invoke', () => {
  it('prints only the response as JSON on stdout, and the captured email on stderr', async () => {
    const { stdout, stderr } = await npm(['invoke', '--', 'createAuthChallenge', 'events/createAuthChallenge/email.json']);
    const response = JSON.parse(stdout);
    expect(response.response.publicChallengeParameters).toMatchObject({ channel: 'EMAIL', destination: 'j***@e***.com' });
    expect(stderr).toContain('[stand-in SES] email to jo@example.com');
    const code = /\n(\d{6})\n/.exec(stderr)?.[1];
    expect(code).toBeDefined();
    expect(stdout).not.toContain(code);
  }, 60_000);

  it('runs the migration against the seeded sample directory', async () => {
    const { stdout } = await npm(['invoke', '--', 'userMigration', 'events/userMigration/authentication-match.json']);
    expect(JSON.parse(stdout).response).toMatchObject({ finalUserStatus: 'CONFIRMED', messageAction: 'SUPPRESS' });
  }, 60_000);

  it('names an unknown function and exits 2', async () => {
    const error = await npm(['invoke', '--', 'nope', 'events/createAuthChallenge/email.json']).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toContain('Unknown function "nope"');
  });
});
