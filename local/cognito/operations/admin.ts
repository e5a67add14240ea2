import { randomBytes } from 'node:crypto';
import { CognitoError } from '../errors.js';
import { PoolMessages } from '../messages.js';
import { invokeTrigger, triggerEvent } from '../triggers.js';
import type { LocalUserPool } from '../userPool.js';
import { attributeList, type PoolUser } from '../users.js';
import { attributeInput, optional, required, stringMap, toRecord, type Input } from './input.js';

/**
 * The administrator's operations (SigV4-signed at AWS; the local endpoint does not check signatures):
 * AdminCreateUser, AdminGetUser, AdminUpdateUserAttributes, AdminSetUserPassword, AdminConfirmSignUp,
 * AdminAddUserToGroup, AdminUserGlobalSignOut.
 */

const epochSeconds = (ms: number) => ms / 1000;

function userType(user: PoolUser, attributesKey: 'Attributes' | 'UserAttributes') {
  return {
    Username: user.username,
    [attributesKey]: attributeList(user),
    UserCreateDate: epochSeconds(user.createdAt),
    UserLastModifiedDate: epochSeconds(user.modifiedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

function adminUser(pool: LocalUserPool, input: Input): PoolUser {
  pool.checkPoolId(required(input, 'UserPoolId'));
  return pool.existingUser(required(input, 'Username'));
}

/** A temporary password that meets the default policy. */
function temporaryPassword(): string {
  return `Tmp-${randomBytes(6).toString('base64url')}a1!`;
}

export async function adminCreateUser(pool: LocalUserPool, input: Input) {
  pool.checkPoolId(required(input, 'UserPoolId'));
  const name = required(input, 'Username');
  const planned = pool.users.plan(name, toRecord(attributeInput(input, 'UserAttributes')));
  if (pool.triggers.preSignUp) {
    // PreSignUp_AdminCreateUser: Cognito ignores the auto-confirm and auto-verify flags here.
    const event = triggerEvent(
      pool.context,
      'PreSignUp_AdminCreateUser',
      planned.username,
      { userAttributes: { ...planned.attributes }, validationData: toRecord(attributeInput(input, 'ValidationData')), clientMetadata: stringMap(input, 'ClientMetadata') ?? {} },
      { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    );
    await invokeTrigger(pool.triggers, 'preSignUp', event, pool.onInvoke);
  }
  const password = optional(input, 'TemporaryPassword') ?? temporaryPassword();
  const user = pool.users.create({ name, password, status: 'FORCE_CHANGE_PASSWORD', planned });
  if (optional(input, 'MessageAction') !== 'SUPPRESS') {
    const details = PoolMessages.destinationOf(user, false);
    if (details) await pool.messages.send('invitation', user, details, password);
  }
  return { User: userType(user, 'Attributes') };
}

export async function adminGetUser(pool: LocalUserPool, input: Input) {
  return userType(adminUser(pool, input), 'UserAttributes');
}

export async function adminUpdateUserAttributes(pool: LocalUserPool, input: Input) {
  const user = adminUser(pool, input);
  pool.users.updateAttributes(user, attributeInput(input, 'UserAttributes'));
  return {};
}

export async function adminSetUserPassword(pool: LocalUserPool, input: Input) {
  const user = adminUser(pool, input);
  pool.users.setPassword(user, required(input, 'Password'));
  user.status = input.Permanent === true ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
  return {};
}

export async function adminConfirmSignUp(pool: LocalUserPool, input: Input) {
  const user = adminUser(pool, input);
  if (user.status !== 'UNCONFIRMED') throw new CognitoError('NotAuthorizedException', `User cannot be confirmed. Current status is ${user.status}`);
  user.status = 'CONFIRMED';
  return {};
}

export async function adminAddUserToGroup(pool: LocalUserPool, input: Input) {
  const user = adminUser(pool, input);
  const group = required(input, 'GroupName');
  if (!user.groups.includes(group)) user.groups.push(group);
  return {};
}

export async function adminUserGlobalSignOut(pool: LocalUserPool, input: Input) {
  const user = adminUser(pool, input);
  pool.tokens.revokeAllFor(user.username);
  return {};
}
