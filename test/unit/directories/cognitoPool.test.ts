import { afterEach, describe, expect, it } from 'vitest';
import { AwsServiceError } from '../../../shared/aws/client.js';
import type { CognitoIdp } from '../../../shared/aws/services.js';
import { createCognitoPoolDirectory } from '../../../shared/migration/directories/cognitoPool.js';
import { loadDirectorySettings, type CognitoPoolSettings } from '../../../shared/migration/directories/settings.js';
import { fakeAwsClient } from '../../support/fakeAws.js';
import { capturingLogger } from '../../support/logs.js';

const cognito = fakeAwsClient<CognitoIdp>();
const open = (s: CognitoPoolSettings) => createCognitoPoolDirectory(s, capturingLogger().logger, cognito.client);
afterEach(() => cognito.reset());

const settings = loadDirectorySettings({ LEGACY_DIRECTORY: 'cognito', LEGACY_COGNITO_USER_POOL_ID: 'eu-west-1_Old1', LEGACY_COGNITO_CLIENT_ID: 'c' }) as CognitoPoolSettings;
const kim = { Username: 'kim', Enabled: true, UserAttributes: [{ Name: 'sub', Value: 's-1' }, { Name: 'email', Value: 'kim@example.com' }, { Name: 'email_verified', Value: 'true' }] };

describe('another Cognito pool: which names find a user', () => {
  it('takes the user name, an email or phone alias, in any ASCII case', async () => {
    cognito.on('AdminGetUser', kim);
    const directory = open(settings);
    for (const typed of ['kim', 'KIM', 'Kim@Example.com']) expect(await directory.findUser(typed)).toMatchObject({ email: 'kim@example.com', attributes: { 'custom:legacy_id': 's-1' } });
  });

  it('refuses a look-alike the old pool folded onto another user (Kelvin sign, fullwidth letters)', async () => {
    cognito.on('AdminGetUser', kim);
    cognito.on('AdminInitiateAuth', { AuthenticationResult: { AccessToken: 'a' } });
    const directory = open(settings);
    expect(await directory.findUser('\u212Aim')).toBeUndefined();
    expect(await directory.findUser('\uFF4Bim')).toBeUndefined();
    expect(await directory.authenticate?.('\u212Aim', 'pw')).toEqual({ outcome: 'unknown-user' });
  });

  it('sends SECRET_HASH when the old app client has a secret', async () => {
    cognito.on('AdminInitiateAuth', new AwsServiceError('NotAuthorizedException', 'Incorrect username or password.', 400, undefined));
    const withSecret = { ...settings, clientSecret: 'client-secret' };
    expect(await open(withSecret).authenticate?.('kim', 'pw')).toEqual({ outcome: 'wrong-password' });
    const input = cognito.calls.find((call) => call.operation === 'AdminInitiateAuth')?.input;
    const expected = require('node:crypto').createHmac('sha256', 'client-secret').update('kimc').digest('base64');
    expect(input?.AuthParameters).toEqual({ USERNAME: 'kim', PASSWORD: 'pw', SECRET_HASH: expected });
  });

  it('names a disabled user disabled, whatever the old pool calls it', async () => {
    cognito.on('AdminInitiateAuth', new AwsServiceError('NotAuthorizedException', 'User is disabled.', 400, undefined));
    expect(await open(settings).authenticate?.('kim', 'pw')).toEqual({ outcome: 'disabled' });
    cognito.on('AdminInitiateAuth', new AwsServiceError('PasswordResetRequiredException', 'Password reset required for the user', 400, undefined));
    expect(await open(settings).authenticate?.('kim', 'pw')).toEqual({ outcome: 'disabled' });
  });

  it('passes any other failure on, so the migration fails closed', async () => {
    cognito.on('AdminInitiateAuth', new AwsServiceError('TooManyRequestsException', 'Rate exceeded', 400, undefined));
    await expect(open(settings).authenticate?.('kim', 'pw')).rejects.toThrow('Rate exceeded');
  });
});
