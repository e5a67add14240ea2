import type { FlowStep } from '../customAuth.js';
import { CognitoError, notAuthorized } from '../errors.js';
import type { SrpServerState } from '../srp.js';
import type { LocalUserPool } from '../userPool.js';
import type { PoolUser } from '../users.js';
import { optional, required, stringMap, type Input } from './input.js';
import { passwordClaimValid, passwordVerifierChallenge, respondToPasswordChallenge, startUserSrpAuth, userPasswordAuth } from './passwordFlows.js';

/**
 * InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge, AdminRespondToAuthChallenge,
 * GetTokensFromRefreshToken (API reference pages of the same names).
 */

const AUTH_FLOWS = ['USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN', 'CUSTOM_AUTH', 'ADMIN_NO_SRP_AUTH', 'USER_PASSWORD_AUTH', 'ADMIN_USER_PASSWORD_AUTH', 'USER_AUTH'];

function usableUser(pool: LocalUserPool, name: string): PoolUser | undefined {
  const user = pool.users.find(name);
  if (user === undefined) return undefined;
  if (!user.enabled) throw notAuthorized('User is disabled.');
  if (user.status === 'UNCONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
  return user;
}

async function answer(pool: LocalUserPool, step: FlowStep, srpA: string | undefined, clientMetadata: Record<string, string> | undefined) {
  if (step.kind === 'authenticated') {
    return { ChallengeParameters: {}, AuthenticationResult: await pool.authenticationResult(pool.existingUser(step.userName), 'TokenGeneration_Authentication', clientMetadata) };
  }
  if (step.challengeName === 'PASSWORD_VERIFIER') {
    if (srpA === undefined) throw new CognitoError('InvalidParameterException', 'Missing required parameter SRP_A');
    const { state, parameters } = passwordVerifierChallenge(pool, step.userName, srpA);
    pool.flow.attach(step.session, state);
    return { ChallengeName: 'PASSWORD_VERIFIER', Session: step.session, ChallengeParameters: parameters };
  }
  return { ChallengeName: step.challengeName, Session: step.session, ChallengeParameters: step.parameters };
}

async function refresh(pool: LocalUserPool, clientId: string, token: string | undefined, clientMetadata: Record<string, string> | undefined) {
  const record = pool.tokens.refreshRecord(token, clientId);
  const user = pool.users.find(record.username);
  if (user === undefined || !user.enabled) throw notAuthorized('Refresh Token has been revoked');
  return { ChallengeParameters: {}, AuthenticationResult: await pool.authenticationResult(user, 'TokenGeneration_RefreshTokens', clientMetadata, record) };
}

export async function initiateAuth(pool: LocalUserPool, input: Input, admin = false) {
  pool.client(required(input, 'ClientId'));
  if (admin) pool.checkPoolId(required(input, 'UserPoolId'));
  const flow = required(input, 'AuthFlow');
  const parameters = stringMap(input, 'AuthParameters') ?? {};
  const clientMetadata = stringMap(input, 'ClientMetadata');
  const username = () => {
    const value = parameters.USERNAME;
    if (value === undefined || value === '') throw new CognitoError('InvalidParameterException', 'Missing required parameter USERNAME');
    return value;
  };
  switch (flow) {
    case 'CUSTOM_AUTH': {
      pool.requireFlow('ALLOW_CUSTOM_AUTH', 'CUSTOM_AUTH');
      const name = username();
      const withSrp = parameters.CHALLENGE_NAME === 'SRP_A';
      if (withSrp && !parameters.SRP_A) throw new CognitoError('InvalidParameterException', 'Missing required parameter SRP_A');
      usableUser(pool, name);
      return answer(pool, await pool.flow.start(name, { withSrp }), parameters.SRP_A, undefined);
    }
    case 'USER_PASSWORD_AUTH':
    case 'ADMIN_USER_PASSWORD_AUTH':
    case 'ADMIN_NO_SRP_AUTH': {
      if (flow === 'USER_PASSWORD_AUTH' ? admin : !admin) throw new CognitoError('InvalidParameterException', `Initiate Auth method not supported.`);
      pool.requireFlow(admin ? 'ALLOW_ADMIN_USER_PASSWORD_AUTH' : 'ALLOW_USER_PASSWORD_AUTH', flow);
      const password = parameters.PASSWORD;
      if (!password) throw new CognitoError('InvalidParameterException', 'Missing required parameter PASSWORD');
      return userPasswordAuth(pool, username(), password, clientMetadata);
    }
    case 'USER_SRP_AUTH': {
      pool.requireFlow('ALLOW_USER_SRP_AUTH', 'USER_SRP_AUTH');
      if (!parameters.SRP_A) throw new CognitoError('InvalidParameterException', 'Missing required parameter SRP_A');
      return startUserSrpAuth(pool, username(), parameters.SRP_A);
    }
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN':
      pool.requireFlow('ALLOW_REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN_AUTH');
      return refresh(pool, pool.pool.client.clientId, parameters.REFRESH_TOKEN, clientMetadata);
    default:
      if (AUTH_FLOWS.includes(flow)) throw new CognitoError('UnsupportedOperationException', `The local endpoint does not run AuthFlow ${flow}.`);
      throw new CognitoError('InvalidParameterException', `1 validation error detected: Value '${flow}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [${AUTH_FLOWS.join(', ')}]`);
  }
}

export async function respondToAuthChallenge(pool: LocalUserPool, input: Input, admin = false) {
  pool.client(required(input, 'ClientId'));
  if (admin) pool.checkPoolId(required(input, 'UserPoolId'));
  const challengeName = required(input, 'ChallengeName');
  const responses = stringMap(input, 'ChallengeResponses') ?? {};
  const clientMetadata = stringMap(input, 'ClientMetadata');
  const session = optional(input, 'Session');
  if (!responses.USERNAME) throw new CognitoError('InvalidParameterException', 'Missing required parameter USERNAME');
  if (pool.passwordSessions.has(session)) return respondToPasswordChallenge(pool, challengeName, session, responses, clientMetadata);
  const pending = pool.flow.peek(session);
  const canonical = (name: string) => pool.users.find(name)?.username ?? name;
  if (canonical(responses.USERNAME) !== canonical(pending.userName) || pending.challengeName !== challengeName) {
    throw notAuthorized('Invalid session for the user.');
  }
  if (challengeName === 'CUSTOM_CHALLENGE') {
    return answer(pool, await pool.flow.answer(session, responses.ANSWER ?? '', clientMetadata), undefined, clientMetadata);
  }
  if (challengeName === 'PASSWORD_VERIFIER') {
    const correct = passwordClaimValid(pool, pending.extra as SrpServerState | undefined, responses);
    return answer(pool, await pool.flow.passwordChecked(session, correct, clientMetadata), undefined, clientMetadata);
  }
  throw new CognitoError('InvalidParameterException', `The local endpoint does not run challenge ${challengeName}.`);
}

export async function getTokensFromRefreshToken(pool: LocalUserPool, input: Input) {
  const clientId = required(input, 'ClientId');
  pool.client(clientId);
  const result = await refresh(pool, clientId, required(input, 'RefreshToken'), stringMap(input, 'ClientMetadata'));
  return { AuthenticationResult: result.AuthenticationResult };
}
