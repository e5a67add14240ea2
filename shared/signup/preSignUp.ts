import type { Logger } from '@aws-lambda-powertools/logger';
import { callDependency, TriggerError } from '../errors.js';
import type { LegacyDirectory } from '../migration/directory.js';
import type { SignUpConfig } from './config.js';
import type { PreSignUpRequest, PreSignUpResponse } from './event.js';
import { assertsVerifiedEmail, chooseLinkTarget, providerIdentity } from './linking.js';
import type { PendingSignUpStore } from './pendingStore.js';
import { addressHash, emailDomainAllowed, isPasswordlessSignUp, legacyLookupNames, signUpAddress, signUpPhoneAllowed } from './policy.js';
import type { UserPoolAdmin } from './userPoolAdmin.js';

/**
 * The text a refused sign-up shows, whatever the reason: it says nothing about the legacy directory,
 * the lists, or whether anyone already has the address.
 */
export class SignUpRefusedError extends TriggerError {
  override name = 'SignUpRefusedError';
  constructor() {
    super('Sign-up could not be completed with these details. Please check them or contact support.');
  }
}

export type RefusalReason = 'email-domain' | 'phone-not-allowed' | 'no-code-address' | 'legacy-user';

export interface PreSignUpDependencies {
  config: SignUpConfig;
  /** The legacy directory, when users are being migrated: its users' names and addresses cannot be signed up. */
  directory: LegacyDirectory | undefined;
  pending: PendingSignUpStore;
  admin: UserPoolAdmin;
  logger: Logger;
  now: () => number;
}

const NOTHING: PreSignUpResponse = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };

export function createPreSignUpService(deps: PreSignUpDependencies) {
  const { config, logger } = deps;
  const dependency = <T>(what: string, call: () => Promise<T>) => callDependency(logger, what, call);

  function refuse(reason: RefusalReason): never {
    logger.info('Sign-up refused', { reason });
    throw new SignUpRefusedError();
  }

  async function isLegacyUser(request: PreSignUpRequest): Promise<boolean> {
    const directory = deps.directory;
    if (directory === undefined) return false;
    const names = legacyLookupNames(request.userName, request.userAttributes);
    // A table that does not exist holds no one to protect; any other failure is logged and fails closed.
    const found = await dependency('Looking up the legacy directory', () =>
      Promise.all(names.map((name) => directory.findUser(name))).catch((error: unknown) => {
        if ((error as Error).name === 'ResourceNotFoundException') return 'no-table' as const;
        throw error;
      }),
    );
    if (found === 'no-table') {
      logger.warn('The legacy directory table does not exist: no legacy users to protect from sign-up');
      return false;
    }
    return found.some((user) => user !== undefined);
  }

  async function selfSignUp(request: PreSignUpRequest): Promise<PreSignUpResponse> {
    const { email, phone_number: phone } = request.userAttributes;
    if (email !== undefined && email !== '' && !emailDomainAllowed(email, config.allowedEmailDomains, config.blockedEmailDomains)) refuse('email-domain');
    if (phone !== undefined && phone !== '' && !signUpPhoneAllowed(phone, config.smsAllowedCountries)) refuse('phone-not-allowed');
    const passwordless = isPasswordlessSignUp(request.clientMetadata, request.validationData);
    const address = passwordless ? signUpAddress(request.userAttributes, config.channels) : undefined;
    if (passwordless && address === undefined) refuse('no-code-address');
    if (await isLegacyUser(request)) refuse('legacy-user');
    if (address === undefined) {
      logger.info('Password sign-up accepted; Cognito confirms it as usual');
      return NOTHING;
    }
    const now = deps.now();
    await dependency('Recording the pending first sign-in', () =>
      deps.pending.record(
        request.userName,
        { channel: address.channel, addressHash: addressHash(config.secret, address.channel, address.address), createdAt: now },
        now + config.firstSignInDays * 86_400_000,
      ),
    );
    logger.info('Passwordless sign-up accepted: confirmed now, address proven by the first code', { channel: address.channel });
    // Confirmed without verifying anything: Cognito sends no message, the first code proves the address.
    return { ...NOTHING, autoConfirmUser: true };
  }

  async function federatedSignUp(request: PreSignUpRequest): Promise<PreSignUpResponse> {
    const identity = providerIdentity(request.userName, config.linkProviders);
    if (identity === undefined) {
      logger.info('Federated sign-up: provider not enabled for linking; a new user is created');
      return NOTHING;
    }
    const email = request.userAttributes.email ?? '';
    if (!assertsVerifiedEmail(request.userAttributes)) {
      logger.info('Federated sign-up not linked: the provider did not assert a verified email', { provider: identity.providerName });
      return NOTHING;
    }
    const users = await dependency('Listing users with the email', () => deps.admin.usersWithEmail(request.userPoolId, email));
    const target = chooseLinkTarget(users, email);
    if (target.kind === 'none') {
      logger.info('Federated sign-up not linked: no native user with this verified email', { provider: identity.providerName });
      return NOTHING;
    }
    if (target.kind === 'ambiguous') {
      logger.warn('Federated sign-up not linked: more than one native user with this verified email', { provider: identity.providerName });
      return NOTHING;
    }
    await dependency('Linking the federated identity', () => deps.admin.linkProvider(request.userPoolId, target.userName, identity.providerName, identity.subject));
    logger.info('Federated identity linked to the existing user', { provider: identity.providerName });
    return NOTHING;
  }

  return async function preSignUp(request: PreSignUpRequest): Promise<PreSignUpResponse> {
    switch (request.triggerSource) {
      case 'PreSignUp_SignUp':
        return selfSignUp(request);
      case 'PreSignUp_ExternalProvider':
        return federatedSignUp(request);
      case 'PreSignUp_AdminCreateUser':
        // An administrator's decision; Cognito ignores the response flags here anyway.
        logger.info('Admin-created user: nothing to decide');
        return NOTHING;
    }
  };
}
