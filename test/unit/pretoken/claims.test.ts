import { describe, expect, it } from 'vitest';
import {
  buildPreTokenResponse,
  decidePreToken,
  type PreTokenResponse,
  type PreTokenResponseV1,
  type PreTokenResponseV2,
} from '../../../shared/pretoken/claims.js';
import { loadPreTokenConfig, type PreTokenConfig } from '../../../shared/pretoken/config.js';
import { parsePreTokenEvent } from '../../../shared/pretoken/event.js';
import { ADMIN_ROLE, COGNITO_DEFAULT_ROLE, EDITOR_ROLE, eventFrom, type MutableEvent, v1Event, v2Event, v3ClientCredentialsEvent } from './events.js';

function v1(response: PreTokenResponse): PreTokenResponseV1['claimsOverrideDetails'] {
  if (!('claimsOverrideDetails' in response)) throw new Error('expected a V1 response');
  return response.claimsOverrideDetails;
}

function v2(response: PreTokenResponse): PreTokenResponseV2['claimsAndScopeOverrideDetails'] {
  if (!('claimsAndScopeOverrideDetails' in response)) throw new Error('expected a V2/V3 response');
  return response.claimsAndScopeOverrideDetails;
}

function respond(env: Record<string, string>, event: object): PreTokenResponse {
  return buildPreTokenResponse(loadPreTokenConfig(env), parsePreTokenEvent(event));
}

function withGroups(base: object, groups: string[]): MutableEvent {
  const event = eventFrom(base);
  event.request.groupConfiguration = { groupsToOverride: groups, iamRolesToOverride: [], preferredRole: null };
  return event;
}

const TYPED_ATTRIBUTES = JSON.stringify({
  tenant_id: 'custom:tenant_id',
  tier: { attribute: 'custom:tier', type: 'number' },
  beta: { attribute: 'custom:beta', type: 'boolean' },
  regions: { attribute: 'custom:regions', type: 'string[]' },
  prefs: { attribute: 'custom:prefs', type: 'json' },
});

const GROUP_ROLES = JSON.stringify([
  { group: 'admins', roleArn: ADMIN_ROLE },
  { group: 'editors', roleArn: EDITOR_ROLE },
]);

describe('README example: admins get the admin role and every user a tenant_id claim', () => {
  const env = {
    PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"tenant_id":"custom:tenant_id"}',
    PRETOKEN_GROUP_ROLES: `[{"group":"admins","roleArn":"${ADMIN_ROLE}"}]`,
  };

  it('an admin gets tenant_id, keeps their groups and has the admin role as preferredRole', () => {
    const response = v1(respond(env, withGroups(v1Event, ['users', 'admins'])));
    expect(response).toEqual({
      claimsToAddOrOverride: { tenant_id: 't-42' },
      claimsToSuppress: [],
      groupOverrideDetails: { groupsToOverride: ['users', 'admins'], iamRolesToOverride: [ADMIN_ROLE], preferredRole: ADMIN_ROLE },
    });
  });

  it('a user outside admins gets tenant_id, keeps their groups and gets no role', () => {
    const response = v1(respond(env, withGroups(v1Event, ['users'])));
    expect(response.claimsToAddOrOverride).toEqual({ tenant_id: 't-42' });
    expect(response.groupOverrideDetails).toEqual({ groupsToOverride: ['users'], iamRolesToOverride: [] });
  });

  it('works the same way with a V2 trigger, adding tenant_id to both tokens', () => {
    const response = v2(respond(env, withGroups(v2Event, ['admins'])));
    expect(response.idTokenGeneration?.claimsToAddOrOverride).toEqual({ tenant_id: 't-42' });
    expect(response.accessTokenGeneration.claimsToAddOrOverride).toEqual({ tenant_id: 't-42' });
    expect(response.groupOverrideDetails?.preferredRole).toBe(ADMIN_ROLE);
  });
});

describe('claims from attributes', () => {
  it('V1: every claim value is a string', () => {
    const response = v1(respond({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: TYPED_ATTRIBUTES, PRETOKEN_STATIC_CLAIMS: '{"app":"shop","level":3,"on":false,"list":["a"]}' }, eventFrom(v1Event)));
    expect(response.claimsToAddOrOverride).toEqual({
      tenant_id: 't-42',
      tier: '2',
      beta: 'true',
      regions: '["eu-west-1","us-east-1"]',
      prefs: '{"theme":"dark"}',
      app: 'shop',
      level: '3',
      on: 'false',
      list: '["a"]',
    });
  });

  it('V2: claim values keep their types in both tokens', () => {
    const response = v2(respond({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: TYPED_ATTRIBUTES, PRETOKEN_STATIC_CLAIMS: '{"level":3}' }, eventFrom(v2Event)));
    const expected = {
      tenant_id: 't-42',
      tier: 2,
      beta: true,
      regions: ['eu-west-1', 'us-east-1'],
      prefs: { theme: 'dark' },
      level: 3,
    };
    expect(response.idTokenGeneration?.claimsToAddOrOverride).toEqual(expected);
    expect(response.accessTokenGeneration.claimsToAddOrOverride).toEqual(expected);
  });

  it('sends a claim only to the tokens it is configured for', () => {
    const env = { PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"tier":{"attribute":"custom:tier","type":"number","tokens":["access"]},"tenant_id":{"attribute":"custom:tenant_id","tokens":["id"]}}' };
    const response = v2(respond(env, eventFrom(v2Event)));
    expect(response.idTokenGeneration?.claimsToAddOrOverride).toEqual({ tenant_id: 't-42' });
    expect(response.accessTokenGeneration.claimsToAddOrOverride).toEqual({ tier: 2 });
    expect(v1(respond(env, eventFrom(v1Event))).claimsToAddOrOverride).toEqual({ tenant_id: 't-42' });
  });

  it('leaves out a claim whose attribute the user does not have, without failing', () => {
    const event = eventFrom(v2Event);
    event.request.userAttributes = { sub: 'a1b2', email: 'jo@example.com' };
    const decision = decidePreToken(loadPreTokenConfig({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"tenant_id":"custom:tenant_id","mail":"email"}' }), parsePreTokenEvent(event));
    expect(v2(decision.response).idTokenGeneration?.claimsToAddOrOverride).toEqual({ mail: 'jo@example.com' });
    expect(decision.omittedClaims).toEqual([{ claim: 'tenant_id', reason: 'missing' }]);
  });

  it('treats an empty attribute as missing', () => {
    const event = eventFrom(v1Event);
    (event.request.userAttributes as Record<string, string>)['custom:tenant_id'] = '';
    expect(v1(respond({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"tenant_id":"custom:tenant_id"}' }, event)).claimsToAddOrOverride).toEqual({});
  });

  it.each([
    ['number', 'two'],
    ['number', '0x10'],
    ['boolean', 'yes'],
    ['json', '{broken'],
    ['json', 'null'],
    ['string[]', ' , '],
  ])('leaves out a %s claim whose attribute is "%s", reporting it as invalid', (type, text) => {
    const event = eventFrom(v2Event);
    (event.request.userAttributes as Record<string, string>)['custom:x'] = text;
    const config = loadPreTokenConfig({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: JSON.stringify({ x: { attribute: 'custom:x', type } }) });
    const decision = decidePreToken(config, parsePreTokenEvent(event));
    expect(v2(decision.response).accessTokenGeneration.claimsToAddOrOverride).toEqual({});
    expect(decision.omittedClaims).toEqual([{ claim: 'x', reason: 'invalid' }]);
  });

  it('keeps email_verified, phone_number_verified, updated_at and address as text in the ID token even if a typed value reaches them', () => {
    const base = loadPreTokenConfig({});
    const config: PreTokenConfig = { ...base, staticClaims: [{ claim: 'updated_at', value: 1700000000 }, { claim: 'address', value: { country: 'NZ' } }] };
    const response = v2(buildPreTokenResponse(config, parsePreTokenEvent(eventFrom(v2Event))));
    expect(response.idTokenGeneration?.claimsToAddOrOverride).toEqual({ updated_at: '1700000000', address: '{"country":"NZ"}' });
    expect(response.accessTokenGeneration.claimsToAddOrOverride).toEqual({ updated_at: 1700000000, address: { country: 'NZ' } });
  });
});

describe('suppressed claims', () => {
  const env = { PRETOKEN_SUPPRESS_ID_CLAIMS: 'phone_number', PRETOKEN_SUPPRESS_ACCESS_CLAIMS: 'custom:internal' };

  it('V1 suppresses only the ID-token list', () => {
    expect(v1(respond(env, eventFrom(v1Event))).claimsToSuppress).toEqual(['phone_number']);
  });

  it('V2 suppresses each list from its own token', () => {
    const response = v2(respond(env, eventFrom(v2Event)));
    expect(response.idTokenGeneration?.claimsToSuppress).toEqual(['phone_number']);
    expect(response.accessTokenGeneration.claimsToSuppress).toEqual(['custom:internal']);
  });
});

describe('group → role precedence', () => {
  it('lists the roles of the user’s mapped groups in configured precedence, not in the order of the event', () => {
    const details = v1(respond({ PRETOKEN_GROUP_ROLES: GROUP_ROLES }, withGroups(v1Event, ['editors', 'users', 'admins']))).groupOverrideDetails;
    expect(details.iamRolesToOverride).toEqual([ADMIN_ROLE, EDITOR_ROLE]);
    expect(details.preferredRole).toBe(ADMIN_ROLE);
  });

  it('gives the highest-precedence group the user is in as preferredRole', () => {
    const details = v1(respond({ PRETOKEN_GROUP_ROLES: GROUP_ROLES }, withGroups(v1Event, ['editors']))).groupOverrideDetails;
    expect(details).toEqual({ groupsToOverride: ['editors'], iamRolesToOverride: [EDITOR_ROLE], preferredRole: EDITOR_ROLE });
  });

  it('lists a role shared by two groups once', () => {
    const env = { PRETOKEN_GROUP_ROLES: JSON.stringify([{ group: 'admins', roleArn: ADMIN_ROLE }, { group: 'owners', roleArn: ADMIN_ROLE }]) };
    expect(v1(respond(env, withGroups(v1Event, ['owners', 'admins']))).groupOverrideDetails.iamRolesToOverride).toEqual([ADMIN_ROLE]);
  });

  it('replaces Cognito’s own roles when a mapping is configured: a user in no mapped group gets none', () => {
    const details = v1(respond({ PRETOKEN_GROUP_ROLES: GROUP_ROLES }, eventFrom(v1Event))).groupOverrideDetails;
    expect(details).toEqual({ groupsToOverride: ['users'], iamRolesToOverride: [] });
  });

  it('copies Cognito’s own roles and preferredRole when no mapping is configured', () => {
    const details = v2(respond({}, eventFrom(v2Event))).groupOverrideDetails;
    expect(details).toEqual({ groupsToOverride: ['users'], iamRolesToOverride: [COGNITO_DEFAULT_ROLE], preferredRole: COGNITO_DEFAULT_ROLE });
  });
});

describe('groups kept or dropped', () => {
  it('copies every group by default, since groupOverrideDetails replaces cognito:groups', () => {
    expect(v1(respond({}, withGroups(v1Event, ['users', 'admins']))).groupOverrideDetails.groupsToOverride).toEqual(['users', 'admins']);
  });

  it('drops every group when PRETOKEN_KEEP_GROUPS is false', () => {
    const details = v1(respond({ PRETOKEN_KEEP_GROUPS: 'false' }, withGroups(v1Event, ['users', 'admins']))).groupOverrideDetails;
    expect(details.groupsToOverride).toEqual([]);
  });

  it('grants a mapped role only with a group the token keeps', () => {
    const env = { PRETOKEN_KEEP_GROUPS: 'admins,editors', PRETOKEN_GROUP_ROLES: GROUP_ROLES };
    expect(v1(respond(env, withGroups(v1Event, ['users', 'admins']))).groupOverrideDetails).toEqual({
      groupsToOverride: ['admins'],
      iamRolesToOverride: [ADMIN_ROLE],
      preferredRole: ADMIN_ROLE,
    });
    expect(v1(respond(env, withGroups(v1Event, ['users']))).groupOverrideDetails).toEqual({ groupsToOverride: [], iamRolesToOverride: [] });
  });

  it('keeps only the listed groups, in the event’s order', () => {
    const response = v2(respond({ PRETOKEN_KEEP_GROUPS: 'admins,users' }, withGroups(v2Event, ['users', 'internal-ops', 'admins'])));
    expect(response.groupOverrideDetails?.groupsToOverride).toEqual(['users', 'admins']);
  });
});

describe('scopes', () => {
  const env = {
    PRETOKEN_GROUP_SCOPES: '{"admins":["api/admin","api/write"],"editors":["api/write"],"billing":["api/billing"]}',
    PRETOKEN_SUPPRESS_SCOPES: 'aws.cognito.signin.user.admin',
  };

  it('adds the scopes of every group the user is in, once each, and suppresses the configured scopes', () => {
    const access = v2(respond(env, withGroups(v2Event, ['editors', 'admins']))).accessTokenGeneration;
    expect(access.scopesToAdd).toEqual(['api/admin', 'api/write']);
    expect(access.scopesToSuppress).toEqual(['aws.cognito.signin.user.admin']);
  });

  it('adds no scopes for a user in no configured group', () => {
    expect(v2(respond(env, withGroups(v2Event, ['users']))).accessTokenGeneration.scopesToAdd).toEqual([]);
  });

  it('V1 has no scopes to change: its response holds only ID-token claims and groups', () => {
    expect(respond(env, withGroups(v1Event, ['admins']))).toEqual({
      claimsOverrideDetails: {
        claimsToAddOrOverride: {},
        claimsToSuppress: [],
        groupOverrideDetails: { groupsToOverride: ['admins'], iamRolesToOverride: [] },
      },
    });
  });
});

describe('client metadata claims', () => {
  function withMetadata(base: object, metadata: Record<string, string>): MutableEvent {
    const event = eventFrom(base);
    event.request.clientMetadata = metadata;
    return event;
  }

  it('are ignored unless the key is allow-listed', () => {
    const event = withMetadata(v2Event, { locale: 'en-GB', plan: 'gold' });
    const response = v2(respond({}, event));
    expect(response.idTokenGeneration?.claimsToAddOrOverride).toEqual({});
    expect(response.accessTokenGeneration.claimsToAddOrOverride).toEqual({});
  });

  it('become string claims under the namespace prefix, only for allow-listed keys', () => {
    const event = withMetadata(v2Event, { locale: 'en-GB', plan: 'gold' });
    const response = v2(respond({ PRETOKEN_CLIENT_METADATA_CLAIMS: 'locale' }, event));
    expect(response.idTokenGeneration?.claimsToAddOrOverride).toEqual({ 'client:locale': 'en-GB' });
    expect(response.accessTokenGeneration.claimsToAddOrOverride).toEqual({ 'client:locale': 'en-GB' });
    expect(v1(respond({ PRETOKEN_CLIENT_METADATA_CLAIMS: 'locale', PRETOKEN_CLIENT_METADATA_PREFIX: 'app:' }, withMetadata(v1Event, { locale: 'en-GB' }))).claimsToAddOrOverride).toEqual({ 'app:locale': 'en-GB' });
  });

  it('cannot forge an authorisation claim: a client-sent tenant_id stays namespaced and the attribute claim wins', () => {
    const env = {
      PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"tenant_id":"custom:tenant_id"}',
      PRETOKEN_GROUP_ROLES: `[{"group":"admins","roleArn":"${ADMIN_ROLE}"}]`,
      PRETOKEN_CLIENT_METADATA_CLAIMS: 'tenant_id',
    };
    const event = withMetadata(v2Event, { tenant_id: 't-evil', 'cognito:groups': 'admins', roleArn: ADMIN_ROLE });
    const response = v2(respond(env, event));
    expect(response.idTokenGeneration?.claimsToAddOrOverride).toEqual({ tenant_id: 't-42', 'client:tenant_id': 't-evil' });
    expect(response.accessTokenGeneration.claimsToAddOrOverride).toEqual({ tenant_id: 't-42', 'client:tenant_id': 't-evil' });
    expect(response.groupOverrideDetails).toEqual({ groupsToOverride: ['users'], iamRolesToOverride: [] });
  });

  it('never replace a claim already in the token, even if the configuration was built by hand', () => {
    const config: PreTokenConfig = { ...loadPreTokenConfig({}), staticClaims: [{ claim: 'client:plan', value: 'basic' }], clientMetadataKeys: ['plan'] };
    const response = v1(buildPreTokenResponse(config, parsePreTokenEvent(withMetadata(v1Event, { plan: 'gold' }))));
    expect(response.claimsToAddOrOverride).toEqual({ 'client:plan': 'basic' });
  });

  it('leave out empty values and values longer than 256 characters', () => {
    const event = withMetadata(v1Event, { a: '', b: 'x'.repeat(257), c: 'y'.repeat(256) });
    const response = v1(respond({ PRETOKEN_CLIENT_METADATA_CLAIMS: 'a,b,c' }, event));
    expect(response.claimsToAddOrOverride).toEqual({ 'client:c': 'y'.repeat(256) });
  });

  it('ignore inherited keys such as "constructor" that the client never sent', () => {
    const response = v1(respond({ PRETOKEN_CLIENT_METADATA_CLAIMS: 'constructor,toString' }, eventFrom(v1Event)));
    expect(response.claimsToAddOrOverride).toEqual({});
  });
});

describe('client-credentials (M2M) tokens', () => {
  const env = {
    PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"tenant_id":"custom:tenant_id"}',
    PRETOKEN_STATIC_CLAIMS: '{"api_tier":2}',
    PRETOKEN_SUPPRESS_ID_CLAIMS: 'email',
    PRETOKEN_SUPPRESS_ACCESS_CLAIMS: 'custom:internal',
    PRETOKEN_GROUP_ROLES: GROUP_ROLES,
    PRETOKEN_GROUP_SCOPES: '{"admins":["api/admin"]}',
    PRETOKEN_SUPPRESS_SCOPES: 'api/legacy',
  };

  it('produce only access-token changes: no ID token, no groups, no attribute claims', () => {
    expect(respond(env, eventFrom(v3ClientCredentialsEvent))).toEqual({
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: {
          claimsToAddOrOverride: { api_tier: 2 },
          claimsToSuppress: ['custom:internal'],
          scopesToAdd: [],
          scopesToSuppress: ['api/legacy'],
        },
      },
    });
  });

  it('still ignore user attributes and groups if Cognito sends some', () => {
    const event = eventFrom(v3ClientCredentialsEvent);
    event.request.userAttributes = { 'custom:tenant_id': 't-42' };
    event.request.groupConfiguration = { groupsToOverride: ['admins'], iamRolesToOverride: [] };
    const response = v2(respond(env, event));
    expect(response.accessTokenGeneration.claimsToAddOrOverride).toEqual({ api_tier: 2 });
    expect(response.accessTokenGeneration.scopesToAdd).toEqual([]);
    expect(response).not.toHaveProperty('groupOverrideDetails');
  });
});
