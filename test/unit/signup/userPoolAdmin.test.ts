import { afterEach, describe, expect, it } from 'vitest';
import { AwsServiceError } from '../../../shared/aws/client.js';
import type { CognitoIdp } from '../../../shared/aws/services.js';
import { createUserPoolAdmin, filterValue } from '../../../shared/signup/userPoolAdmin.js';
import { fakeAwsClient } from '../../support/fakeAws.js';

const cognito = fakeAwsClient<CognitoIdp>();
afterEach(() => cognito.reset());
const admin = () => createUserPoolAdmin(cognito.client);
const inputsOf = (operation: string) => cognito.calls.filter((call) => call.operation === operation).map((call) => call.input);

describe('the user-pool admin calls of sign-up', () => {
  it('claiming an account: a random permanent password, every session signed out, then the address marked verified', async () => {
    cognito.onAny({});
    await admin().claimAccount('us-east-1_P', 'u-1', 'email', 'a@example.com');
    const calls = cognito.calls;
    expect(calls.map((call) => call.operation)).toEqual(['AdminSetUserPassword', 'AdminUserGlobalSignOut', 'AdminUpdateUserAttributes']);
    const password = calls[0]?.input as { Password: string; Permanent: boolean };
    expect(password.Permanent).toBe(true);
    expect(password.Password).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^A-Za-z0-9]).{40,}$/);
    expect(calls[2]?.input).toEqual({ UserPoolId: 'us-east-1_P', Username: 'u-1', UserAttributes: [{ Name: 'email', Value: 'a@example.com' }, { Name: 'email_verified', Value: 'true' }] });
  });

  it('a failed password change leaves the address unverified (so the next sign-in tries again)', async () => {
    cognito.onAny({});
    cognito.on('AdminSetUserPassword', new AwsServiceError('TooManyRequestsException', 'throttled', 400, undefined));
    await expect(admin().claimAccount('us-east-1_P', 'u-1', 'phone_number', '+12015550123')).rejects.toThrow('throttled');
    expect(inputsOf('AdminUpdateUserAttributes')).toHaveLength(0);
  });

  it('looks users up by an exact, quoted email filter', async () => {
    cognito.on('ListUsers', {
      Users: [{ Username: 'u-1', UserStatus: 'CONFIRMED', Enabled: true, Attributes: [{ Name: 'email', Value: 'a"b@example.com' }, { Name: 'email_verified', Value: 'true' }] }],
    });
    const users = await admin().usersWithEmail('us-east-1_P', 'a"b@example.com');
    expect(inputsOf('ListUsers')[0]).toEqual({ UserPoolId: 'us-east-1_P', Filter: 'email = "a\\"b@example.com"', Limit: 60 });
    expect(users).toEqual([{ userName: 'u-1', status: 'CONFIRMED', enabled: true, attributes: { email: 'a"b@example.com', email_verified: 'true' } }]);
    expect(filterValue('a\\b')).toBe('"a\\\\b"');
  });

  it('more than one page of users with the email is "too many"', async () => {
    cognito.on('ListUsers', { Users: [], PaginationToken: 'next' });
    expect(await admin().usersWithEmail('us-east-1_P', 'a@example.com')).toBe('too-many');
  });

  it('links the federated subject as Cognito_Subject to the native user name', async () => {
    cognito.on('AdminLinkProviderForUser', {});
    await admin().linkProvider('us-east-1_P', 'u-1', 'Google', '1234_5');
    expect(inputsOf('AdminLinkProviderForUser')[0]).toEqual({
      UserPoolId: 'us-east-1_P',
      DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'u-1' },
      SourceUser: { ProviderName: 'Google', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: '1234_5' },
    });
  });
});
