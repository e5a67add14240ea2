import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** The README's sign-up commands, run as a user runs them. */
const run = promisify(execFile);
const clean: NodeJS.ProcessEnv = { ...process.env };
for (const name of ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_SES', 'AWS_ENDPOINT_URL_SNS', 'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', 'OTP_SECRET', 'OTP_TABLE']) delete clean[name];
const npm = (args: string[]) => run('npm', ['run', '-s', ...args], { env: clean, timeout: 60_000 });

describe('npm run demo, part 4', () => {
  it('a new user signs up with only an email, signs in with the code, and the address shows as verified; a legacy address is refused', async () => {
    const { stdout } = await npm(['demo']);
    const part = stdout.slice(stdout.indexOf('Part 4'));
    expect(part).toContain('→ refused: UserLambdaValidationException: PreSignUp failed with error Sign-up could not be completed');
    expect(part).toContain('UserConfirmed: true; email_verified: (not set); messages sent by sign-up: none');
    expect(part).toContain('to new.user@example.com (not verified yet)');
    expect(part).toContain('✔ signed in');
    expect(part).toContain('→ email_verified: true');
  }, 60_000);
});

describe('npm run invoke -- preSignUp', () => {
  it('auto-confirms the sample passwordless sign-up, nothing auto-verified', async () => {
    const { stdout } = await npm(['invoke', '--', 'preSignUp', 'events/preSignUp/passwordless-email.json']);
    expect(JSON.parse(stdout).response).toEqual({ autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false });
  }, 60_000);

  it('refuses the sample sign-up with a legacy user’s address (seeded sample directory) and exits 1 with the generic text', async () => {
    const error = await npm(['invoke', '--', 'preSignUp', 'events/preSignUp/legacy-address.json']).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 1 });
    expect((error as { stderr: string }).stderr).toContain('preSignUp failed with error Sign-up could not be completed with these details.');
  }, 60_000);
});
