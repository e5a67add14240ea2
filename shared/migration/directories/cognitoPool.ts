import { createHmac } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { type CognitoIdp, type CognitoIdpOperations, createCognitoIdp } from '../../aws/services.js';
import { type DirectoryVerdict, foldAsciiCase, type LegacyDirectory } from '../directory.js';
import type { LegacyUser } from '../legacyUser.js';
import { isMappableAttribute, toLegacyUser, withinDeadline } from './common.js';
import type { CognitoPoolSettings } from './settings.js';

/**
 * Another (older) Cognito user pool: the password is checked with AdminInitiateAuth
 * (ADMIN_USER_PASSWORD_AUTH, the app client must allow it) and the profile read with AdminGetUser,
 * carrying over email_verified and phone_number_verified; the old `sub` is the legacy id.
 * IAM: cognito-idp:AdminInitiateAuth and cognito-idp:AdminGetUser on the old pool's ARN only.
 */

/** The attributes a pool lets users sign in with besides the user name (aliases, username attributes). */
const SIGN_IN_ATTRIBUTES = new Set(['email', 'phone_number', 'preferred_username']);

const REFUSALS: Record<string, 'unknown-user' | 'wrong-password' | 'disabled'> = {
  NotAuthorizedException: 'wrong-password',
  InvalidPasswordException: 'wrong-password',
  UserNotFoundException: 'unknown-user',
  // The password may be right, but the old pool would not let this user in either.
  UserNotConfirmedException: 'disabled',
  PasswordResetRequiredException: 'disabled',
};

export function legacyUserFromCognito(userName: string, output: CognitoIdpOperations['AdminGetUser']['output'], legacyIdAttribute: string | undefined): LegacyUser {
  const attributes: Record<string, string> = {};
  let sub: string | undefined;
  let email: string | undefined;
  let phoneNumber: string | undefined;
  let emailVerified = false;
  let phoneNumberVerified = false;
  for (const { Name: name, Value: value } of output.UserAttributes ?? []) {
    if (name === undefined || value === undefined) continue;
    if (name === 'sub') sub = value;
    else if (name === 'email') email = value;
    else if (name === 'phone_number') phoneNumber = value;
    else if (name === 'email_verified') emailVerified = value === 'true';
    else if (name === 'phone_number_verified') phoneNumberVerified = value === 'true';
    else if (isMappableAttribute(name)) attributes[name] = value;
  }
  return toLegacyUser(
    { username: userName, legacyId: sub, email, emailVerified, phoneNumber, phoneNumberVerified, attributes, disabled: output.Enabled === false },
    legacyIdAttribute,
  );
}

export function createCognitoPoolDirectory(
  settings: CognitoPoolSettings,
  logger: Logger,
  client: CognitoIdp = createCognitoIdp({ region: settings.region, endpoint: settings.endpoint }),
): LegacyDirectory {
  const call = <T>(what: string, send: (abortSignal: AbortSignal) => Promise<T>) => withinDeadline(what, settings.timeoutMs, send);

  async function getUser(userName: string): Promise<LegacyUser | undefined> {
    try {
      const output = await call('old pool AdminGetUser', (abortSignal) => client.call('AdminGetUser', { UserPoolId: settings.userPoolId, Username: userName }, { abortSignal }));
      // A case-insensitive pool may fold a look-alike ("\u212Aim") onto kim: the typed name must be one of the user's names.
      const typed = foldAsciiCase(userName);
      const names = [output.Username, ...(output.UserAttributes ?? []).filter((a) => SIGN_IN_ATTRIBUTES.has(a.Name ?? '')).map((a) => a.Value)];
      if (!names.some((name) => name !== undefined && foldAsciiCase(name) === typed)) return undefined;
      return legacyUserFromCognito(userName, output, settings.legacyIdAttribute);
    } catch (error) {
      if ((error as Error).name === 'UserNotFoundException') return undefined;
      throw error;
    }
  }

  return {
    findUser: getUser,

    async authenticate(userName, password): Promise<DirectoryVerdict> {
      if (password === '') return { outcome: 'wrong-password' };
      const parameters: Record<string, string> = { USERNAME: userName, PASSWORD: password };
      if (settings.clientSecret !== undefined) {
        parameters.SECRET_HASH = createHmac('sha256', settings.clientSecret).update(userName + settings.clientId).digest('base64');
      }
      try {
        // A challenge (MFA, NEW_PASSWORD_REQUIRED) also means the password was right; tokens are not kept.
        await call('old pool AdminInitiateAuth', (abortSignal) =>
          client.call('AdminInitiateAuth', { UserPoolId: settings.userPoolId, ClientId: settings.clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: parameters }, { abortSignal }),
        );
      } catch (error) {
        const name = (error as Error).name;
        const outcome = REFUSALS[name];
        if (outcome === undefined) throw error;
        const disabledUser = name === 'NotAuthorizedException' && /disabled/i.test((error as Error).message);
        logger.info('Old user pool refused the sign-in', { reason: name, ...(disabledUser ? { disabled: true } : {}) });
        return { outcome: disabledUser ? 'disabled' : outcome };
      }
      const user = await getUser(userName);
      if (user === undefined) return { outcome: 'unknown-user' };
      if (user.disabled) return { outcome: 'disabled' };
      return { outcome: 'accepted', user };
    },
  };
}
