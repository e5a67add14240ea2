import { randomBytes } from 'node:crypto';
import { CognitoError, notAuthorized } from '../errors.js';
import { srpPoolName } from '../pool.js';
import { makePasswordVerifier, SrpError, startSrp, verifyPasswordClaim, type PasswordVerifier, type SrpServerState } from '../srp.js';
import type { LocalUserPool } from '../userPool.js';
import { assertMayGetTokens } from '../users.js';

/**
 * SRP at the endpoint: the PASSWORD_VERIFIER challenge both flows use (USER_SRP_AUTH, and CUSTOM_AUTH
 * with SRP_A), and USER_SRP_AUTH itself, where a proven password gives tokens (Amplify's default sign-in).
 */

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

interface UserSrpSession {
  userName: string;
  state: SrpServerState;
  expiresAt: number;
}
const userSrpSessions = new WeakMap<LocalUserPool, Map<string, UserSrpSession>>();
function sessionsOf(pool: LocalUserPool): Map<string, UserSrpSession> {
  let sessions = userSrpSessions.get(pool);
  if (sessions === undefined) userSrpSessions.set(pool, (sessions = new Map()));
  return sessions;
}

/** InitiateAuth with USER_SRP_AUTH. */
export function startUserSrpAuth(pool: LocalUserPool, name: string, srpA: string) {
  const user = pool.users.find(name);
  if (user === undefined && !pool.pool.client.preventUserExistenceErrors) throw new CognitoError('UserNotFoundException', 'User does not exist.');
  const userName = user?.username ?? name;
  const { state, parameters } = passwordVerifierChallenge(pool, userName, srpA);
  const session = randomBytes(96).toString('base64url');
  sessionsOf(pool).set(session, { userName, state, expiresAt: pool.now() + pool.pool.client.authSessionValidityMinutes * 60_000 });
  return { ChallengeName: 'PASSWORD_VERIFIER', Session: session, ChallengeParameters: parameters };
}

export function isUserSrpSession(pool: LocalUserPool, session: string | undefined): boolean {
  return session !== undefined && sessionsOf(pool).has(session);
}

/** RespondToAuthChallenge with PASSWORD_VERIFIER in USER_SRP_AUTH: tokens for a proven password. */
export async function finishUserSrpAuth(pool: LocalUserPool, session: string, responses: Record<string, string>, clientMetadata: Record<string, string> | undefined) {
  const pending = sessionsOf(pool).get(session);
  sessionsOf(pool).delete(session);
  if (pending === undefined) throw notAuthorized('Invalid session for the user.');
  if (pool.now() >= pending.expiresAt) throw notAuthorized('Invalid session for the user, session is expired.');
  const user = pool.users.find(pending.userName);
  if (user === undefined || !passwordClaimValid(pool, pending.state, responses)) throw notAuthorized();
  assertMayGetTokens(user);
  return { ChallengeParameters: {}, AuthenticationResult: await pool.authenticationResult(user, 'TokenGeneration_Authentication', clientMetadata) };
}
