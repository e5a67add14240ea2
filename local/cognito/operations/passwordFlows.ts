import { randomBytes } from 'node:crypto';
import { CognitoError, notAuthorized } from '../errors.js';
import { srpPoolName } from '../pool.js';
import { makePasswordVerifier, SrpError, startSrp, verifyPasswordClaim, type PasswordVerifier, type SrpServerState } from '../srp.js';
import { invokeTrigger, triggerEvent } from '../triggers.js';
import type { LocalUserPool } from '../userPool.js';
import type { PoolUser } from '../users.js';

/**
 * The password flows: USER_PASSWORD_AUTH (which runs the migration trigger for unknown users),
 * USER_SRP_AUTH (Amplify's default sign-in), the PASSWORD_VERIFIER step that CUSTOM_AUTH with SRP_A
 * shares, and NEW_PASSWORD_REQUIRED for administrator-created users.
 */

/** What a USER_SRP_AUTH or NEW_PASSWORD_REQUIRED session keeps. */
export interface PasswordSession {
  userName: string;
  challengeName: 'PASSWORD_VERIFIER' | 'NEW_PASSWORD_REQUIRED';
  srp: SrpServerState | undefined;
}

type Metadata = Record<string, string> | undefined;

// A stable fake verifier per unknown name, so SRP against an unknown user looks like SRP against a known one.
const decoyVerifiers = new WeakMap<LocalUserPool, Map<string, PasswordVerifier>>();
function decoyVerifier(pool: LocalUserPool, name: string): PasswordVerifier {
  let byName = decoyVerifiers.get(pool);
  if (byName === undefined) decoyVerifiers.set(pool, (byName = new Map()));
  let verifier = byName.get(name);
  if (verifier === undefined) byName.set(name, (verifier = makePasswordVerifier(srpPoolName(pool.pool.userPoolId), name, randomBytes(16).toString('hex'))));
  return verifier;
}

/** B and the PASSWORD_VERIFIER parameters for a user name (the user's verifier, or a decoy's). */
export function passwordVerifierChallenge(pool: LocalUserPool, userName: string, srpA: string): { state: SrpServerState; parameters: Record<string, string> } {
  let state: SrpServerState;
  try {
    state = startSrp(srpA, pool.users.find(userName)?.password ?? decoyVerifier(pool, userName));
  } catch (error) {
    if (error instanceof SrpError) throw new CognitoError('InvalidParameterException', error.message);
    throw error;
  }
  return { state, parameters: { SALT: state.salt, SRP_B: state.B, SECRET_BLOCK: state.secretBlock, USER_ID_FOR_SRP: userName, USERNAME: userName } };
}

/** The client's PASSWORD_VERIFIER answer checked against the exchange. */
export function passwordClaimValid(pool: LocalUserPool, state: SrpServerState | undefined, responses: Record<string, string>): boolean {
  const timestamp = responses.TIMESTAMP ?? '';
  return (
    state !== undefined &&
    timestamp !== '' &&
    verifyPasswordClaim(state, {
      poolName: srpPoolName(pool.pool.userPoolId),
      userId: responses.USERNAME ?? '',
      secretBlock: responses.PASSWORD_CLAIM_SECRET_BLOCK ?? '',
      timestamp,
      signature: responses.PASSWORD_CLAIM_SIGNATURE ?? '',
    })
  );
}

/** After a proven password: tokens, Cognito's error for a status that gets none, or NEW_PASSWORD_REQUIRED. */
async function afterPassword(pool: LocalUserPool, user: PoolUser, clientMetadata: Metadata) {
  if (!user.enabled) throw notAuthorized('User is disabled.');
  if (user.status === 'UNCONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
  if (user.status === 'RESET_REQUIRED') throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    const { sub: _sub, ...attributes } = user.attributes;
    return {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: pool.passwordSessions.open({ userName: user.username, challengeName: 'NEW_PASSWORD_REQUIRED', srp: undefined }),
      ChallengeParameters: { USER_ID_FOR_SRP: user.username, requiredAttributes: '[]', userAttributes: JSON.stringify(attributes) },
    };
  }
  return { ChallengeParameters: {}, AuthenticationResult: await pool.authenticationResult(user, 'TokenGeneration_Authentication', clientMetadata) };
}

/** The migration trigger for a name the pool does not have: a password for sign-in, none for forgot-password. */
export async function migrateUser(pool: LocalUserPool, name: string, password: string | undefined, clientMetadata: Metadata): Promise<PoolUser | undefined> {
  if (pool.triggers.userMigration === undefined) return undefined;
  const source = password === undefined ? 'UserMigration_ForgotPassword' : 'UserMigration_Authentication';
  const event = triggerEvent(pool.context, source, name, { ...(password === undefined ? {} : { password }), validationData: clientMetadata ?? {}, clientMetadata: clientMetadata ?? {} }, {
    userAttributes: {},
    finalUserStatus: undefined,
    messageAction: undefined,
    desiredDeliveryMediums: undefined,
    forceAliasCreation: undefined,
  });
  const result = await invokeTrigger(pool.triggers, 'userMigration', event, pool.onInvoke);
  const attributes = (result.response.userAttributes ?? {}) as Record<string, string>;
  const status = result.response.finalUserStatus === 'RESET_REQUIRED' || password === undefined ? 'RESET_REQUIRED' : 'CONFIRMED';
  const user = pool.users.create({ name, attributes, status });
  if (password !== undefined) pool.users.setPassword(user, password, false);
  return user;
}

/** USER_PASSWORD_AUTH (and ADMIN_USER_PASSWORD_AUTH). */
export async function userPasswordAuth(pool: LocalUserPool, name: string, password: string, clientMetadata: Metadata) {
  let user = pool.users.find(name);
  if (user === undefined) {
    user = await migrateUser(pool, name, password, clientMetadata);
    if (user === undefined) throw pool.pool.client.preventUserExistenceErrors ? notAuthorized() : new CognitoError('UserNotFoundException', 'User does not exist.');
  } else if (!pool.users.passwordMatches(user, password)) {
    throw notAuthorized();
  }
  // InitiateAuth's ClientMetadata does not reach pre token generation.
  return afterPassword(pool, user, undefined);
}

/** InitiateAuth with USER_SRP_AUTH. */
export function startUserSrpAuth(pool: LocalUserPool, name: string, srpA: string) {
  const user = pool.users.find(name);
  if (user === undefined && !pool.pool.client.preventUserExistenceErrors) throw new CognitoError('UserNotFoundException', 'User does not exist.');
  const userName = user?.username ?? name;
  const { state, parameters } = passwordVerifierChallenge(pool, userName, srpA);
  return { ChallengeName: 'PASSWORD_VERIFIER', Session: pool.passwordSessions.open({ userName, challengeName: 'PASSWORD_VERIFIER', srp: state }), ChallengeParameters: parameters };
}

/** RespondToAuthChallenge in USER_SRP_AUTH (PASSWORD_VERIFIER) or after it (NEW_PASSWORD_REQUIRED). */
export async function respondToPasswordChallenge(pool: LocalUserPool, challengeName: string, session: string, responses: Record<string, string>, clientMetadata: Metadata) {
  const pending = pool.passwordSessions.take(session);
  const user = pool.users.find(pending.userName);
  if (pending.challengeName !== challengeName || user === undefined) throw notAuthorized(pending.challengeName !== challengeName ? 'Invalid session for the user.' : undefined);
  if (challengeName === 'PASSWORD_VERIFIER') {
    if (!passwordClaimValid(pool, pending.srp, responses)) throw notAuthorized();
    return afterPassword(pool, user, clientMetadata);
  }
  const newPassword = responses.NEW_PASSWORD;
  if (!newPassword) throw new CognitoError('InvalidParameterException', 'Missing required parameter NEW_PASSWORD');
  pool.users.setPassword(user, newPassword);
  user.status = 'CONFIRMED';
  return { ChallengeParameters: {}, AuthenticationResult: await pool.authenticationResult(user, 'TokenGeneration_NewPasswordChallenge', clientMetadata) };
}
