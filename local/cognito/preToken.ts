import type { PoolConfig } from './pool.js';
import type { TokenShaping } from './tokens.js';
import { invokeTrigger, triggerEvent, type InvokeListener, type TriggerContext, type Triggers } from './triggers.js';
import type { PoolUser } from './users.js';

/**
 * Pre token generation as Cognito runs it before issuing tokens (DG: "Pre token generation Lambda
 * trigger"): V1 events get `claimsOverrideDetails` (ID token only), V2 `claimsAndScopeOverrideDetails`
 * (ID and access tokens, scopes); `groupOverrideDetails` replaces the groups and roles.
 */

export type TokenGenerationSource = 'TokenGeneration_Authentication' | 'TokenGeneration_RefreshTokens' | 'TokenGeneration_NewPasswordChallenge';

const NO_SHAPING: TokenShaping = {
  idClaims: {},
  idSuppress: [],
  accessClaims: {},
  accessSuppress: [],
  scopesToAdd: [],
  scopesToSuppress: [],
  groups: undefined,
  roles: undefined,
  preferredRole: undefined,
};

const obj = (value: unknown): Record<string, any> => (value !== null && typeof value === 'object' ? (value as Record<string, any>) : {});
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

export async function shapeTokens(input: {
  pool: PoolConfig;
  triggers: Triggers;
  context: TriggerContext;
  user: PoolUser;
  source: TokenGenerationSource;
  clientMetadata: Record<string, string> | undefined;
  onInvoke?: InvokeListener | undefined;
}): Promise<TokenShaping> {
  if (input.triggers.preTokenGeneration === undefined) return NO_SHAPING;
  const v2 = input.pool.preTokenVersion === '2';
  const request = {
    userAttributes: { ...input.user.attributes },
    groupConfiguration: { groupsToOverride: [...input.user.groups], iamRolesToOverride: [], preferredRole: null },
    ...(v2 ? { scopes: ['aws.cognito.signin.user.admin'] } : {}),
    ...(input.clientMetadata ? { clientMetadata: input.clientMetadata } : {}),
  };
  const event = triggerEvent(input.context, input.source, input.user.username, request, v2 ? { claimsAndScopeOverrideDetails: null } : { claimsOverrideDetails: null }, input.pool.preTokenVersion);
  const result = await invokeTrigger(input.triggers, 'preTokenGeneration', event, input.onInvoke);
  if (!v2) {
    const details = obj(result.response.claimsOverrideDetails);
    const groups = obj(details.groupOverrideDetails);
    return {
      ...NO_SHAPING,
      // V1 claim values reach the ID token as strings.
      idClaims: Object.fromEntries(Object.entries(obj(details.claimsToAddOrOverride)).map(([name, value]) => [name, String(value)])),
      idSuppress: strings(details.claimsToSuppress),
      groups: 'groupsToOverride' in groups ? strings(groups.groupsToOverride) : undefined,
      roles: 'iamRolesToOverride' in groups ? strings(groups.iamRolesToOverride) : undefined,
      preferredRole: typeof groups.preferredRole === 'string' ? groups.preferredRole : undefined,
    };
  }
  const details = obj(result.response.claimsAndScopeOverrideDetails);
  const id = obj(details.idTokenGeneration);
  const access = obj(details.accessTokenGeneration);
  const groups = obj(details.groupOverrideDetails);
  return {
    idClaims: obj(id.claimsToAddOrOverride),
    idSuppress: strings(id.claimsToSuppress),
    accessClaims: obj(access.claimsToAddOrOverride),
    accessSuppress: strings(access.claimsToSuppress),
    scopesToAdd: strings(access.scopesToAdd),
    scopesToSuppress: strings(access.scopesToSuppress),
    groups: 'groupsToOverride' in groups ? strings(groups.groupsToOverride) : undefined,
    roles: 'iamRolesToOverride' in groups ? strings(groups.iamRolesToOverride) : undefined,
    preferredRole: typeof groups.preferredRole === 'string' ? groups.preferredRole : undefined,
  };
}
