import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, confirmSignUp, fetchAuthSession, fetchUserAttributes, getCurrentUser, signIn, signOut, signUp } from 'aws-amplify/auth';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { maskPhone } from '../../../shared/otp/mask.js';
import { lastCodeSentTo, messageCount } from '../../support/suite.js';
import { createUser, freshEmail, useEndpointSuite, verifiers } from './support.js';

/**
 * Amplify JS v6 (aws-amplify) in Node against the local endpoint, configured as a front end would be:
 * `userPoolEndpoint` points every user-pool call at it. SRP (CUSTOM_WITH_SRP) is Amplify's own code.
 */

const suite = useEndpointSuite();
const wrongCodeFor = (code: string) => (code === '000000' ? '111111' : '000000');
let phones = 0;
const freshPhone = () => `+3460${String(Date.now() % 10_000).padStart(4, '0')}${String((phones += 1)).padStart(3, '0')}`;

beforeAll(() => {
  Amplify.configure({ Auth: { Cognito: { userPoolId: suite.cognito.userPoolId, userPoolClientId: suite.cognito.clientId, userPoolEndpoint: suite.cognito.endpoint } } });
});

afterEach(async () => {
  await signOut().catch(() => undefined);
});

describe('Amplify JS v6 against the local endpoint', () => {
  it('passwordless (CUSTOM_WITHOUT_SRP): a wrong code, the right one, a session whose tokens aws-jwt-verify accepts, sign-out revokes them', async () => {
    const email = freshEmail('amp');
    const { username } = await createUser(suite, { email, email_verified: 'true', given_name: 'Jo', 'custom:tenant_id': 't-42' });
    const started = await signIn({ username: email, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
    expect(started.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
    expect(started.nextStep).toMatchObject({ additionalInfo: { channel: 'EMAIL', destination: 'a***@e***.com', codeLength: '6' } });
    const code = await lastCodeSentTo(suite.aws, email);

    const again = await confirmSignIn({ challengeResponse: wrongCodeFor(code) });
    expect(again.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
    const done = await confirmSignIn({ challengeResponse: code });
    expect(done).toMatchObject({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });

    expect(await getCurrentUser()).toMatchObject({ username, userId: username, signInDetails: { loginId: email, authFlowType: 'CUSTOM_WITHOUT_SRP' } });
    expect(await fetchUserAttributes()).toMatchObject({ email, given_name: 'Jo' });
    const session = await fetchAuthSession();
    const { id, access } = await verifiers(suite);
    expect(await id.verify(session.tokens?.idToken?.toString() ?? '')).toMatchObject({ sub: username, email, tenant_id: 't-42' });
    const accessToken = session.tokens?.accessToken.toString() ?? '';
    expect(await access.verify(accessToken)).toMatchObject({ username, token_use: 'access' });
    expect(session.tokens?.idToken?.payload.tenant_id).toBe('t-42');

    // The access token carries origin_jti, so signOut() calls RevokeToken: the tokens stop working.
    await signOut();
    await expect(
      fetch(suite.cognito.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.GetUser' },
        body: JSON.stringify({ AccessToken: accessToken }),
      }).then((response) => response.json()),
    ).resolves.toEqual({ __type: 'NotAuthorizedException', message: 'Access Token has been revoked' });
  });

  it('a resend and the other channel go through confirmSignIn’s clientMetadata', async () => {
    const email = freshEmail('channels');
    const phone = freshPhone();
    await createUser(suite, { email, email_verified: 'true', phone_number: phone, phone_number_verified: 'true' });
    await signIn({ username: email, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
    expect(await lastCodeSentTo(suite.aws, email)).toMatch(/^\d{6}$/);

    suite.clock.advance(31_000); // one new code per OTP_RESEND_COOLDOWN_SECONDS (30)
    const resent = await confirmSignIn({ challengeResponse: 'resend', options: { clientMetadata: { otpResend: 'true' } } });
    expect(resent.nextStep).toMatchObject({ signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', additionalInfo: { channel: 'EMAIL' } });
    expect(await lastCodeSentTo(suite.aws, email)).toMatch(/^\d{6}$/);
    expect((await suite.aws.ses.emails()).length).toBe(2);

    suite.clock.advance(31_000);
    const bySms = await confirmSignIn({ challengeResponse: 'resend', options: { clientMetadata: { otpResend: 'true', otpChannel: 'SMS' } } });
    expect(bySms.nextStep).toMatchObject({ additionalInfo: { channel: 'SMS', destination: maskPhone(phone) } });
    const texted = await lastCodeSentTo(suite.aws, phone);
    expect(suite.aws.sms.messages).toHaveLength(1);
    // Each resend is one of the session's OTP_MAX_ATTEMPTS (3) rounds: this is the last.
    expect((await confirmSignIn({ challengeResponse: texted })).isSignedIn).toBe(true);
  });

  it('second factor (CUSTOM_WITH_SRP): Amplify’s SRP proves the password, then the code; a wrong password is refused', async () => {
    const email = freshEmail('srp');
    const { password } = await createUser(suite, { email, email_verified: 'true' });
    await expect(signIn({ username: email, password: 'Wrong-Passw0rd!', options: { authFlowType: 'CUSTOM_WITH_SRP' } })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    const started = await signIn({ username: email, password, options: { authFlowType: 'CUSTOM_WITH_SRP' } });
    expect(started.nextStep).toMatchObject({ signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', additionalInfo: { channel: 'EMAIL' } });
    const done = await confirmSignIn({ challengeResponse: await lastCodeSentTo(suite.aws, email) });
    expect(done.isSignedIn).toBe(true);
    expect((await fetchAuthSession()).tokens?.idToken?.payload.email).toBe(email);
  });

  it('Amplify’s default sign-in (USER_SRP_AUTH) proves the password by SRP and gets tokens', async () => {
    const email = freshEmail('plain-srp');
    const { password } = await createUser(suite, { email, email_verified: 'true' });
    await expect(signIn({ username: email, password: 'Wrong-Passw0rd!' })).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect((await signIn({ username: email, password })).isSignedIn).toBe(true);
    expect(await messageCount(suite.aws)).toBe(0);
  });

  it('a user an administrator created with a temporary password chooses a new one at the first sign-in (NEW_PASSWORD_REQUIRED)', async () => {
    const email = freshEmail('invited');
    await suite.sdk.send(
      new AdminCreateUserCommand({ UserPoolId: suite.cognito.userPoolId, Username: email, TemporaryPassword: 'Temp-Passw0rd!', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: email }] }),
    );
    const first = await signIn({ username: email, password: 'Temp-Passw0rd!' });
    expect(first.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
    await expect(confirmSignIn({ challengeResponse: 'short' })).rejects.toMatchObject({ name: 'InvalidPasswordException' });
    await signOut();
    await signIn({ username: email, password: 'Temp-Passw0rd!' });
    expect((await confirmSignIn({ challengeResponse: 'Chosen-Passw0rd!' })).isSignedIn).toBe(true);
    await signOut();
    expect((await signIn({ username: email, password: 'Chosen-Passw0rd!' })).isSignedIn).toBe(true);
  });

  it('a legacy user signs in with the old password (USER_PASSWORD_AUTH runs the migration)', async () => {
    const result = await signIn({ username: 'sam', password: 'sam-legacy-pass', options: { authFlowType: 'USER_PASSWORD_AUTH' } }).catch((error: Error) => error);
    // The sample user `sam` has no email or phone: a pool that signs in by email or phone cannot take that name.
    expect(result).toMatchObject({ name: 'InvalidParameterException', message: 'Username should be either an email or a phone number.' });

    const migrated = await signIn({ username: 'jo@example.com', password: 'correct horse battery staple', options: { authFlowType: 'USER_PASSWORD_AUTH' } });
    expect(migrated.isSignedIn).toBe(true);
    expect((await fetchAuthSession()).tokens?.idToken?.payload).toMatchObject({ email: 'jo@example.com', email_verified: true });
  });

  it('signs up, confirms with the emailed code, then signs in with a code', async () => {
    const email = freshEmail('signup');
    const signedUp = await signUp({ username: email, password: 'Sign-up-Passw0rd!', options: { userAttributes: { given_name: 'Kim' } } });
    expect(signedUp.nextStep).toMatchObject({ signUpStep: 'CONFIRM_SIGN_UP', codeDeliveryDetails: { deliveryMedium: 'EMAIL', attributeName: 'email' } });
    const confirmed = await confirmSignUp({ username: email, confirmationCode: await lastCodeSentTo(suite.aws, email) });
    expect(confirmed.isSignUpComplete).toBe(true);
    await signIn({ username: email, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
    expect((await confirmSignIn({ challengeResponse: await lastCodeSentTo(suite.aws, email) })).isSignedIn).toBe(true);
  });

  it('the errors a user can see: an unconfirmed account, an existing address, a sign-in that ran out of attempts', async () => {
    const email = freshEmail('errors');
    await signUp({ username: email, password: 'Sign-up-Passw0rd!' });
    const unconfirmed = await signIn({ username: email, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
    // Amplify turns UserNotConfirmedException into a next step.
    expect(unconfirmed.nextStep.signInStep).toBe('CONFIRM_SIGN_UP');
    await expect(signUp({ username: email, password: 'Sign-up-Passw0rd!' })).rejects.toMatchObject({ name: 'UsernameExistsException', message: 'An account with the given email already exists.' });

    const other = freshEmail('attempts');
    await createUser(suite, { email: other, email_verified: 'true' });
    await signIn({ username: other, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
    const code = await lastCodeSentTo(suite.aws, other);
    await confirmSignIn({ challengeResponse: wrongCodeFor(code) });
    await confirmSignIn({ challengeResponse: wrongCodeFor(code) });
    await expect(confirmSignIn({ challengeResponse: wrongCodeFor(code) })).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });
});
