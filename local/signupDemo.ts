import { randomBytes } from 'node:crypto';
import { CognitoCustomAuthHarness, type HarnessTriggers } from './cognitoHarness.js';
import { loadHandler } from './localEnv.js';
import { LocalSignUpPool, serveAdminApi } from './signupPool.js';
import type { LocalAws } from './standins.js';

/**
 * The demo's sign-up part: a new user signs up with only an email, signs in with a code, and the
 * address shows as verified. The functions run with their production wiring; their Cognito admin calls
 * reach a local pool through AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, so call prepareSignUpDemo()
 * before any handler is loaded.
 */

const NEW_USER = 'new.user@example.com';
const LEGACY_USER = 'ana@example.es';

export interface SignUpDemo {
  show(say: (text?: string) => void, standIns: LocalAws, triggers: HarnessTriggers): Promise<void>;
  close(): Promise<void>;
}

export async function prepareSignUpDemo(): Promise<SignUpDemo> {
  const pool = new LocalSignUpPool({ preSignUp: async (event) => (await loadHandler('preSignUp'))(event) });
  const api = await serveAdminApi(pool);
  process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = api.endpoint;

  async function show(say: (text?: string) => void, standIns: LocalAws, triggers: HarnessTriggers): Promise<void> {
    say(`\nPart 4 — passwordless sign-up: ${NEW_USER} signs up with only an email, signs in with a code, and the address becomes verified.\n`);
    const signUp = (email: string) =>
      pool.signUp({
        username: email,
        // The pool requires a password: the app sends a long random one and never shows or keeps it.
        password: `${randomBytes(24).toString('base64url')}aA1!`,
        clientMetadata: { passwordlessSignUp: 'true' },
      });

    say(`▶ SignUp for ${LEGACY_USER} (a legacy-directory user who has not signed in since the move): Pre Sign-up runs`);
    await signUp(LEGACY_USER).then(
      () => say('  ✘ unexpectedly accepted'),
      (error: Error) => say(`  → refused: ${error.name}: ${error.message}\n    (the text says nothing about the directory; the real owner migrates by signing in with the old password)`),
    );

    say(`\n▶ SignUp for ${NEW_USER}, marked passwordless (ClientMetadata passwordlessSignUp=true): Pre Sign-up runs`);
    const sentBefore = (await standIns.ses.emails()).length;
    const created = await signUp(NEW_USER);
    const attributes = () => pool.users[created.userName]?.attributes ?? {};
    const sent = (await standIns.ses.emails()).length - sentBefore;
    say(`  → UserConfirmed: ${created.userConfirmed}; email_verified: ${attributes().email_verified ?? '(not set)'}; messages sent by sign-up: ${sent === 0 ? 'none' : sent}`);

    const cognito = new CognitoCustomAuthHarness({ triggers, users: pool.users });
    const before = (await standIns.ses.emails()).length;
    say('\n▶ InitiateAuth (CUSTOM_AUTH): the first sign-in of an account passwordless sign-up created');
    const first = await cognito.initiateAuth(created.userName);
    if (first.kind !== 'challenge') throw new Error('Expected a challenge.');
    const email = (await standIns.ses.emails()).slice(before).at(-1);
    const code = email?.text?.match(/\b\d{6,10}\b/)?.[0];
    if (email === undefined || code === undefined) throw new Error('No code was captured.');
    say(`     ✉  Captured by the SES stand-in — to ${email.to.join(', ')} (not verified yet), subject "${email.subject}", code ${code}`);
    say(`\n▶ RespondToAuthChallenge with ${code}`);
    const result = await cognito.respond(first.session, { answer: code });
    say(`  → ${result.kind === 'tokens' ? '✔ signed in: Cognito issues the tokens' : `✘ ${result.kind}`}`);
    say(`  → email_verified: ${attributes().email_verified ?? '(not set)'}; the sign-up password was replaced and any other session signed out`);
    say('  (a later change of email is never sent a code until it is verified; only this first sign-in may use an unverified address)');
  }

  return { show, close: api.close };
}
