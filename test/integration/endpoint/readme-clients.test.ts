import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWebDemo } from '../../../local/web/run.js';

/**
 * The README's "Clients" snippets, run as written against the local endpoint as `npm run standins`
 * serves it (the suite's functions as triggers, the sample user, the legacy directory). Only the
 * endpoint URL is replaced; `askUser()` answers with the newest captured code.
 */

const README = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
const section = README.slice(README.indexOf('\n## Clients\n'), README.indexOf('\n## ', README.indexOf('\n## Clients\n') + 5));
const snippets = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');

let demo: Awaited<ReturnType<typeof runWebDemo>>;
let seen = { emails: 0, sms: 0 };
let accessToken = '';

async function askUser(): Promise<string> {
  const emails = await demo.aws.ses.emails();
  const newSms = demo.aws.sms.messages.slice(seen.sms).map((sms) => sms.message);
  const newEmails = emails.slice(seen.emails).map((email) => email.text ?? '');
  seen = { emails: emails.length, sms: demo.aws.sms.messages.length };
  const code = (newSms.at(-1) ?? newEmails.at(-1))?.match(/\b\d{6}\b/)?.[0];
  if (code === undefined) throw new Error('askUser(): no new message was captured');
  return code;
}

/** A snippet as an async function: imports become look-ups, and every top-level const/let is returned. */
async function run(snippet: string): Promise<Record<string, any>> {
  const modules: Record<string, unknown> = {
    'aws-amplify': await import('aws-amplify'),
    'aws-amplify/auth': await import('aws-amplify/auth'),
    '@aws-sdk/client-cognito-identity-provider': await import('@aws-sdk/client-cognito-identity-provider'),
    'aws-jwt-verify': await import('aws-jwt-verify'),
  };
  const names: string[] = [];
  const body = snippet
    .replaceAll('http://127.0.0.1:9229', demo.cognito.endpoint)
    .split('\n')
    .map((line) => {
      const imported = line.match(/^import \{([^}]+)\} from '([^']+)';$/);
      if (imported) return `const {${imported[1]}} = __modules[${JSON.stringify(imported[2])}];`;
      const declared = line.match(/^(?:const|let) (?:\{([^}]*)\}|(\w+))/);
      if (declared) names.push(...(declared[1] ?? declared[2] ?? '').split(',').map((name) => name.trim().split(':').at(-1)?.trim() ?? '').filter(Boolean));
      return line;
    })
    .join('\n');
  const source = `async function __snippet(__modules, askUser, accessToken) {\n${body}\nreturn { ${names.join(', ')} };\n}`;
  const { code } = transformSync(source, { loader: 'ts', target: 'es2022' });
  const snippetFunction = new Function(`${code}\nreturn __snippet;`)() as (modules: unknown, ask: typeof askUser, token: string) => Promise<Record<string, any>>;
  return snippetFunction(modules, askUser, accessToken);
}

beforeAll(async () => {
  process.env.OTP_RESEND_COOLDOWN_SECONDS = '0';
  process.env.OTP_MAX_SENDS_PER_DESTINATION = '100';
  demo = await runWebDemo();
}, 120_000);

afterAll(async () => {
  await demo?.close();
});

describe('the README’s client snippets', () => {
  it('are all here', () => {
    expect(snippets).toHaveLength(8);
  });

  it('Amplify: passwordless sign-in', async () => {
    const { nextStep, result, tokens } = await run(snippets[0] ?? '');
    expect(nextStep).toMatchObject({ signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', additionalInfo: { channel: 'EMAIL', destination: 'p***@e***.com', codeLength: '6' } });
    expect(result.isSignedIn).toBe(true);
    expect(tokens.idToken.payload.tenant_id).toBe('t-42');
    await (await import('aws-amplify/auth')).signOut();
  });

  it('Amplify: the second factor', async () => {
    const { step, done } = await run(snippets[1] ?? '');
    expect(step.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
    expect(done.isSignedIn).toBe(true);
    await (await import('aws-amplify/auth')).signOut();
  });

  it('Amplify: a new code and the other channel', async () => {
    const { bySms } = await run(snippets[2] ?? '');
    expect(bySms.nextStep.additionalInfo).toMatchObject({ channel: 'SMS', destination: '+*******0123' });
    expect((await (await import('aws-amplify/auth')).fetchAuthSession()).tokens?.idToken).toBeDefined();
    await (await import('aws-amplify/auth')).signOut();
  });

  it('Amplify: sign-up without a password, then the first sign-in', async () => {
    const { nextStep, first } = await run(snippets[3] ?? '');
    expect(nextStep.signUpStep).toBe('DONE');
    expect(first.isSignedIn).toBe(true);
    expect(demo.cognito.userPool.users.find('new.user@example.com')?.attributes.email_verified).toBe('true');
    await (await import('aws-amplify/auth')).signOut();
  });

  it('Amplify: a legacy user’s first sign-in', async () => {
    const { isSignedIn } = await run(snippets[4] ?? '');
    expect(isSignedIn).toBe(true);
    await (await import('aws-amplify/auth')).signOut();
  });

  it('SDK: passwordless sign-in with a resend', async () => {
    const { step } = await run(snippets[5] ?? '');
    expect(step.AuthenticationResult).toMatchObject({ ExpiresIn: 3600, TokenType: 'Bearer' });
    accessToken = step.AuthenticationResult.AccessToken;
  });

  it('SDK: sign-up', async () => {
    const { UserConfirmed, CodeDeliveryDetails } = await run(snippets[6] ?? '');
    expect(UserConfirmed).toBe(false);
    expect(CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL' });
    expect(demo.cognito.userPool.users.find('sdk.user@example.com')?.status).toBe('CONFIRMED');
  });

  it('aws-jwt-verify in a back end', async () => {
    const { claims } = await run(snippets[7] ?? '');
    expect(claims).toMatchObject({ token_use: 'access', 'cognito:groups': ['admins'], scope: 'aws.cognito.signin.user.admin orders-api/admin' });
  });
});
