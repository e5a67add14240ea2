import { InvalidEventError } from '../errors.js';
import { isObject, type Json } from '../json.js';

/** The pre token generation event (V1, V2 and V3) as the suite reads it, checked field by field. */

export const PRE_TOKEN_TRIGGER_SOURCES = [
  'TokenGeneration_HostedAuth',
  'TokenGeneration_Authentication',
  'TokenGeneration_NewPasswordChallenge',
  'TokenGeneration_AuthenticateDevice',
  'TokenGeneration_RefreshTokens',
  'TokenGeneration_ClientCredentials',
] as const;
export type PreTokenTriggerSource = (typeof PRE_TOKEN_TRIGGER_SOURCES)[number];

/** Machine-to-machine tokens: no user, only an access token; sent only to V3 triggers. */
export const CLIENT_CREDENTIALS = 'TokenGeneration_ClientCredentials';

export const PRE_TOKEN_VERSIONS = ['1', '2', '3'] as const;
export type PreTokenVersion = (typeof PRE_TOKEN_VERSIONS)[number];

export interface PreTokenGroupConfiguration {
  groupsToOverride: string[];
  iamRolesToOverride: string[];
  preferredRole?: string;
}

export interface PreTokenEvent {
  /** Picks the response shape: "1" → claimsOverrideDetails, "2"/"3" → claimsAndScopeOverrideDetails. */
  version: PreTokenVersion;
  triggerSource: PreTokenTriggerSource;
  userAttributes: Record<string, string>;
  groupConfiguration: PreTokenGroupConfiguration;
  clientMetadata: Record<string, string>;
  /** The scopes Cognito would put in the access token (V2/V3; empty for V1). */
  scopes: string[];
}


/** Every event error starts the same way; built in one place to keep the bundle small. */
function invalid(detail: string): InvalidEventError {
  return new InvalidEventError(`Invalid event: ${detail}`);
}

function absent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

function stringMap(value: unknown, path: string, required: boolean): Record<string, string> {
  if (absent(value)) {
    if (required) throw invalid(`${path} is missing.`);
    return {};
  }
  if (!isObject(value)) throw invalid(`${path} must be an object of strings.`);
  const entries = Object.entries(value);
  for (const [key, entry] of entries) {
    if (typeof entry !== 'string') throw invalid(`${path}.${key} must be a string.`);
  }
  // fromEntries defines own properties, so a "__proto__" key stays plain data.
  return Object.fromEntries(entries) as Record<string, string>;
}

function stringArray(value: unknown, path: string): string[] {
  if (absent(value)) return [];
  if (!Array.isArray(value)) throw invalid(`${path} must be an array of strings.`);
  return value.map((entry: unknown, index) => {
    if (typeof entry !== 'string') throw invalid(`${path}[${index}] must be a string.`);
    return entry;
  });
}

function parseVersion(value: unknown): PreTokenVersion {
  const text = typeof value === 'number' ? String(value) : value;
  const match = PRE_TOKEN_VERSIONS.find((version) => version === text);
  if (match === undefined) throw invalid(`version must be one of ${PRE_TOKEN_VERSIONS.join(', ')}.`);
  return match;
}

function parseGroupConfiguration(value: unknown, required: boolean): PreTokenGroupConfiguration {
  const path = 'request.groupConfiguration';
  if (absent(value)) {
    // Without it the response could not copy the user's groups, and would wipe them.
    if (required) throw invalid(`${path} is missing.`);
    return { groupsToOverride: [], iamRolesToOverride: [] };
  }
  if (!isObject(value)) throw invalid(`${path} must be an object.`);
  const parsed: PreTokenGroupConfiguration = {
    groupsToOverride: stringArray(value.groupsToOverride, `${path}.groupsToOverride`),
    iamRolesToOverride: stringArray(value.iamRolesToOverride, `${path}.iamRolesToOverride`),
  };
  const preferredRole = value.preferredRole;
  if (typeof preferredRole === 'string') {
    if (preferredRole !== '') parsed.preferredRole = preferredRole;
  } else if (!absent(preferredRole)) {
    throw invalid(`${path}.preferredRole must be a string or null.`);
  }
  return parsed;
}

/** Checks an incoming pre token generation event; throws InvalidEventError naming the bad field. */
export function parsePreTokenEvent(event: unknown): PreTokenEvent {
  if (!isObject(event)) throw invalid('expected a Cognito pre token generation event object.');
  const version = parseVersion(event.version);
  const triggerSource = PRE_TOKEN_TRIGGER_SOURCES.find((source) => source === event.triggerSource);
  if (triggerSource === undefined) {
    throw invalid(`triggerSource must be one of ${PRE_TOKEN_TRIGGER_SOURCES.join(', ')}.`);
  }
  if (triggerSource === CLIENT_CREDENTIALS && version !== '3') {
    throw invalid(`triggerSource ${CLIENT_CREDENTIALS} needs version 3, got version ${version}.`);
  }
  if (!isObject(event.request)) throw invalid('request must be an object.');
  const request = event.request;
  // A client-credentials (M2M) request has no user: attributes and groups may be absent.
  const hasUser = triggerSource !== CLIENT_CREDENTIALS;
  return {
    version,
    triggerSource,
    userAttributes: stringMap(request.userAttributes, 'request.userAttributes', hasUser),
    groupConfiguration: parseGroupConfiguration(request.groupConfiguration, hasUser),
    clientMetadata: stringMap(request.clientMetadata, 'request.clientMetadata', false),
    scopes: version === '1' ? [] : stringArray(request.scopes, 'request.scopes'),
  };
}
