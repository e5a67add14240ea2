import { AdminGetUserCommand, AdminInitiateAuthCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createCognitoPoolDirectory } from '../../../shared/migration/directories/cognitoPool.js';
import { loadDirectorySettings, type CognitoPoolSettings } from '../../../shared/migration/directories/settings.js';
import { capturingLogger } from '../../support/logs.js';

const cognito = mockClient(CognitoIdentityProviderClient);
afterEach(() => cognito.reset());

const settings = loadDirectorySettings({ LEGACY_DIRECTORY: 'cognito', LEGACY_COGNITO_USER_POOL_ID: 'eu-west-1_Old1', LEGACY_COGNITO_CLIENT_ID: 'c' }) as CognitoPoolSettings;
const kim = { Username: 'kim', Enabled: true, UserAttributes: [{ Name: 'sub', Value: 's-1' }, { Name: 'email', Value: 'kim@example.com' }, { Name: 'email_verified', Value: 'true' }] };

describe('another Cognito pool: which names find a user', () => {
  it('takes the user name, an email or phone alias, in any ASCII case', async () => {
    cognito.on(AdminGetUserCommand).resolves(kim);
    const directory = createCognitoPoolDirectory(settings, capturingLogger().logger);
    for (const typed of ['kim', 'KIM', 'Kim@Example.com']) expect(await directory.findUser(typed)).toMatchObject({ email: 'kim@example.com', attributes: { 'custom:legacy_id': 's-1' } });
  });

  it('refuses a look-alike the old pool folded onto another user (Kelvin sign, fullwidth letters)', async () => {
    cognito.on(AdminGetUserCommand).resolves(kim);
    cognito.on(AdminInitiateAuthCommand).resolves({ AuthenticationResult: { AccessToken: 'a' } });
    const directory = createCognitoPoolDirectory(settings, capturingLogger().logger);
    expect(await directory.findUser('\u212Aim')).toBeUndefined();
    expect(await directory.findUser('\uFF4Bim')).toBeUndefined();
    expect(await directory.authenticate?.('\u212Aim', 'pw')).toEqual({ outcome: 'unknown-user' });
  });

  it('sends SECRET_HASH when the old app client has a secret', async () => {
    cognito.on(AdminInitiateAuthCommand).rejects(Object.assign(new Error('Incorrect username or password.'), { name: 'NotAuthorizedException' }));
    const withSecret = { ...settings, clientSecret: 'client-secret' };
    expect(await createCognitoPoolDirectory(withSecret, capturingLogger().logger).authenticate?.('kim', 'pw')).toEqual({ outcome: 'wrong-password' });
    const input = cognito.commandCalls(AdminInitiateAuthCommand)[0]?.args[0].input;
    const expected = require('node:crypto').createHmac('sha256', 'client-secret').update('kimc').digest('base64');
    expect(input?.AuthParameters).toEqual({ USERNAME: 'kim', PASSWORD: 'pw', SECRET_HASH: expected });
  });

  it('names a disabled user disabled, whatever the old pool calls it', async () => {
    cognito.on(AdminInitiateAuthCommand).rejects(Object.assign(new Error('User is disabled.'), { name: 'NotAuthorizedException' }));
    expect(await createCognitoPoolDirectory(settings, capturingLogger().logger).authenticate?.('kim', 'pw')).toEqual({ outcome: 'disabled' });
    cognito.on(AdminInitiateAuthCommand).rejects(Object.assign(new Error('Password reset required for the user'), { name: 'PasswordResetRequiredException' }));
    expect(await createCognitoPoolDirectory(settings, capturingLogger().logger).authenticate?.('kim', 'pw')).toEqual({ outcome: 'disabled' });
  });

  it('passes any other failure on, so the migration fails closed', async () => {
    cognito.on(AdminInitiateAuthCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' }));
    await expect(createCognitoPoolDirectory(settings, capturingLogger().logger).authenticate?.('kim', 'pw')).rejects.toThrow('Rate exceeded');
  });
});
