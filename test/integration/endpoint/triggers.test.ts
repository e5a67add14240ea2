import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suitePool } from '../../../local/cognito/pool.js';
import { startCognitoEndpoint, type CognitoEndpoint } from '../../../local/cognito/server.js';
import { clientPasswordClaim, clientSrpA } from '../../../local/cognito/srp.js';
import type { TriggerHandler, Triggers } from '../../../local/cognito/triggers.js';

/**
 * The endpoint's Cognito behaviour with small stub triggers (no stand-ins): how a trigger's answer
 * or failure reaches the client, pre sign-up, pre token generation V1, SRP as the SDK would do it by hand.
 */

const PASSWORD = 'Stub-Passw0rd!';
const seen: { trigger: string; event: any }[] = [];
let preSignUp: TriggerHandler = async (event) => event;
let define: TriggerHandler;

// A one-round custom auth: SRP_A → PASSWORD_VERIFIER → CUSTOM_CHALLENGE ("42") → tokens.
const triggers: Triggers = {
  defineAuthChallenge: (event) => define(event),
  createAuthChallenge: async (event) => ({ ...event, response: { publicChallengeParameters: { hint: 'the answer' }, privateChallengeParameters: { answer: '42' }, challengeMetadata: 'ROUND-1' } }),
  verifyAuthChallenge: async (event) => ({ ...event, response: { answerCorrect: event.request.challengeAnswer === event.request.privateChallengeParameters.answer } }),
  preSignUp: (event) => {
    seen.push({ trigger: 'preSignUp', event });
    return preSignUp(event);
  },
  preTokenGeneration: async (event) => {
    seen.push({ trigger: 'preTokenGeneration', event });
    return { ...event, response: { claimsOverrideDetails: { claimsToAddOrOverride: { tier: 2, beta: true }, claimsToSuppress: ['given_name'] } } };
  },
};

const standardDefine: TriggerHandler = async (event) => {
  const session = event.request.session as { challengeName: string; challengeResult: boolean }[];
  const last = session.at(-1);
  const response =
    last === undefined
      ? { challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false }
      : last.challengeName === 'SRP_A'
        ? { challengeName: 'PASSWORD_VERIFIER', issueTokens: false, failAuthentication: false }
        : last.challengeName === 'PASSWORD_VERIFIER' && last.challengeResult
          ? { challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false }
          : last.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult
            ? { issueTokens: true, failAuthentication: false }
            : { issueTokens: false, failAuthentication: true };
  return { ...event, response };
};

let cognito: CognitoEndpoint;
let sdk: CognitoIdentityProviderClient;
beforeAll(async () => {
  define = standardDefine;
  cognito = await startCognitoEndpoint({ triggers, pool: { ...suitePool({ authSessionValidityMinutes: 3 }), preTokenVersion: '1' } });
  sdk = new CognitoIdentityProviderClient({ endpoint: cognito.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  for (const email of ['srp@example.com', 'v1@example.com']) {
    await sdk.send(new AdminCreateUserCommand({ UserPoolId: cognito.userPoolId, Username: email, UserAttributes: [{ Name: 'email', Value: email }, { Name: 'given_name', Value: 'Ann' }], MessageAction: 'SUPPRESS' }));
    await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: cognito.userPoolId, Username: email, Password: PASSWORD, Permanent: true }));
  }
});
afterAll(async () => {
  sdk.destroy();
  await cognito.close();
});

/** SRP as a client does it with the SDK alone (Amplify does the same internally). */
async function srpSignIn(email: string, password: string) {
  const a = BigInt(`0x${randomBytes(32).toString('hex')}`);
  const started = await sdk.send(
    new InitiateAuthCommand({ AuthFlow: 'CUSTOM_AUTH', ClientId: cognito.clientId, AuthParameters: { USERNAME: email, CHALLENGE_NAME: 'SRP_A', SRP_A: clientSrpA(a) } }),
  );
  expect(started.ChallengeName).toBe('PASSWORD_VERIFIER');
  const p = started.ChallengeParameters ?? {};
  const timestamp = 'Tue Mar 5 09:03:07 UTC 2024';
  const signature = clientPasswordClaim({ poolName: 'LOCAL', userId: p.USER_ID_FOR_SRP ?? '', password, a, srpB: p.SRP_B ?? '', salt: p.SALT ?? '', secretBlock: p.SECRET_BLOCK ?? '', timestamp });
  return sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: cognito.clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      Session: started.Session,
      ChallengeResponses: { USERNAME: p.USER_ID_FOR_SRP ?? '', PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK ?? '', TIMESTAMP: timestamp, PASSWORD_CLAIM_SIGNATURE: signature },
    }),
  );
}

const payload = (jwt: string | undefined) => JSON.parse(Buffer.from((jwt ?? '').split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe('triggers at the local endpoint', () => {
  it('SRP_A → PASSWORD_VERIFIER → the custom challenge; a wrong password fails the sign-in', async () => {
    const next = await srpSignIn('srp@example.com', PASSWORD);
    expect(next).toMatchObject({ ChallengeName: 'CUSTOM_CHALLENGE', ChallengeParameters: { hint: 'the answer' } });
    const done = await sdk.send(
      new RespondToAuthChallengeCommand({ ClientId: cognito.clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session: next.Session, ChallengeResponses: { USERNAME: next.ChallengeParameters?.USERNAME ?? '', ANSWER: '42' } }),
    );
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    await expect(srpSignIn('srp@example.com', 'Wrong-Passw0rd!')).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    // Someone who does not exist gets SRP parameters all the same, and the same refusal.
    await expect(srpSignIn('nobody@example.com', PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('pre token generation V1 changes only the ID token, with every value as text', async () => {
    seen.length = 0;
    const result = await sdk.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: cognito.clientId, AuthParameters: { USERNAME: 'v1@example.com', PASSWORD }, ClientMetadata: { from: 'initiate' } }),
    );
    expect(seen[0]?.event).toMatchObject({ version: '1', triggerSource: 'TokenGeneration_Authentication' });
    // InitiateAuth's ClientMetadata does not reach pre token generation.
    expect(seen[0]?.event.request.clientMetadata).toBeUndefined();
    const id = payload(result.AuthenticationResult?.IdToken);
    expect(id).toMatchObject({ tier: '2', beta: 'true' });
    expect(id.given_name).toBeUndefined();
    expect(payload(result.AuthenticationResult?.AccessToken).tier).toBeUndefined();
  });

  it('a trigger that throws reaches the client as UserLambdaValidationException: <Trigger> failed with error <message>.', async () => {
    define = async () => {
      throw new Error('Sign-in is temporarily unavailable');
    };
    try {
      await expect(sdk.send(new InitiateAuthCommand({ AuthFlow: 'CUSTOM_AUTH', ClientId: cognito.clientId, AuthParameters: { USERNAME: 'srp@example.com' } }))).rejects.toMatchObject({
        name: 'UserLambdaValidationException',
        message: 'DefineAuthChallenge failed with error Sign-in is temporarily unavailable.',
        $metadata: { httpStatusCode: 400 },
      });
    } finally {
      define = standardDefine;
    }
  });

  it('pre sign-up: auto-confirms and auto-verifies the email, gets the validation data, and can refuse with its own text', async () => {
    seen.length = 0;
    preSignUp = async (event) => ({ ...event, response: { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false } });
    const signedUp = await sdk.send(
      new SignUpCommand({ ClientId: cognito.clientId, Username: 'auto@example.com', Password: PASSWORD, ValidationData: [{ Name: 'invite', Value: 'x1' }], ClientMetadata: { source: 'web' } }),
    );
    expect(signedUp).toMatchObject({ UserConfirmed: true });
    expect(signedUp.CodeDeliveryDetails).toBeUndefined();
    expect(seen[0]?.event).toMatchObject({
      triggerSource: 'PreSignUp_SignUp',
      userName: signedUp.UserSub,
      request: { userAttributes: { email: 'auto@example.com' }, validationData: { invite: 'x1' }, clientMetadata: { source: 'web' } },
    });
    const user = await sdk.send(new AdminGetUserCommand({ UserPoolId: cognito.userPoolId, Username: 'auto@example.com' }));
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });

    preSignUp = async (event) => ({ ...event, response: { autoConfirmUser: false, autoVerifyEmail: true, autoVerifyPhone: false } });
    await expect(sdk.send(new SignUpCommand({ ClientId: cognito.clientId, Username: 'half@example.com', Password: PASSWORD }))).rejects.toMatchObject({
      name: 'InvalidLambdaResponseException',
    });
    preSignUp = async () => {
      throw new Error('Sign-up is closed');
    };
    await expect(sdk.send(new SignUpCommand({ ClientId: cognito.clientId, Username: 'late@example.com', Password: PASSWORD }))).rejects.toMatchObject({
      name: 'UserLambdaValidationException',
      message: 'PreSignUp failed with error Sign-up is closed.',
    });
    // A refused sign-up leaves no user behind.
    await expect(sdk.send(new AdminGetUserCommand({ UserPoolId: cognito.userPoolId, Username: 'late@example.com' }))).rejects.toMatchObject({ name: 'UserNotFoundException' });
    preSignUp = async (event) => event;
  });

  it('Define’s challenge history carries each round’s challengeMetadata, and userNotFound is always present (PreventUserExistenceErrors)', async () => {
    const events: any[] = [];
    define = async (event) => {
      events.push(event);
      return standardDefine(event);
    };
    try {
      const first = await sdk.send(new InitiateAuthCommand({ AuthFlow: 'CUSTOM_AUTH', ClientId: cognito.clientId, AuthParameters: { USERNAME: 'v1@example.com' } }));
      await sdk.send(
        new RespondToAuthChallengeCommand({ ClientId: cognito.clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session: first.Session, ChallengeResponses: { USERNAME: 'v1@example.com', ANSWER: '42' } }),
      );
    } finally {
      define = standardDefine;
    }
    expect(events[0].request).toMatchObject({ userNotFound: false, session: [] });
    expect(events[1].request.session).toEqual([{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'ROUND-1' }]);
  });
});
