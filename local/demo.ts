import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { CognitoCustomAuthHarness, CognitoError, type AuthResult } from './cognitoHarness.js';
import { loadHandler, logsToStderr, prepareLocalEnvironment } from './localEnv.js';
import { DEMO_PRETOKEN_SETTINGS, SAMPLE_POOL_USER } from './cognito/wiring.js';
import { prepareSignUpDemo } from './signupDemo.js';
import { runWebDemo } from './web/run.js';

const USAGE = `Usage: npm run demo [-- --interactive] [-- --verbose] [-- --web]

A legacy user's just-in-time migration, then a whole passwordless sign-in on local stand-ins (Cognito's
orchestration played by local/cognitoHarness.ts), then what pre token generation adds to the tokens.

  --interactive  Type the code yourself (try a wrong one first).
  --verbose      Also print the functions' log lines (DEBUG) and EMF metric lines, on stderr.
  --web          Serve a sign-in page against the local Cognito endpoint instead (stops with Ctrl-C).
  --help         This text.
`;

function options(): { interactive: boolean; verbose: boolean; web: boolean } {
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      options: { interactive: { type: 'boolean' }, verbose: { type: 'boolean' }, web: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      process.exit(0);
    }
    return { interactive: values.interactive === true, verbose: values.verbose === true, web: values.web === true };
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}

const { interactive, verbose, web: webFlag } = options();
const say = (text = '') => process.stdout.write(`${text}\n`);

const USER = 'jo@example.com';
const USER_ATTRIBUTES = { email: USER, email_verified: 'true', given_name: 'Jo', locale: 'en-GB', 'custom:tenant_id': 't-42' };

/** Part 3: what pre token generation (version 2) adds to Jo's tokens; Jo is in the admins and users groups. */
async function showTokenClaims(preToken: Handler): Promise<void> {
  const event = {
    version: '2',
    triggerSource: 'TokenGeneration_Authentication',
    region: 'us-east-1',
    userPoolId: 'us-east-1_LOCAL',
    userName: USER,
    callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: 'localclient' },
    request: {
      userAttributes: { sub: 'a1b2c3d4-0000-4000-8000-000000000001', ...USER_ATTRIBUTES },
      groupConfiguration: { groupsToOverride: ['admins', 'users'], iamRolesToOverride: [], preferredRole: null },
      scopes: ['aws.cognito.signin.user.admin'],
    },
    response: { claimsAndScopeOverrideDetails: null },
  };
  const result = (await preToken(event)) as { response: { claimsAndScopeOverrideDetails: unknown } };
  say('\nPart 3 — Pre Token Generation (version 2): what Cognito adds to the tokens it issues');
  say(`  settings: PRETOKEN_CLAIMS_FROM_ATTRIBUTES=${process.env.PRETOKEN_CLAIMS_FROM_ATTRIBUTES}`);
  say(`            PRETOKEN_GROUP_ROLES=${process.env.PRETOKEN_GROUP_ROLES}`);
  say(`            PRETOKEN_GROUP_SCOPES=${process.env.PRETOKEN_GROUP_SCOPES}`);
  for (const line of JSON.stringify(result.response.claimsAndScopeOverrideDetails, null, 2).split('\n')) say(`  ${line}`);
  say('  → the identity pool gives Jo the admin role (cognito:preferred_role) with the session tag tenant_id=t-42.');
}

type Handler = (event: unknown) => Promise<unknown>;

function migrationEvent(triggerSource: string, userName: string, password?: string) {
  return {
    version: '1',
    triggerSource,
    region: 'us-east-1',
    userPoolId: 'us-east-1_LOCAL',
    userName,
    callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: 'localclient' },
    request: password === undefined ? {} : { password },
    response: {},
  };
}

/** Part 1: what Cognito does when a user it does not know signs in with USER_PASSWORD_AUTH. */
async function showMigration(migrate: Handler): Promise<void> {
  say(`Part 1 — just-in-time migration of ${USER} from the legacy directory (sample: local/legacy-users.sample.json).\n`);
  const attempts: [string, string, string][] = [
    ['a wrong password', USER, 'not my password'],
    ['a user the directory does not have', 'nobody@example.com', 'correct horse battery staple'],
    ['the old password (bcrypt hash in the directory)', USER, 'correct horse battery staple'],
  ];
  for (const [label, userName, password] of attempts) {
    say(`▶ InitiateAuth (USER_PASSWORD_AUTH) for ${userName} with ${label}: unknown to Cognito, so it calls User Migration`);
    try {
      const result = (await migrate(migrationEvent('UserMigration_Authentication', userName, password))) as {
        response: { userAttributes: Record<string, string>; finalUserStatus: string; messageAction: string };
      };
      const { userAttributes, finalUserStatus, messageAction } = result.response;
      say(`  → migrated: ${finalUserStatus}, messageAction ${messageAction}, attributes ${JSON.stringify(userAttributes)}`);
      say('  ✔ Cognito creates the user with the password just typed and issues tokens; no reset needed.\n');
    } catch (error) {
      say(`  ✘ Cognito answers: UserMigration failed with error ${(error as Error).message}\n`);
    }
  }
}

async function main(): Promise<void> {
  process.env.POWERTOOLS_LOG_LEVEL ??= verbose ? 'DEBUG' : 'WARN';
  for (const [name, value] of Object.entries(DEMO_PRETOKEN_SETTINGS)) process.env[name] ??= value;
  const { standIns } = await prepareLocalEnvironment();
  if (standIns === undefined) throw new Error('The demo runs on its own stand-ins: unset the AWS_ENDPOINT_URL_* variables.');
  const signUp = await prepareSignUpDemo(); // before any handler loads: their Cognito admin calls go to a local pool
  // Metric lines would interleave with the story on a terminal: shown only with --verbose.
  await logsToStderr({ metrics: verbose ? 'stderr' : 'drop' });

  await showMigration(await loadHandler('userMigration'));

  const triggers = {
    define: await loadHandler('defineAuthChallenge'),
    create: await loadHandler('createAuthChallenge'),
    verify: await loadHandler('verifyAuthChallenge'),
  };
  let step = 0;
  const cognito = new CognitoCustomAuthHarness({
    triggers,
    users: { [USER]: { attributes: USER_ATTRIBUTES } },
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
    say(`\nPart 2 — passwordless sign-in for ${USER}, with Cognito's orchestration played locally.\n`);
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
    if (result.kind === 'tokens') {
      say('\n✔ Signed in: Cognito issues the ID, access and refresh tokens.');
      await showTokenClaims(await loadHandler('preTokenGeneration'));
    }
    if (!interactive) await signUp.show(say, standIns, triggers);
  } catch (error) {
    if (error instanceof CognitoError) say(`\n✘ Cognito answers ${error.code}: ${error.message}`);
    else throw error;
  } finally {
    await signUp.close();
    await standIns.close();
  }
}

async function web(): Promise<void> {
  const demo = await runWebDemo();
  say(`Sign-in page: ${demo.url}`);
  say(`Local Cognito endpoint: ${demo.cognito.endpoint} (pool ${demo.cognito.userPoolId}, app client ${demo.cognito.clientId})`);
  say(`Captured email: ${demo.aws.ses.endpoint}/   captured SMS: ${demo.url}sms`);
  say(`Try ${SAMPLE_POOL_USER.email} (password ${SAMPLE_POOL_USER.password} for the password-then-code mode), jo@example.com with \`correct horse battery staple\` (password only: migrated on first sign-in), or sign up. Ctrl-C stops.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await demo.close();
}

(webFlag ? web() : main()).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`Demo failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
