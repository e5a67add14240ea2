import { createInterface } from 'node:readline/promises';
import { CognitoCustomAuthHarness, CognitoError, type AuthResult } from './cognitoHarness.js';
import { loadHandler, logsToStderr, prepareLocalEnvironment } from './localEnv.js';

/**
 * npm run demo [-- --interactive] [-- --verbose]
 * A whole passwordless sign-in on the local stand-ins, as Cognito would orchestrate it.
 */

const interactive = process.argv.includes('--interactive');
const verbose = process.argv.includes('--verbose');
const say = (text = '') => process.stdout.write(`${text}\n`);

const USER = 'jo@example.com';

async function main(): Promise<void> {
  process.env.POWERTOOLS_LOG_LEVEL ??= verbose ? 'DEBUG' : 'WARN';
  const { standIns } = await prepareLocalEnvironment();
  if (standIns === undefined) throw new Error('The demo runs on its own stand-ins: unset the AWS_ENDPOINT_URL_* variables.');
  await logsToStderr();

  const triggers = {
    define: await loadHandler('defineAuthChallenge'),
    create: await loadHandler('createAuthChallenge'),
    verify: await loadHandler('verifyAuthChallenge'),
  };
  let step = 0;
  const cognito = new CognitoCustomAuthHarness({
    triggers,
    users: { [USER]: { attributes: { email: USER, email_verified: 'true', given_name: 'Jo', locale: 'en-GB' } } },
    onInvoke: (trigger, event, result) => {
      step += 1;
      if (trigger === 'define') {
        const { challengeName, issueTokens, failAuthentication } = result.response;
        const outcome = issueTokens ? 'issue tokens' : failAuthentication ? 'fail the sign-in' : `next challenge ${challengeName}`;
        say(`  ${step}. Define Auth Challenge  (session: ${event.request.session.length} round(s)) → ${outcome}`);
      } else if (trigger === 'create') {
        const p = result.response.publicChallengeParameters;
        say(`  ${step}. Create Auth Challenge  → ${p.channel} code of ${p.codeLength} digits to ${p.destination}, valid until ${p.expiresAt}`);
      } else {
        say(`  ${step}. Verify Auth Challenge  (answer "${event.request.challengeAnswer}") → ${result.response.answerCorrect ? 'correct' : 'wrong'}`);
      }
    },
  });

  let emailsShown = 0;
  const showNewEmails = async (): Promise<string | undefined> => {
    const emails = await standIns.ses.emails();
    let code: string | undefined;
    for (const email of emails.slice(emailsShown)) {
      say(`\n     ✉  Captured by the SES stand-in — to ${email.to.join(', ')}, subject "${email.subject}"`);
      for (const line of (email.text ?? '').split('\n')) say(`     │ ${line}`);
      code = email.text?.match(/\b\d{6,10}\b/)?.[0];
    }
    if (emails.length === emailsShown) say('     (no new message sent)');
    emailsShown = emails.length;
    return code;
  };

  try {
    say(`Passwordless sign-in for ${USER}, with Cognito's orchestration played locally.\n`);
    say('▶ InitiateAuth (AuthFlow CUSTOM_AUTH)');
    let result: AuthResult = await cognito.initiateAuth(USER);
    const code = await showNewEmails();
    if (code === undefined) throw new Error('No code was captured.');

    if (interactive) {
      const prompt = createInterface({ input: process.stdin, output: process.stdout });
      try {
        while (result.kind === 'challenge') {
          const answer = await prompt.question('\nType the code from the email (try a wrong one first, if you like): ').catch(() => undefined);
          if (answer === undefined) {
            say('\n(input ended: sign-in abandoned)');
            return;
          }
          say('▶ RespondToAuthChallenge (ANSWER)');
          result = await cognito.respond(result.session, { answer: answer.trim() });
          if (result.kind === 'challenge') await showNewEmails();
        }
      } finally {
        prompt.close();
      }
    } else {
      if (result.kind !== 'challenge') throw new Error('Expected a challenge.');
      const wrong = code === '000000' ? '111111' : '000000';
      say(`\n▶ RespondToAuthChallenge with a wrong code (${wrong})`);
      result = await cognito.respond(result.session, { answer: wrong });
      await showNewEmails();
      if (result.kind !== 'challenge') throw new Error('Expected another challenge.');
      say(`\n▶ RespondToAuthChallenge with the code from the email (${code})`);
      result = await cognito.respond(result.session, { answer: code });
    }
    if (result.kind === 'tokens') say('\n✔ Signed in: Cognito issues the ID, access and refresh tokens.');
  } catch (error) {
    if (error instanceof CognitoError) say(`\n✘ Cognito answers ${error.code}: ${error.message}`);
    else throw error;
  } finally {
    await standIns.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`Demo failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
