import type { LocalUserPool } from '../userPool.js';
import { adminAddUserToGroup, adminConfirmSignUp, adminCreateUser, adminGetUser, adminSetUserPassword, adminUpdateUserAttributes, adminUserGlobalSignOut } from './admin.js';
import { confirmForgotPassword, confirmSignUp, forgotPassword, getUser, globalSignOut, resendConfirmationCode, revokeToken, signUp } from './accounts.js';
import { getTokensFromRefreshToken, initiateAuth, respondToAuthChallenge } from './auth.js';
import type { Input } from './input.js';

/** Every operation the endpoint answers, by its X-Amz-Target name. Anything else is UnknownOperationException. */
export const OPERATIONS: Record<string, (pool: LocalUserPool, input: Input) => Promise<object>> = {
  InitiateAuth: (pool, input) => initiateAuth(pool, input),
  AdminInitiateAuth: (pool, input) => initiateAuth(pool, input, true),
  RespondToAuthChallenge: (pool, input) => respondToAuthChallenge(pool, input),
  AdminRespondToAuthChallenge: (pool, input) => respondToAuthChallenge(pool, input, true),
  GetTokensFromRefreshToken: getTokensFromRefreshToken,
  SignUp: signUp,
  ConfirmSignUp: confirmSignUp,
  ResendConfirmationCode: resendConfirmationCode,
  ForgotPassword: forgotPassword,
  ConfirmForgotPassword: confirmForgotPassword,
  GetUser: getUser,
  GlobalSignOut: globalSignOut,
  RevokeToken: revokeToken,
  AdminCreateUser: adminCreateUser,
  AdminGetUser: adminGetUser,
  AdminUpdateUserAttributes: adminUpdateUserAttributes,
  AdminSetUserPassword: adminSetUserPassword,
  AdminConfirmSignUp: adminConfirmSignUp,
  AdminAddUserToGroup: adminAddUserToGroup,
  AdminUserGlobalSignOut: adminUserGlobalSignOut,
};
