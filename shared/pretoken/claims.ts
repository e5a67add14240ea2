import {
  type AttributeClaim,
  type AttributeType,
  type ClaimValue,
  type JsonValue,
  MAX_CLIENT_METADATA_VALUE_LENGTH,
  type PreTokenConfig,
  SIMPLE_ID_CLAIMS,
  type Token,
  TOKENS,
} from './config.js';
import { CLIENT_CREDENTIALS, type PreTokenEvent, type PreTokenGroupConfiguration } from './event.js';

/** The pure decision of the pre token generation trigger: the `response` Cognito should receive. */

export interface GroupOverrideDetails {
  groupsToOverride: string[];
  iamRolesToOverride: string[];
  preferredRole?: string;
}

export interface PreTokenResponseV1 {
  claimsOverrideDetails: {
    claimsToAddOrOverride: Record<string, string>;
    claimsToSuppress: string[];
    groupOverrideDetails: GroupOverrideDetails;
  };
}

export interface IdTokenGeneration {
  claimsToAddOrOverride: Record<string, ClaimValue>;
  claimsToSuppress: string[];
}

export interface AccessTokenGeneration extends IdTokenGeneration {
  scopesToAdd: string[];
  scopesToSuppress: string[];
}

export interface PreTokenResponseV2 {
  claimsAndScopeOverrideDetails: {
    /** Absent for client-credentials (M2M) tokens, which have no ID token. */
    idTokenGeneration?: IdTokenGeneration;
    accessTokenGeneration: AccessTokenGeneration;
    /** Absent for client-credentials (M2M) tokens, which have no user groups. */
    groupOverrideDetails?: GroupOverrideDetails;
  };
}

export type PreTokenResponse = PreTokenResponseV1 | PreTokenResponseV2;

/** A configured claim that this user did not get, and why; carries no attribute value. */
export interface OmittedClaim {
  claim: string;
  reason: 'missing' | 'invalid';
}

export interface PreTokenDecision {
  response: PreTokenResponse;
  /** For the log: attribute claims left out because the attribute was missing or did not convert. */
  omittedClaims: OmittedClaim[];
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Converts attribute text to the configured type, or undefined when it does not fit. */
export function convertAttribute(text: string, type: AttributeType): ClaimValue | undefined {
  switch (type) {
    case 'string':
      return text;
    case 'number': {
      const trimmed = text.trim();
      if (!NUMBER.test(trimmed)) return undefined;
      const value = Number(trimmed);
      return Number.isFinite(value) ? value : undefined;
    }
    case 'boolean': {
      const lower = text.trim().toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      return undefined;
    }
    case 'json': {
      try {
        const value = JSON.parse(text) as JsonValue;
        return value === null ? undefined : value;
      } catch {
        return undefined;
      }
    }
    case 'string[]': {
      const items = text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
      return items.length === 0 ? undefined : items;
    }
  }
}

/** V1 tokens take only text: numbers and booleans become their text, arrays and objects JSON. */
export function toClaimText(value: ClaimValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

interface ResolvedClaim {
  claim: string;
  value: ClaimValue;
  tokens: readonly Token[];
}

function resolveAttributeClaims(
  rules: readonly AttributeClaim[],
  attributes: Readonly<Record<string, string>>,
): { resolved: ResolvedClaim[]; omitted: OmittedClaim[] } {
  const resolved: ResolvedClaim[] = [];
  const omitted: OmittedClaim[] = [];
  for (const rule of rules) {
    const text = Object.hasOwn(attributes, rule.attribute) ? attributes[rule.attribute] : undefined;
    if (text === undefined || text === '') {
      omitted.push({ claim: rule.claim, reason: 'missing' });
      continue;
    }
    const value = convertAttribute(text, rule.type);
    if (value === undefined) omitted.push({ claim: rule.claim, reason: 'invalid' });
    else resolved.push({ claim: rule.claim, value, tokens: rule.tokens });
  }
  return { resolved, omitted };
}

function clientMetadataClaims(config: PreTokenConfig, clientMetadata: Readonly<Record<string, string>>): ResolvedClaim[] {
  const claims: ResolvedClaim[] = [];
  for (const key of config.clientMetadataKeys) {
    const value = Object.hasOwn(clientMetadata, key) ? clientMetadata[key] : undefined;
    if (value === undefined || value === '' || value.length > MAX_CLIENT_METADATA_VALUE_LENGTH) continue;
    claims.push({ claim: `${config.clientMetadataPrefix}${key}`, value, tokens: TOKENS });
  }
  return claims;
}

/**
 * Collects the claims for one token. Claims from configuration come first; client metadata
 * claims are added last and never replace a claim that is already there.
 */
function claimsFor(token: Token, trusted: readonly ResolvedClaim[], fromClient: readonly ResolvedClaim[]): Map<string, ClaimValue> {
  const claims = new Map<string, ClaimValue>();
  for (const { claim, value, tokens } of trusted) if (tokens.includes(token)) claims.set(claim, value);
  for (const { claim, value, tokens } of fromClient) if (tokens.includes(token) && !claims.has(claim)) claims.set(claim, value);
  if (token === 'id') {
    for (const [claim, value] of claims) {
      if (typeof value !== 'string' && (SIMPLE_ID_CLAIMS as readonly string[]).includes(claim.toLowerCase())) {
        claims.set(claim, toClaimText(value));
      }
    }
  }
  return claims;
}

function groupOverride(config: PreTokenConfig, groups: PreTokenGroupConfiguration): GroupOverrideDetails {
  const userGroups = groups.groupsToOverride;
  const keep = config.keepGroups;
  // groupOverrideDetails replaces cognito:groups, so every group that should stay is copied.
  const groupsToOverride =
    keep.mode === 'all' ? [...userGroups] : keep.mode === 'none' ? [] : userGroups.filter((group) => keep.groups.includes(group));
  if (config.groupRoles.length === 0) {
    const copied: GroupOverrideDetails = { groupsToOverride, iamRolesToOverride: [...groups.iamRolesToOverride] };
    if (groups.preferredRole !== undefined) copied.preferredRole = groups.preferredRole;
    return copied;
  }
  // A role comes only with a group the token shows (configuration refuses mapping a dropped group).
  const roles = [...new Set(config.groupRoles.filter(({ group }) => groupsToOverride.includes(group)).map(({ roleArn }) => roleArn))];
  const details: GroupOverrideDetails = { groupsToOverride, iamRolesToOverride: roles };
  const preferredRole = roles[0];
  if (preferredRole !== undefined) details.preferredRole = preferredRole;
  return details;
}

function groupScopes(config: PreTokenConfig, userGroups: readonly string[]): string[] {
  const scopes = new Set<string>();
  for (const { group, scopes: granted } of config.groupScopes) {
    if (userGroups.includes(group)) for (const scope of granted) scopes.add(scope);
  }
  return [...scopes];
}

/** The whole decision, with the claims left out for this user (names only) for the log. */
export function decidePreToken(config: PreTokenConfig, event: PreTokenEvent): PreTokenDecision {
  const fromClient = clientMetadataClaims(config, event.clientMetadata);
  const staticClaims: ResolvedClaim[] = config.staticClaims.map(({ claim, value }) => ({ claim, value, tokens: TOKENS }));

  if (event.triggerSource === CLIENT_CREDENTIALS) {
    // Machine-to-machine: there is no user, so no attributes, groups or ID token.
    const accessClaims = claimsFor('access', staticClaims, fromClient);
    return {
      response: {
        claimsAndScopeOverrideDetails: {
          accessTokenGeneration: {
            claimsToAddOrOverride: Object.fromEntries(accessClaims),
            claimsToSuppress: [...config.suppressAccessClaims],
            scopesToAdd: [],
            scopesToSuppress: [...config.suppressScopes],
          },
        },
      },
      omittedClaims: [],
    };
  }

  const { resolved, omitted } = resolveAttributeClaims(config.attributeClaims, event.userAttributes);
  const trusted = [...resolved, ...staticClaims];
  const idClaims = claimsFor('id', trusted, fromClient);
  const groupOverrideDetails = groupOverride(config, event.groupConfiguration);

  if (event.version === '1') {
    const textClaims = [...idClaims].map(([claim, value]) => [claim, toClaimText(value)] as const);
    return {
      response: {
        claimsOverrideDetails: {
          claimsToAddOrOverride: Object.fromEntries(textClaims),
          claimsToSuppress: [...config.suppressIdClaims],
          groupOverrideDetails,
        },
      },
      omittedClaims: omitted.filter(({ claim }) => config.attributeClaims.some((rule) => rule.claim === claim && rule.tokens.includes('id'))),
    };
  }

  const accessClaims = claimsFor('access', trusted, fromClient);
  return {
    response: {
      claimsAndScopeOverrideDetails: {
        idTokenGeneration: {
          claimsToAddOrOverride: Object.fromEntries(idClaims),
          claimsToSuppress: [...config.suppressIdClaims],
        },
        accessTokenGeneration: {
          claimsToAddOrOverride: Object.fromEntries(accessClaims),
          claimsToSuppress: [...config.suppressAccessClaims],
          scopesToAdd: groupScopes(config, event.groupConfiguration.groupsToOverride),
          scopesToSuppress: [...config.suppressScopes],
        },
        groupOverrideDetails,
      },
    },
    omittedClaims: omitted,
  };
}

/**
 * The `response` for a parsed pre token generation event: V1 gets `claimsOverrideDetails`
 * (text claims, ID token only); V2/V3 get `claimsAndScopeOverrideDetails` with typed claims
 * for both tokens, scopes, and groups. A user attribute that is missing is simply left out.
 */
export function buildPreTokenResponse(config: PreTokenConfig, event: PreTokenEvent): PreTokenResponse {
  return decidePreToken(config, event).response;
}
