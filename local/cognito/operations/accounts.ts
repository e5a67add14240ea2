import { maskEmail, maskPhone } from '../../../shared/otp/mask.js';
import { CognitoError } from '../errors.js';
import { PoolMessages, type CodeDeliveryDetails } from '../messages.js';
import { invokeTrigger, triggerEvent } from '../triggers.js';
import type { LocalUserPool } from '../userPool.js';
import { attributeList, checkPasswordPolicy, type PoolUser, type PendingCode } from '../users.js';
import { migrateUser } from './passwordFlows.js';
import { attributeInput, optional, required, stringMap, toRecord, type Input } from './input.js';

/**
 * SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword (API
 * reference pages of the same names; "Managing user existence error responses" for unknown users).
 */

const SIGN_UP_CODE_MS = 24 * 3_600_000;
const RESET_CODE_MS = 3_600_000;

async function sendCode(pool: LocalUserPool, user: PoolUser, purpose: PendingCode['purpose'], details: CodeDeliveryDetails): Promise<void> {
  const code = pool.messages.newCode();
  user.pendingCode = { purpose, attribute: details.AttributeName, code, expiresAt: pool.now() + (purpose === 'signUp' ? SIGN_UP_CODE_MS : RESET_CODE_MS) };
  await pool.messages.send(purpose, user, details, code);
}

/** The simulated delivery PreventUserExistenceErrors answers with for a user that does not exist. */
function simulatedDelivery(name: string): CodeDeliveryDetails {
  return name.startsWith('+')
    ? { Destination: maskPhone(name), DeliveryMedium: 'SMS', AttributeName: 'phone_number' }
    : { Destination: maskEmail(name.includes('@') ? name : `${name}@example.com`), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
}

const codeMismatch = () => new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');

/** The user a confirmation is for; with PreventUserExistenceErrors an unknown name looks like a wrong code. */
function userToConfirm(pool: LocalUserPool, name: string): PoolUser {
  const user = pool.users.find(name);
  if (user !== undefined) return user;
  if (pool.pool.client.preventUserExistenceErrors) throw codeMismatch();
  throw new CognitoError('UserNotFoundException', 'Username/client id combination not found.');
}

function checkCode(pool: LocalUserPool, user: PoolUser, purpose: PendingCode['purpose'], code: string): PendingCode {
  const pending = user.pendingCode;
  if (pending === undefined || pending.purpose !== purpose || pending.code !== code) throw codeMismatch();
  if (pool.now() >= pending.expiresAt) throw new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
  return pending;
}

export async function signUp(pool: LocalUserPool, input: Input) {
  pool.client(required(input, 'ClientId'));
  const name = required(input, 'Username');
  const password = required(input, 'Password');
  const planned = pool.users.plan(name, toRecord(attributeInput(input, 'UserAttributes')));
  checkPasswordPolicy(pool.pool, password);
  let autoConfirm = false;
  if (pool.triggers.preSignUp) {
    const event = triggerEvent(
      pool.context,
      'PreSignUp_SignUp',
      planned.username,
      { userAttributes: { ...planned.attributes }, validationData: toRecord(attributeInput(input, 'ValidationData')), clientMetadata: stringMap(input, 'ClientMetadata') ?? {} },
      { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    );
    const { response } = await invokeTrigger(pool.triggers, 'preSignUp', event, pool.onInvoke);
    autoConfirm = response.autoConfirmUser === true;
    const verify: ['email' | 'phone_number', boolean][] = [['email', response.autoVerifyEmail === true], ['phone_number', response.autoVerifyPhone === true]];
    for (const [attribute, wanted] of verify) {
      if (!wanted) continue;
      if (!autoConfirm) throw new CognitoError('InvalidLambdaResponseException', 'Phone or email cannot be auto verified, when user is not being auto confirmed.');
      if (planned.attributes[attribute] === undefined) throw new CognitoError('InvalidLambdaResponseException', `Cannot auto verify ${attribute}: the user has none.`);
      planned.attributes[`${attribute}_verified`] = 'true';
    }
  }
  const user = pool.users.create({ name, password, status: autoConfirm ? 'CONFIRMED' : 'UNCONFIRMED', planned });
  if (autoConfirm) return { UserConfirmed: true, UserSub: user.attributes.sub };
  // AutoVerifiedAttributes: the confirmation code goes to the first of them the user has.
  const attribute = pool.pool.autoVerifiedAttributes.find((name) => user.attributes[name] !== undefined);
  const details = attribute === undefined ? undefined : PoolMessages.destinationOf({ ...user, attributes: { [attribute]: user.attributes[attribute] as string } }, false);
  if (details) await sendCode(pool, user, 'signUp', details);
  return { UserConfirmed: false, UserSub: user.attributes.sub, ...(details ? { CodeDeliveryDetails: details } : {}) };
}

export async function confirmSignUp(pool: LocalUserPool, input: Input) {
  pool.client(required(input, 'ClientId'));
  const code = required(input, 'ConfirmationCode');
  const user = userToConfirm(pool, required(input, 'Username'));
  if (user.status !== 'UNCONFIRMED') throw new CognitoError('NotAuthorizedException', `User cannot be confirmed. Current status is ${user.status}`);
  const pending = checkCode(pool, user, 'signUp', code);
  user.status = 'CONFIRMED';
  user.attributes[`${pending.attribute}_verified`] = 'true';
  user.pendingCode = undefined;
  return {};
}

export async function resendConfirmationCode(pool: LocalUserPool, input: Input) {
  pool.client(required(input, 'ClientId'));
  const name = required(input, 'Username');
  const user = pool.users.find(name);
  if (user === undefined) {
    if (pool.pool.client.preventUserExistenceErrors) return { CodeDeliveryDetails: simulatedDelivery(name) };
    throw new CognitoError('UserNotFoundException', 'Username/client id combination not found.');
  }
  if (user.status !== 'UNCONFIRMED') throw new CognitoError('InvalidParameterException', 'User is already confirmed.');
  const attribute = pool.pool.autoVerifiedAttributes.find((name) => user.attributes[name] !== undefined);
  const details = attribute === undefined ? undefined : PoolMessages.destinationOf({ ...user, attributes: { [attribute]: user.attributes[attribute] as string } }, false);
  if (details === undefined) throw new CognitoError('InvalidParameterException', 'Cannot resend codes. Auto verification not turned on.');
  await sendCode(pool, user, 'signUp', details);
  return { CodeDeliveryDetails: details };
}

export async function forgotPassword(pool: LocalUserPool, input: Input) {
  pool.client(required(input, 'ClientId'));
  const name = required(input, 'Username');
  const clientMetadata = stringMap(input, 'ClientMetadata');
  const user = pool.users.find(name) ?? (await migrateUser(pool, name, undefined, clientMetadata));
  if (user === undefined) {
    if (pool.pool.client.preventUserExistenceErrors) return { CodeDeliveryDetails: simulatedDelivery(name) };
    throw new CognitoError('UserNotFoundException', 'Username/client id combination not found.');
  }
  if (!user.enabled) throw new CognitoError('NotAuthorizedException', 'User is disabled.');
  const details = PoolMessages.destinationOf(user, true);
  if (details === undefined) throw new CognitoError('InvalidParameterException', 'Cannot reset password for the user as there is no registered/verified email or phone_number');
  await sendCode(pool, user, 'forgotPassword', details);
  return { CodeDeliveryDetails: details };
}

export async function confirmForgotPassword(pool: LocalUserPool, input: Input) {
  pool.client(required(input, 'ClientId'));
  const code = required(input, 'ConfirmationCode');
  const password = required(input, 'Password');
  const user = userToConfirm(pool, required(input, 'Username'));
  checkCode(pool, user, 'forgotPassword', code);
  pool.users.setPassword(user, password);
  user.status = 'CONFIRMED';
  user.pendingCode = undefined;
  return {};
}

export async function getUser(pool: LocalUserPool, input: Input) {
  const claims = pool.tokens.verifyAccessToken(optional(input, 'AccessToken'));
  const user = pool.users.find(String(claims.username));
  if (user === undefined) throw new CognitoError('NotAuthorizedException', 'User does not exist.');
  return { Username: user.username, UserAttributes: attributeList(user) };
}

export async function globalSignOut(pool: LocalUserPool, input: Input) {
  const claims = pool.tokens.verifyAccessToken(optional(input, 'AccessToken'));
  pool.tokens.revokeAllFor(String(claims.username));
  return {};
}

export async function revokeToken(pool: LocalUserPool, input: Input) {
  const clientId = required(input, 'ClientId');
  pool.client(clientId);
  const token = required(input, 'Token');
  if (token.split('.').length === 3) throw new CognitoError('UnsupportedTokenTypeException', 'Only refresh tokens can be revoked.');
  pool.tokens.revokeRefreshToken(token, clientId);
  return {};
}
