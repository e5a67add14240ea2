import type { Logger } from '@aws-lambda-powertools/logger';
import { wrapTrigger } from '../../shared/handler.js';
import type { PreTokenConfig } from '../../shared/pretoken/config.js';
import { decidePreToken, type PreTokenResponse } from '../../shared/pretoken/claims.js';
import { parsePreTokenEvent } from '../../shared/pretoken/event.js';

/**
 * A pre token generation event of any version (V1, V2 or V3), as far as the handler touches it:
 * the library checks every field, the handler only replaces `response`.
 */
export interface PreTokenTriggerEvent {
  version?: unknown;
  triggerSource?: unknown;
  userName?: unknown;
  request?: unknown;
  response?: unknown;
  [key: string]: unknown;
}

const claimNames = (generation: { claimsToAddOrOverride: object } | undefined) =>
  generation === undefined ? undefined : Object.keys(generation.claimsToAddOrOverride);

/** Names of the claims and scopes a response changes, for the log: never a claim value. */
export function describeResponse(response: PreTokenResponse): Record<string, unknown> {
  if ('claimsOverrideDetails' in response) {
    const v1 = response.claimsOverrideDetails;
    return { idClaims: claimNames(v1), idSuppressed: v1.claimsToSuppress, groups: v1.groupOverrideDetails.groupsToOverride.length };
  }
  const { idTokenGeneration: id, accessTokenGeneration: access, groupOverrideDetails } = response.claimsAndScopeOverrideDetails;
  return {
    idClaims: claimNames(id),
    idSuppressed: id?.claimsToSuppress,
    accessClaims: claimNames(access),
    accessSuppressed: access.claimsToSuppress,
    scopesAdded: access.scopesToAdd,
    scopesSuppressed: access.scopesToSuppress,
    groups: groupOverrideDetails?.groupsToOverride.length,
  };
}

/**
 * The pre token generation trigger: checks the event, decides the claims, scopes and groups from
 * the configuration, and answers in the shape of the event's version — `claimsOverrideDetails`
 * for "1", `claimsAndScopeOverrideDetails` for "2" and "3".
 */
export function makePreTokenGenerationHandler(deps: { config: PreTokenConfig; logger: Logger }) {
  return wrapTrigger<PreTokenTriggerEvent>(deps.logger, async (event) => {
    const request = parsePreTokenEvent(event);
    const { response, omittedClaims } = decidePreToken(deps.config, request);
    // Claim names, counts and reasons only: attribute values may be personal data.
    deps.logger.info('Token claims decided', {
      version: request.version,
      ...describeResponse(response),
      ...(omittedClaims.length > 0 ? { omittedClaims } : {}),
    });
    event.response = response;
    return event;
  });
}
