import { randomBytes } from 'node:crypto';
import { type CognitoIdp, createCognitoIdp } from '../aws/services.js';

/** The few user-pool admin calls sign-up makes, behind one interface so tests and stand-ins can answer them. */

export interface PoolUser {
  userName: string;
  status: string | undefined;
  enabled: boolean;
  attributes: Record<string, string>;
}

export interface UserPoolAdmin {
  /**
   * The first code proved the address: mark it verified. Before that, whatever password the account was
   * created with is replaced by a random one nobody knows and every session is signed out, so whoever
   * created the account (it need not be the owner of the address) keeps no way in. The address the code
   * went to is written with its flag, so only that address is ever marked verified.
   */
  claimAccount(userPoolId: string, userName: string, attribute: 'email' | 'phone_number', address: string): Promise<void>;
  /** Users whose email is exactly this; 'too-many' when there are more than one page of them. */
  usersWithEmail(userPoolId: string, email: string): Promise<PoolUser[] | 'too-many'>;
  /** Links a federated identity that has not signed in yet to an existing native user. */
  linkProvider(userPoolId: string, nativeUserName: string, providerName: string, providerSubject: string): Promise<void>;
}

/** A password no one will ever type, meeting any Cognito password policy (upper, lower, digit, symbol). */
function unusablePassword(): string {
  return `${randomBytes(36).toString('base64url')}aA1!`;
}

/** Quotes a value for ListUsers' Filter: backslashes and double quotes escaped. */
export function filterValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The Cognito client a function creates once per container. */
export function defaultCognitoClient(): CognitoIdp {
  return createCognitoIdp();
}

export function createUserPoolAdmin(client: CognitoIdp): UserPoolAdmin {
  return {
    async claimAccount(userPoolId, userName, attribute, address) {
      const Username = userName;
      await client.call('AdminSetUserPassword', { UserPoolId: userPoolId, Username, Password: unusablePassword(), Permanent: true });
      await client.call('AdminUserGlobalSignOut', { UserPoolId: userPoolId, Username });
      await client.call('AdminUpdateUserAttributes', { UserPoolId: userPoolId, Username, UserAttributes: [{ Name: attribute, Value: address }, { Name: `${attribute}_verified`, Value: 'true' }] });
    },
    async usersWithEmail(userPoolId, email) {
      const result = await client.call('ListUsers', { UserPoolId: userPoolId, Filter: `email = ${filterValue(email)}`, Limit: 60 });
      if (result.PaginationToken !== undefined) return 'too-many';
      return (result.Users ?? []).map((user) => ({
        userName: user.Username ?? '',
        status: user.UserStatus,
        enabled: user.Enabled !== false,
        attributes: Object.fromEntries((user.Attributes ?? []).map((a) => [a.Name ?? '', a.Value ?? ''])),
      }));
    },
    async linkProvider(userPoolId, nativeUserName, providerName, providerSubject) {
      await client.call('AdminLinkProviderForUser', {
          UserPoolId: userPoolId,
          DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: nativeUserName },
          SourceUser: { ProviderName: providerName, ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: providerSubject },
        });
    },
  };
}
