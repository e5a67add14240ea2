import { afterEach, describe, expect, it, vi } from 'vitest';
import { makePreTokenGenerationHandler, type PreTokenTriggerEvent } from '../../../functions/preTokenGeneration/handler.js';
import { InvalidEventError } from '../../../shared/errors.js';
import { loadPreTokenConfig, PRETOKEN_VARIABLES } from '../../../shared/pretoken/config.js';
import { sampleEvent } from '../../support/events.js';
import { capturingLogger } from '../../support/logs.js';

const ADMIN_ROLE = 'arn:aws:iam::123456789012:role/cognito-auth-triggers-dev-admin';

/** What a deployment might set: the README example plus a little of everything. */
const env = {
  PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"tenant_id":"custom:tenant_id","tier":{"attribute":"custom:tier","type":"number"}}',
  PRETOKEN_STATIC_CLAIMS: '{"features":["export","audit"],"beta":true}',
  PRETOKEN_GROUP_ROLES: JSON.stringify([{ group: 'admins', roleArn: ADMIN_ROLE }]),
  PRETOKEN_GROUP_SCOPES: '{"admins":["orders-api/admin"]}',
  PRETOKEN_SUPPRESS_SCOPES: 'aws.cognito.signin.user.admin',
};

function handlerWith(settings: Record<string, string> = env) {
  const logs = capturingLogger();
  const handler = makePreTokenGenerationHandler({ config: loadPreTokenConfig(settings), logger: logs.logger });
  return { handler, logs };
}

async function respond(file: string, settings?: Record<string, string>) {
  const { handler, logs } = handlerWith(settings);
  const event = sampleEvent<PreTokenTriggerEvent>(`preTokenGeneration/${file}`);
  const result = (await handler(event)) as any;
  return { event, result, response: result.response, logs };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('version 1 events get claimsOverrideDetails with text claims (ID token only)', () => {
  it('v1 with groups: claims as strings, groups kept, the admins role preferred', async () => {
    const { event, result, response } = await respond('v1-with-groups.json');
    expect(result).toBe(event);
    expect(Object.keys(response)).toEqual(['claimsOverrideDetails']);
    expect(response.claimsOverrideDetails).toEqual({
      claimsToAddOrOverride: { tenant_id: 't-42', tier: '2', features: '["export","audit"]', beta: 'true' },
      claimsToSuppress: [],
      groupOverrideDetails: { groupsToOverride: ['admins', 'users'], iamRolesToOverride: [ADMIN_ROLE], preferredRole: ADMIN_ROLE },
    });
    for (const value of Object.values(response.claimsOverrideDetails.claimsToAddOrOverride)) expect(typeof value).toBe('string');
  });

  it('v1 without groups: no groups, no roles, no preferred role', async () => {
    const { response } = await respond('v1-without-groups.json');
    expect(response.claimsOverrideDetails.claimsToAddOrOverride).toEqual({ tenant_id: 't-42', tier: '1', features: '["export","audit"]', beta: 'true' });
    expect(response.claimsOverrideDetails.groupOverrideDetails).toEqual({ groupsToOverride: [], iamRolesToOverride: [] });
  });
});

describe('version 2 events get claimsAndScopeOverrideDetails with the claim types kept', () => {
  it('v2 with groups: typed claims in both tokens, group scopes added, roles and groups set', async () => {
    const { response } = await respond('v2-with-groups.json');
    expect(Object.keys(response)).toEqual(['claimsAndScopeOverrideDetails']);
    const claims = { tenant_id: 't-42', tier: 2, features: ['export', 'audit'], beta: true };
    expect(response.claimsAndScopeOverrideDetails).toEqual({
      idTokenGeneration: { claimsToAddOrOverride: claims, claimsToSuppress: [] },
      accessTokenGeneration: {
        claimsToAddOrOverride: claims,
        claimsToSuppress: [],
        scopesToAdd: ['orders-api/admin'],
        scopesToSuppress: ['aws.cognito.signin.user.admin'],
      },
      groupOverrideDetails: { groupsToOverride: ['admins', 'users'], iamRolesToOverride: [ADMIN_ROLE], preferredRole: ADMIN_ROLE },
    });
  });

  it('v2 without groups: no group scopes, empty groups and roles', async () => {
    const { response } = await respond('v2-without-groups.json');
    const details = response.claimsAndScopeOverrideDetails;
    expect(details.idTokenGeneration.claimsToAddOrOverride.tier).toBe(1);
    expect(details.accessTokenGeneration.scopesToAdd).toEqual([]);
    expect(details.groupOverrideDetails).toEqual({ groupsToOverride: [], iamRolesToOverride: [] });
  });

  it('a refresh-token event gets the same claims as the sign-in, so they survive a refresh', async () => {
    const signIn = await respond('v2-with-groups.json');
    const refresh = await respond('v2-refresh-tokens.json');
    expect(refresh.event.triggerSource).toBe('TokenGeneration_RefreshTokens');
    expect(refresh.response).toEqual(signIn.response);
  });

  it('a V3 client-credentials (M2M) event changes only the access token: no ID token, user claims or groups', async () => {
    const { response } = await respond('v3-client-credentials.json');
    expect(response).toEqual({
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: {
          claimsToAddOrOverride: { features: ['export', 'audit'], beta: true },
          claimsToSuppress: [],
          scopesToAdd: [],
          scopesToSuppress: ['aws.cognito.signin.user.admin'],
        },
      },
    });
  });

  it('with no settings at all (every PRETOKEN_* empty, as deployed by default) the groups are still copied', async () => {
    const empty = Object.fromEntries(PRETOKEN_VARIABLES.map((name) => [name, '']));
    const v1 = await respond('v1-with-groups.json', empty);
    expect(v1.response.claimsOverrideDetails).toEqual({
      claimsToAddOrOverride: {},
      claimsToSuppress: [],
      groupOverrideDetails: { groupsToOverride: ['admins', 'users'], iamRolesToOverride: [ADMIN_ROLE], preferredRole: ADMIN_ROLE },
    });
    const v2 = await respond('v2-with-groups.json', empty);
    expect(v2.response.claimsAndScopeOverrideDetails.groupOverrideDetails.groupsToOverride).toEqual(['admins', 'users']);
    expect(v2.response.claimsAndScopeOverrideDetails.accessTokenGeneration).toEqual({
      claimsToAddOrOverride: {},
      claimsToSuppress: [],
      scopesToAdd: [],
      scopesToSuppress: [],
    });
  });
});

describe('the log carries claim names, never values or the event', () => {
  it('names the claims and scopes, not the tenant, the email or the attributes', async () => {
    const { logs } = await respond('v2-with-groups.json');
    const line = JSON.parse(logs.lines.find((l) => l.includes('Token claims decided')) ?? '{}');
    expect(line).toMatchObject({
      version: '2',
      triggerSource: 'TokenGeneration_Authentication',
      idClaims: ['tenant_id', 'tier', 'features', 'beta'],
      accessClaims: ['tenant_id', 'tier', 'features', 'beta'],
      scopesAdded: ['orders-api/admin'],
      groups: 2,
    });
    const text = logs.text();
    for (const secret of ['t-42', 'jo@example.com', '7f3c9a52-5b1e-4c3a-9d2e-0a1b2c3d4e5f', 'userAttributes', 'given_name', 'export']) {
      expect(text).not.toContain(secret);
    }
  });

  it('a configured claim the user lacks is named as omitted, with the reason', async () => {
    const { handler, logs } = handlerWith();
    const event = sampleEvent('preTokenGeneration/v2-without-groups.json');
    delete event.request.userAttributes['custom:tenant_id'];
    event.request.userAttributes['custom:tier'] = 'gold';
    const result = (await handler(event)) as any;
    expect(result.response.claimsAndScopeOverrideDetails.idTokenGeneration.claimsToAddOrOverride).not.toHaveProperty('tenant_id');
    expect(logs.text()).toContain('"omittedClaims":[{"claim":"tenant_id","reason":"missing"},{"claim":"tier","reason":"invalid"}]');
    expect(logs.text()).not.toContain('gold');
  });
});

describe('a malformed event gets an InvalidEventError naming the field', () => {
  const cases: [string, (event: any) => unknown, string][] = [
    ['no request', (e) => ({ ...e, request: undefined }), 'request must be an object'],
    ['an unknown version', (e) => ({ ...e, version: '4' }), 'version must be one of 1, 2, 3'],
    ['another trigger', (e) => ({ ...e, triggerSource: 'PreSignUp_SignUp' }), 'triggerSource must be one of'],
    ['no userAttributes', (e) => ({ ...e, request: { ...e.request, userAttributes: undefined } }), 'request.userAttributes is missing'],
    ['a number attribute', (e) => ({ ...e, request: { ...e.request, userAttributes: { 'custom:tier': 2 } } }), 'request.userAttributes.custom:tier must be a string'],
    ['no groupConfiguration', (e) => ({ ...e, request: { ...e.request, groupConfiguration: null } }), 'request.groupConfiguration is missing'],
    ['scopes that are not a list', (e) => ({ ...e, request: { ...e.request, scopes: 'openid' } }), 'request.scopes must be an array'],
    ['client credentials on version 2', (e) => ({ ...e, triggerSource: 'TokenGeneration_ClientCredentials' }), 'needs version 3'],
    ['null', () => null, 'expected a Cognito pre token generation event object'],
  ];
  for (const [name, change, message] of cases) {
    it(`${name}: "${message}"`, async () => {
      const { handler, logs } = handlerWith();
      const event = change(sampleEvent('preTokenGeneration/v2-with-groups.json'));
      const error = await handler(event as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidEventError);
      expect((error as Error).message).toContain(message);
      expect(logs.text()).toContain('Trigger refused the request');
    });
  }
});

describe('configuration is checked once at cold start', () => {
  it('a reserved claim fails the cold start, naming the variable and the claim', async () => {
    vi.stubEnv('PRETOKEN_STATIC_CLAIMS', '{"sub":"someone-else"}');
    const error = await import('../../../functions/preTokenGeneration/index.js').catch((e: unknown) => e);
    expect((error as Error).name).toBe('ConfigError');
    expect((error as Error).message).toContain('PRETOKEN_STATIC_CLAIMS');
    expect((error as Error).message).toContain('"sub"');
  });

  it('a claim reserved in the access token cannot be suppressed', async () => {
    vi.stubEnv('PRETOKEN_SUPPRESS_ACCESS_CLAIMS', 'client_id');
    await expect(import('../../../functions/preTokenGeneration/index.js')).rejects.toThrow(/PRETOKEN_SUPPRESS_ACCESS_CLAIMS: claim "client_id" is reserved/);
  });

  it('a misspelt PRETOKEN_ variable fails the cold start, naming it', async () => {
    vi.stubEnv('PRETOKEN_STATIC_CLAIM', '{"app":"shop"}');
    await expect(import('../../../functions/preTokenGeneration/index.js')).rejects.toThrow('PRETOKEN_STATIC_CLAIM is not a known setting');
  });

  it('every PRETOKEN_* variable empty (the deployed default) loads and exports a handler', async () => {
    for (const name of PRETOKEN_VARIABLES) vi.stubEnv(name, '');
    const module = await import('../../../functions/preTokenGeneration/index.js');
    expect(typeof module.handler).toBe('function');
  });
});
