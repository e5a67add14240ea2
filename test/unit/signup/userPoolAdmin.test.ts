import {
  AdminLinkProviderForUserCommand, AdminSetUserPasswordCommand, AdminUpdateUserAttributesCommand, AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient, ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createUserPoolAdmin, filterValue } from '../../../shared/signup/userPoolAdmin.js';

const cognito = mockClient(CognitoIdentityProviderClient);
afterEach(() => cognito.reset());
const admin = () => createUserPoolAdmin(new CognitoIdentityProviderClient({ region: 'us-east-1' }));

describe('the user-pool admin calls of sign-up', () => {
  it('claiming an account: a random permanent password, every session signed out, then the address marked verified', async () => {
    cognito.onAnyCommand().resolves({});
    await admin().claimAccount('us-east-1_P', 'u-1', 'email', 'a@example.com');
    const calls = cognito.calls().map((call) => call.args[0]);
    expect(calls.map((command) => command.constructor)).toEqual([AdminSetUserPasswordCommand, AdminUserGlobalSignOutCommand, AdminUpdateUserAttributesCommand]);
    const password = calls[0]?.input as { Password: string; Permanent: boolean };
    expect(password.Permanent).toBe(true);
    expect(password.Password).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^A-Za-z0-9]).{40,}$/);
    expect(calls[2]?.input).toEqual({ UserPoolId: 'us-east-1_P', Username: 'u-1', UserAttributes: [{ Name: 'email', Value: 'a@example.com' }, { Name: 'email_verified', Value: 'true' }] });
  });

  it('a failed password change leaves the address unverified (so the next sign-in tries again)', async () => {
    cognito.on(AdminSetUserPasswordCommand).rejects(new Error('throttled'));
    await expect(admin().claimAccount('us-east-1_P', 'u-1', 'phone_number', '+12015550123')).rejects.toThrow('throttled');
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(0);
  });

  it('looks users up by an exact, quoted email filter', async () => {
    cognito.on(ListUsersCommand).resolves({
      Users: [{ Username: 'u-1', UserStatus: 'CONFIRMED', Enabled: true, Attributes: [{ Name: 'email', Value: 'a"b@example.com' }, { Name: 'email_verified', Value: 'true' }] }],
    });
    const users = await admin().usersWithEmail('us-east-1_P', 'a"b@example.com');
    expect(cognito.commandCalls(ListUsersCommand)[0]?.args[0].input).toEqual({ UserPoolId: 'us-east-1_P', Filter: 'email = "a\\"b@example.com"', Limit: 60 });
    expect(users).toEqual([{ userName: 'u-1', status: 'CONFIRMED', enabled: true, attributes: { email: 'a"b@example.com', email_verified: 'true' } }]);
    expect(filterValue('a\\b')).toBe('"a\\\\b"');
  });

  it('more than one page of users with the email is "too many"', async () => {
    cognito.on(ListUsersCommand).resolves({ Users: [], PaginationToken: 'next' });
    expect(await admin().usersWithEmail('us-east-1_P', 'a@example.com')).toBe('too-many');
  });

  it('links the federated subject as Cognito_Subject to the native user name', async () => {
    cognito.on(AdminLinkProviderForUserCommand).resolves({});
    await admin().linkProvider('us-east-1_P', 'u-1', 'Google', '1234_5');
    expect(cognito.commandCalls(AdminLinkProviderForUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'us-east-1_P',
      DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'u-1' },
      SourceUser: { ProviderName: 'Google', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: '1234_5' },
    });
  });
});
