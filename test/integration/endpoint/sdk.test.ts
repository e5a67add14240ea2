import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  DeleteUserPoolCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { lastCodeSentTo, messageCount } from '../../support/suite.js';
import { createUser, freshEmail, useEndpointSuite, verifiers } from './support.js';

const suite = useEndpointSuite();
const wrongCodeFor = (code: string) => (code === '000000' ? '111111' : '000000');

async function passwordlessStart(signInName: string) {
  return suite.sdk.send(new InitiateAuthCommand({ AuthFlow: 'CUSTOM_AUTH', ClientId: suite.cognito.clientId, AuthParameters: { USERNAME: signInName } }));
}

async function answer(session: string | undefined, username: string, code: string, clientMetadata?: Record<string, string>) {
  return suite.sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: suite.cognito.clientId,
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: session,
      ChallengeResponses: { USERNAME: username, ANSWER: code },
      ...(clientMetadata ? { ClientMetadata: clientMetadata } : {}),
    }),
  );
}

describe('the local Cognito endpoint, driven by @aws-sdk/client-cognito-identity-provider', () => {
  it('signs in without a password: a code by email, one wrong answer, the right one, tokens aws-jwt-verify accepts', async () => {
    const email = freshEmail('jo');
    const { username } = await createUser(suite, { email, email_verified: 'true', 'custom:tenant_id': 't-42' });
    const first = await passwordlessStart(email);
    expect(first.ChallengeName).toBe('CUSTOM_CHALLENGE');
    // The pool signs in by email: USERNAME is the user name Cognito gave the user (its sub).
    expect(first.ChallengeParameters).toMatchObject({ USERNAME: username, channel: 'EMAIL', destination: 'j***@e***.com', codeLength: '6' });
    expect(first.Session?.length).toBeGreaterThanOrEqual(20);
    const code = await lastCodeSentTo(suite.aws, email);

    const second = await answer(first.Session, username, wrongCodeFor(code));
    expect(second.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(second.AuthenticationResult).toBeUndefined();
    const done = await answer(second.Session, username, code, { app_version: '2.1.0' });
    const tokens = done.AuthenticationResult;
    expect(tokens).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });

    const { id, access } = await verifiers(suite);
    const idClaims = await id.verify(tokens?.IdToken ?? '');
    expect(idClaims).toMatchObject({
      sub: username,
      'cognito:username': username,
      email,
      email_verified: true,
      token_use: 'id',
      aud: suite.cognito.clientId,
      iss: `https://cognito-idp.us-east-1.amazonaws.com/${suite.cognito.userPoolId}`,
      // Pre token generation, configured as in the README's example:
      tenant_id: 't-42',
      'client:app_version': '2.1.0',
    });
    const accessClaims = await access.verify(tokens?.AccessToken ?? '');
    expect(accessClaims).toMatchObject({ sub: username, username, client_id: suite.cognito.clientId, token_use: 'access', scope: 'aws.cognito.signin.user.admin', tenant_id: 't-42' });
    expect(accessClaims.origin_jti).toBe(idClaims.origin_jti);

    const me = await suite.sdk.send(new GetUserCommand({ AccessToken: tokens?.AccessToken }));
    expect(me.Username).toBe(username);
    expect(me.UserAttributes).toContainEqual({ Name: 'email', Value: email });
  });

  it('admin sign-in (AdminInitiateAuth CUSTOM_AUTH) runs the same triggers', async () => {
    const email = freshEmail('admin-flow');
    const { username } = await createUser(suite, { email, email_verified: 'true' });
    const first = await suite.sdk.send(
      new AdminInitiateAuthCommand({ UserPoolId: suite.cognito.userPoolId, ClientId: suite.cognito.clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: email } }),
    );
    expect(first.ChallengeParameters).toMatchObject({ USERNAME: username, channel: 'EMAIL' });
    const done = await answer(first.Session, username, await lastCodeSentTo(suite.aws, email));
    expect(done.AuthenticationResult?.IdToken).toBeTruthy();
  });

  it('for a user who does not exist, gives a decoy challenge of the same shape, sends nothing and ends in NotAuthorizedException', async () => {
    const email = freshEmail('nobody');
    let step = await passwordlessStart(email);
    expect(step.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(Object.keys(step.ChallengeParameters ?? {}).sort()).toEqual(['USERNAME', 'channel', 'codeLength', 'destination', 'expiresAt']);
    expect(await messageCount(suite.aws)).toBe(0);
    step = await answer(step.Session, email, '123456');
    step = await answer(step.Session, email, '654321');
    await expect(answer(step.Session, email, '111111')).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('a session string is single use, and expires after the app client’s AuthSessionValidity (5 minutes)', async () => {
    const email = freshEmail('slow');
    const { username } = await createUser(suite, { email, email_verified: 'true' });
    const first = await passwordlessStart(email);
    const code = await lastCodeSentTo(suite.aws, email);
    const second = await answer(first.Session, username, wrongCodeFor(code));
    await expect(answer(first.Session, username, code)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
    suite.endpointClock.advance(5 * 60_000 + 1);
    await expect(answer(second.Session, username, code)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' });
  });

  it('when one session is answered twice at once, only one answer is taken; twenty sign-ins at once all succeed', async () => {
    const email = freshEmail('race');
    const { username } = await createUser(suite, { email, email_verified: 'true' });
    const first = await passwordlessStart(email);
    const code = await lastCodeSentTo(suite.aws, email);
    const results = await Promise.allSettled([answer(first.Session, username, code), answer(first.Session, username, code)]);
    expect(results.filter((result) => result.status === 'fulfilled' && result.value.AuthenticationResult)).toHaveLength(1);
    expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: { name: 'NotAuthorizedException', message: 'Invalid session for the user.' } });

    const emails = Array.from({ length: 20 }, () => freshEmail('crowd'));
    const users = await Promise.all(emails.map((address) => createUser(suite, { email: address, email_verified: 'true' })));
    const signedIn = await Promise.all(
      users.map(async (user) => {
        const step = await passwordlessStart(user.signInName);
        return answer(step.Session, user.username, await lastCodeSentTo(suite.aws, user.signInName));
      }),
    );
    expect(signedIn.filter((result) => result.AuthenticationResult?.IdToken)).toHaveLength(20);
  });

  it('migrates a legacy user on the first USER_PASSWORD_AUTH sign-in, then signs in from the pool', async () => {
    // local/legacy-users.sample.json: sam (LDAP {SSHA}) is in the legacy directory only.
    const wrong = suite.sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: suite.cognito.clientId, AuthParameters: { USERNAME: 'ana@example.es', PASSWORD: 'not-her-Passw0rd!' } }));
    await expect(wrong).rejects.toMatchObject({ name: 'UserLambdaValidationException', message: 'UserMigration failed with error Incorrect username or password..' });
    const signIn = () =>
      suite.sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: suite.cognito.clientId, AuthParameters: { USERNAME: 'ana@example.es', PASSWORD: 'ana-legacy-pass' } }));
    const migrated = await signIn();
    const { id } = await verifiers(suite);
    const claims = await id.verify(migrated.AuthenticationResult?.IdToken ?? '');
    expect(claims).toMatchObject({ email: 'ana@example.es', email_verified: true });
    const user = await suite.sdk.send(new AdminGetUserCommand({ UserPoolId: suite.cognito.userPoolId, Username: 'ana@example.es' }));
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.Username).toBe(claims.sub);
    // The second time the pool knows the user and checks the password itself.
    expect((await signIn()).AuthenticationResult?.AccessToken).toBeTruthy();
    await expect(
      suite.sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: suite.cognito.clientId, AuthParameters: { USERNAME: 'ana@example.es', PASSWORD: 'Wrong-Passw0rd!' } })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('forgot password for a legacy user migrates the user and sends the reset code to the verified email', async () => {
    const sent = await suite.sdk.send(new ForgotPasswordCommand({ ClientId: suite.cognito.clientId, Username: 'jo@example.com' }));
    expect(sent.CodeDeliveryDetails).toEqual({ Destination: 'j***@e***.com', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const code = await lastCodeSentTo(suite.aws, 'jo@example.com');
    await expect(
      suite.sdk.send(new ConfirmForgotPasswordCommand({ ClientId: suite.cognito.clientId, Username: 'jo@example.com', ConfirmationCode: wrongCodeFor(code), Password: 'New-Passw0rd!' })),
    ).rejects.toMatchObject({ name: 'CodeMismatchException' });
    await suite.sdk.send(new ConfirmForgotPasswordCommand({ ClientId: suite.cognito.clientId, Username: 'jo@example.com', ConfirmationCode: code, Password: 'New-Passw0rd!' }));
    const signedIn = await suite.sdk.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: suite.cognito.clientId, AuthParameters: { USERNAME: 'jo@example.com', PASSWORD: 'New-Passw0rd!' } }),
    );
    expect(signedIn.AuthenticationResult?.IdToken).toBeTruthy();
  });

  it('forgot password for a name nobody has fails as a wrong password does (the migration trigger is asked and refuses); a resend answers with a simulated delivery', async () => {
    await expect(suite.sdk.send(new ForgotPasswordCommand({ ClientId: suite.cognito.clientId, Username: 'ghost@example.org' }))).rejects.toMatchObject({
      name: 'UserLambdaValidationException',
      message: 'UserMigration failed with error Incorrect username or password..',
    });
    const resent = await suite.sdk.send(new ResendConfirmationCodeCommand({ ClientId: suite.cognito.clientId, Username: 'ghost@example.org' }));
    expect(resent.CodeDeliveryDetails).toEqual({ Destination: 'g***@e***.org', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(await messageCount(suite.aws)).toBe(0);
  });

  it('signs up, confirms with the emailed code, and signs in without a password', async () => {
    const email = freshEmail('new');
    await expect(suite.sdk.send(new SignUpCommand({ ClientId: suite.cognito.clientId, Username: email, Password: 'short' }))).rejects.toMatchObject({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    });
    const signedUp = await suite.sdk.send(
      new SignUpCommand({ ClientId: suite.cognito.clientId, Username: email, Password: 'Sign-up-Passw0rd!', UserAttributes: [{ Name: 'given_name', Value: 'Kim' }] }),
    );
    expect(signedUp).toMatchObject({ UserConfirmed: false, CodeDeliveryDetails: { DeliveryMedium: 'EMAIL', AttributeName: 'email' } });
    await expect(suite.sdk.send(new SignUpCommand({ ClientId: suite.cognito.clientId, Username: email, Password: 'Sign-up-Passw0rd!' }))).rejects.toMatchObject({
      name: 'UsernameExistsException',
    });
    // Not confirmed yet: no sign-in.
    await expect(passwordlessStart(email)).rejects.toMatchObject({ name: 'UserNotConfirmedException' });
    const code = await lastCodeSentTo(suite.aws, email);
    await expect(suite.sdk.send(new ConfirmSignUpCommand({ ClientId: suite.cognito.clientId, Username: email, ConfirmationCode: wrongCodeFor(code) }))).rejects.toMatchObject({
      name: 'CodeMismatchException',
    });
    await suite.sdk.send(new ConfirmSignUpCommand({ ClientId: suite.cognito.clientId, Username: email, ConfirmationCode: code }));
    await expect(suite.sdk.send(new ConfirmSignUpCommand({ ClientId: suite.cognito.clientId, Username: email, ConfirmationCode: code }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'User cannot be confirmed. Current status is CONFIRMED',
    });
    // Confirming verified the email, so the triggers may send a code there.
    const first = await passwordlessStart(email);
    const done = await answer(first.Session, signedUp.UserSub ?? '', await lastCodeSentTo(suite.aws, email));
    expect(done.AuthenticationResult?.IdToken).toBeTruthy();
  });

  it('runs the suite’s pre sign-up trigger: a legacy user’s address or a blocked domain is refused with its generic text; a passwordless account is confirmed at once and claimed by its first code', async () => {
    const refused = { name: 'UserLambdaValidationException', message: 'PreSignUp failed with error Sign-up could not be completed with these details. Please check them or contact support..' };
    await expect(suite.sdk.send(new SignUpCommand({ ClientId: suite.cognito.clientId, Username: 'former@example.com', Password: 'Sign-up-Passw0rd!' }))).rejects.toMatchObject(refused);
    await expect(suite.sdk.send(new SignUpCommand({ ClientId: suite.cognito.clientId, Username: 'x@mailinator.com', Password: 'Sign-up-Passw0rd!' }))).rejects.toMatchObject(refused);
    const email = freshEmail('codes-only');
    const signUpPassword = 'Random-Passw0rd!';
    const signedUp = await suite.sdk.send(
      new SignUpCommand({ ClientId: suite.cognito.clientId, Username: email, Password: signUpPassword, ClientMetadata: { passwordlessSignUp: 'true' } }),
    );
    // Auto-confirmed without verifying anything: Cognito sends no message.
    expect(signedUp).toMatchObject({ UserConfirmed: true });
    expect(signedUp.CodeDeliveryDetails).toBeUndefined();
    expect(await messageCount(suite.aws)).toBe(0);
    const attributes = async () => (await suite.sdk.send(new AdminGetUserCommand({ UserPoolId: suite.cognito.userPoolId, Username: email }))).UserAttributes ?? [];
    expect((await attributes()).find((attribute) => attribute.Name === 'email_verified')).toBeUndefined();

    // The first sign-in: the code goes to the unverified sign-up address, and the right code claims the account.
    const first = await passwordlessStart(email);
    expect(first.ChallengeParameters).toMatchObject({ channel: 'EMAIL' });
    const done = await answer(first.Session, signedUp.UserSub ?? '', await lastCodeSentTo(suite.aws, email));
    expect(done.AuthenticationResult?.IdToken).toBeTruthy();
    expect(await attributes()).toContainEqual({ Name: 'email_verified', Value: 'true' });
    // Whoever chose the sign-up password keeps no way in.
    await expect(
      suite.sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: suite.cognito.clientId, AuthParameters: { USERNAME: email, PASSWORD: signUpPassword } })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('refreshes tokens (REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken); RevokeToken and GlobalSignOut end them', async () => {
    const email = freshEmail('refresh');
    const { password } = await createUser(suite, { email, email_verified: 'true' });
    const signIn = () =>
      suite.sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: suite.cognito.clientId, AuthParameters: { USERNAME: email, PASSWORD: password } }));
    const first = (await signIn()).AuthenticationResult;
    const refreshed = await suite.sdk.send(
      new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: suite.cognito.clientId, AuthParameters: { REFRESH_TOKEN: first?.RefreshToken ?? '' } }),
    );
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeUndefined();
    const { access } = await verifiers(suite);
    expect((await access.verify(refreshed.AuthenticationResult?.AccessToken ?? '')).origin_jti).toBe((await access.verify(first?.AccessToken ?? '')).origin_jti);
    const viaNewOperation = await suite.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: suite.cognito.clientId, RefreshToken: first?.RefreshToken }));
    expect(viaNewOperation.AuthenticationResult?.IdToken).toBeTruthy();

    await suite.sdk.send(new RevokeTokenCommand({ ClientId: suite.cognito.clientId, Token: first?.RefreshToken }));
    await expect(suite.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: suite.cognito.clientId, RefreshToken: first?.RefreshToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Refresh Token has been revoked',
    });
    await expect(suite.sdk.send(new GetUserCommand({ AccessToken: refreshed.AuthenticationResult?.AccessToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });

    const second = (await signIn()).AuthenticationResult;
    await suite.sdk.send(new GlobalSignOutCommand({ AccessToken: second?.AccessToken }));
    await expect(suite.sdk.send(new GetUserCommand({ AccessToken: second?.AccessToken }))).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('an administrator’s attribute change reaches the next tokens; a verified email stays until a new one is verified', async () => {
    const email = freshEmail('tenant');
    const { password, username } = await createUser(suite, { email, email_verified: 'true', 'custom:tenant_id': 't-1' });
    await suite.sdk.send(
      new AdminUpdateUserAttributesCommand({ UserPoolId: suite.cognito.userPoolId, Username: email, UserAttributes: [{ Name: 'custom:tenant_id', Value: 't-2' }] }),
    );
    const result = await suite.sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: suite.cognito.clientId, AuthParameters: { USERNAME: email, PASSWORD: password } }));
    const { id } = await verifiers(suite);
    expect((await id.verify(result.AuthenticationResult?.IdToken ?? '')).tenant_id).toBe('t-2');

    // AttributesRequireVerificationBeforeUpdate: [email] (serverless.yml): the change waits, the verified address stays.
    const other = freshEmail('moved');
    await suite.sdk.send(new AdminUpdateUserAttributesCommand({ UserPoolId: suite.cognito.userPoolId, Username: username, UserAttributes: [{ Name: 'email', Value: other }] }));
    let user = await suite.sdk.send(new AdminGetUserCommand({ UserPoolId: suite.cognito.userPoolId, Username: username }));
    expect(user.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }]));
    // An administrator who marks the new address verified changes it at once.
    await suite.sdk.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: suite.cognito.userPoolId,
        Username: username,
        UserAttributes: [{ Name: 'email', Value: other }, { Name: 'email_verified', Value: 'true' }],
      }),
    );
    user = await suite.sdk.send(new AdminGetUserCommand({ UserPoolId: suite.cognito.userPoolId, Username: other }));
    expect(user.Username).toBe(username);
  });

  it('answers any other operation in Cognito’s error shape, naming it', async () => {
    await expect(suite.sdk.send(new DeleteUserPoolCommand({ UserPoolId: suite.cognito.userPoolId }))).rejects.toMatchObject({
      name: 'UnknownOperationException',
      message: 'The local Cognito endpoint does not implement DeleteUserPool.',
      $metadata: { httpStatusCode: 400 },
    });
    const raw = await fetch(suite.cognito.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
      body: JSON.stringify({ AuthFlow: 'CUSTOM_AUTH', ClientId: 'no-such-client', AuthParameters: { USERNAME: 'x@example.com' } }),
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual({ __type: 'ResourceNotFoundException', message: 'User pool client no-such-client does not exist.' });
  });
});
