import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** `npm run directory`, as the README's "Running locally" shows it. */
const run = promisify(execFile);
const npm = (args: string[]) => run('npm', ['run', '-s', 'directory', '--', ...args], { timeout: 60_000 });

describe('npm run directory', () => {
  it('invokes userMigration with a sample event against a local login API and prints only the answer', async () => {
    const { stdout, stderr } = await npm(['invoke', 'http', 'events/userMigration/http-authentication-match.json']);
    expect(JSON.parse(stdout).response).toMatchObject({ finalUserStatus: 'CONFIRMED', userAttributes: { email: 'jo@example.com', 'custom:legacy_id': 'jo' } });
    expect(stderr).not.toContain('correct horse battery staple');
  }, 60_000);

  it('exits 1 with the generic refusal for a refused sample', async () => {
    const error = await npm(['invoke', 'http', 'events/userMigration/http-authentication-disabled-user.json']).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 1 });
    expect((error as { stderr: string }).stderr).toContain('userMigration failed with error Incorrect username or password.');
  }, 60_000);

  it('shows its usage and exits 2 for an unknown directory', async () => {
    const error = await npm(['invoke', 'oracle', 'x.json']).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toContain('Usage: npm run directory -- serve <ldap|postgres|mysql|http|cognito>');
  });
});
