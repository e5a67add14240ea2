import { InvalidEventError } from '../errors.js';
import { isObject, type Json } from '../json.js';

/** The custom-auth trigger events as the suite reads them, checked field by field. */

export const CHALLENGE_NAMES = [
  'CUSTOM_CHALLENGE',
  'SRP_A',
  'PASSWORD_VERIFIER',
  'SMS_MFA',
  'SOFTWARE_TOKEN_MFA',
  'EMAIL_OTP',
  'DEVICE_SRP_AUTH',
  'DEVICE_PASSWORD_VERIFIER',
  'ADMIN_NO_SRP_AUTH',
  'NEW_PASSWORD_REQUIRED',
] as const;

export interface SessionEntry {
  challengeName: string;
  challengeResult: boolean;
  challengeMetadata?: string;
}

interface CommonRequest {
  userName: string;
  /** The pool the event is for, when the event says. */
  userPoolId?: string;
  userAttributes: Record<string, string>;
  clientMetadata: Record<string, string>;
  userNotFound: boolean;
}

export interface DefineRequest extends CommonRequest {
  session: SessionEntry[];
}

export interface CreateRequest extends CommonRequest {
  challengeName: string;
  session: SessionEntry[];
}

export interface VerifyRequest extends CommonRequest {
  privateChallengeParameters: Record<string, string>;
  /** Whatever the client sent as ANSWER; anything that is not a string is kept as undefined. */
  challengeAnswer: string | undefined;
}


function objectField(parent: Json, key: string, path: string): Json {
  const value = parent[key];
  if (!isObject(value)) throw new InvalidEventError(`Invalid event: ${path} must be an object.`);
  return value;
}

export function stringMap(value: unknown, path: string, required: boolean): Record<string, string> {
  if (value === undefined || value === null) {
    if (required) throw new InvalidEventError(`Invalid event: ${path} is missing.`);
    return {};
  }
  if (!isObject(value)) throw new InvalidEventError(`Invalid event: ${path} must be an object of strings.`);
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') throw new InvalidEventError(`Invalid event: ${path} must be an object of strings.`);
    result[key] = entry;
  }
  return result;
}

function parseSession(value: unknown): SessionEntry[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidEventError('Invalid event: request.session must be an array.');
  return value.map((entry, index) => {
    const path = `request.session[${index}]`;
    if (!isObject(entry)) throw new InvalidEventError(`Invalid event: ${path} must be an object.`);
    if (typeof entry.challengeName !== 'string') throw new InvalidEventError(`Invalid event: ${path}.challengeName must be a string.`);
    if (typeof entry.challengeResult !== 'boolean') throw new InvalidEventError(`Invalid event: ${path}.challengeResult must be a boolean.`);
    const parsed: SessionEntry = { challengeName: entry.challengeName, challengeResult: entry.challengeResult };
    if (typeof entry.challengeMetadata === 'string') parsed.challengeMetadata = entry.challengeMetadata;
    return parsed;
  });
}

function parseCommon(event: unknown, expectedTriggerSource: string): { root: Json; request: Json; common: CommonRequest } {
  if (!isObject(event)) throw new InvalidEventError('Invalid event: expected a Cognito trigger event object.');
  if (event.triggerSource !== expectedTriggerSource) {
    throw new InvalidEventError(`Invalid event: triggerSource must be ${expectedTriggerSource}.`);
  }
  if (typeof event.userName !== 'string' || event.userName === '') {
    throw new InvalidEventError('Invalid event: userName must be a non-empty string.');
  }
  const request = objectField(event, 'request', 'request');
  if (!isObject(event.response)) throw new InvalidEventError('Invalid event: response must be an object.');
  const userNotFound = request.userNotFound;
  if (userNotFound !== undefined && userNotFound !== null && typeof userNotFound !== 'boolean') {
    throw new InvalidEventError('Invalid event: request.userNotFound must be a boolean.');
  }
  return {
    root: event,
    request,
    common: {
      userName: event.userName,
      ...(typeof event.userPoolId === 'string' ? { userPoolId: event.userPoolId } : {}),
      // Cognito omits userAttributes for unknown users in some flows.
      userAttributes: stringMap(request.userAttributes, 'request.userAttributes', false),
      clientMetadata: stringMap(request.clientMetadata, 'request.clientMetadata', false),
      userNotFound: userNotFound === true,
    },
  };
}

export function parseDefineEvent(event: unknown): DefineRequest {
  const { request, common } = parseCommon(event, 'DefineAuthChallenge_Authentication');
  return { ...common, session: parseSession(request.session) };
}

export function parseCreateEvent(event: unknown): CreateRequest {
  const { request, common } = parseCommon(event, 'CreateAuthChallenge_Authentication');
  if (typeof request.challengeName !== 'string') throw new InvalidEventError('Invalid event: request.challengeName must be a string.');
  return { ...common, challengeName: request.challengeName, session: parseSession(request.session) };
}

export function parseVerifyEvent(event: unknown): VerifyRequest {
  const { request, common } = parseCommon(event, 'VerifyAuthChallengeResponse_Authentication');
  return {
    ...common,
    privateChallengeParameters: stringMap(request.privateChallengeParameters, 'request.privateChallengeParameters', true),
    challengeAnswer: typeof request.challengeAnswer === 'string' ? request.challengeAnswer : undefined,
  };
}
