import { stringMap } from '../auth/events.js';
import { InvalidEventError } from '../errors.js';
import { isObject } from '../json.js';

/** The pre sign-up event as the suite reads it, checked field by field. */

export const PRE_SIGN_UP_SOURCES = ['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider'] as const;
export type PreSignUpSource = (typeof PRE_SIGN_UP_SOURCES)[number];

export interface PreSignUpRequest {
  triggerSource: PreSignUpSource;
  userName: string;
  userPoolId: string;
  userAttributes: Record<string, string>;
  clientMetadata: Record<string, string>;
  /** SignUp's ValidationData: seen by this trigger only, never stored. */
  validationData: Record<string, string>;
}

/** The only response fields the suite sets; anything else a caller put in the response is dropped. */
export interface PreSignUpResponse {
  autoConfirmUser: boolean;
  autoVerifyEmail: boolean;
  autoVerifyPhone: boolean;
}

export function parsePreSignUpEvent(event: unknown): PreSignUpRequest {
  if (!isObject(event)) throw new InvalidEventError('Invalid event: expected a Cognito trigger event object.');
  const source = PRE_SIGN_UP_SOURCES.find((candidate) => candidate === event.triggerSource);
  if (source === undefined) throw new InvalidEventError(`Invalid event: triggerSource must be one of ${PRE_SIGN_UP_SOURCES.join(', ')}.`);
  if (typeof event.userName !== 'string' || event.userName === '') throw new InvalidEventError('Invalid event: userName must be a non-empty string.');
  if (typeof event.userPoolId !== 'string' || event.userPoolId === '') throw new InvalidEventError('Invalid event: userPoolId must be a non-empty string.');
  const request = event.request;
  if (!isObject(request)) throw new InvalidEventError('Invalid event: request must be an object.');
  if (!isObject(event.response)) throw new InvalidEventError('Invalid event: response must be an object.');
  return {
    triggerSource: source,
    userName: event.userName,
    userPoolId: event.userPoolId,
    userAttributes: stringMap(request.userAttributes, 'request.userAttributes', false),
    clientMetadata: stringMap(request.clientMetadata, 'request.clientMetadata', false),
    validationData: stringMap(request.validationData, 'request.validationData', false),
  };
}
