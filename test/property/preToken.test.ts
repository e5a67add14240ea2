import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makePreTokenGenerationHandler } from '../../functions/preTokenGeneration/handler.js';
import { loadPreTokenConfig, type PreTokenConfig, RESERVED_ACCESS_CLAIMS, RESERVED_CLAIMS, SIMPLE_ID_CLAIMS } from '../../shared/pretoken/config.js';
import { sampleEvent } from '../support/events.js';
import { capturingLogger } from '../support/logs.js';
import {
  anyJunk,
  asCognitoSeesIt,
  expectNoPrototypePollution,
  expectSuiteRefusal,
  freshFrom,
  hugeString,
  isStringArray,
  isStringMap,
  jsonJunk,
  mutatedEvent,
  oddString,
  prototypeJunk,
  settle,
  triggerSourceJunk,
} from './support.js';

/**
 * Pre token generation under random and mutated events (V1, V2, V3): it answers in the shape of
 * the event's version, never adds a reserved claim or lets client metadata set anything but its
 * own prefixed claims, or refuses with the suite's own error.
 */

const SAMPLES = readdirSync(join(__dirname, '..', '..', 'events', 'preTokenGeneration')).map((file) => sampleEvent(`preTokenGeneration/${file}`));
const logs = capturingLogger();

const ADMIN_ROLE = 'arn:aws:iam::123456789012:role/Admin';
const USER_ROLE = 'arn:aws:iam::123456789012:role/User';
const CONFIGS: { name: string; config: PreTokenConfig }[] = [
  { name: 'no settings', config: loadPreTokenConfig({}) },
  {
    name: 'every setting',
    config: loadPreTokenConfig({
      PRETOKEN_CLAIMS_FROM_ATTRIBUTES: JSON.stringify({
        tenant_id: 'custom:tenant_id',
        tier: { attribute: 'custom:tier', type: 'number', tokens: ['access'] },
        beta: { attribute: 'custom:beta', type: 'boolean' },
        prefs: { attribute: 'custom:prefs', type: 'json', tokens: ['access'] },
        regions: { attribute: 'custom:regions', type: 'string[]' },
        email_verified: 'email_verified',
      }),
      PRETOKEN_STATIC_CLAIMS: JSON.stringify({ app: 'shop', level: 2, features: ['export'], limits: { daily: 5 } }),
      PRETOKEN_SUPPRESS_ID_CLAIMS: 'phone_number',
      PRETOKEN_SUPPRESS_ACCESS_CLAIMS: 'custom:internal',
      PRETOKEN_GROUP_ROLES: JSON.stringify([{ group: 'admins', roleArn: ADMIN_ROLE }, { group: 'users', roleArn: USER_ROLE }]),
      PRETOKEN_KEEP_GROUPS: 'admins,users',
      PRETOKEN_GROUP_SCOPES: JSON.stringify({ admins: ['orders-api/admin'], users: ['orders-api/read'] }),
      PRETOKEN_SUPPRESS_SCOPES: 'aws.cognito.signin.user.admin',
      PRETOKEN_CLIENT_METADATA_CLAIMS: 'app_version,__proto__,constructor,tenant_id',
    }),
  },
  { name: 'groups dropped, other prefix', config: loadPreTokenConfig({ PRETOKEN_KEEP_GROUPS: 'false', PRETOKEN_CLIENT_METADATA_CLAIMS: 'sub,device', PRETOKEN_CLIENT_METADATA_PREFIX: 'app:' }) },
];
const HANDLERS = CONFIGS.map(({ config }) => makePreTokenGenerationHandler({ config, logger: logs.logger }));
const configArb = fc.nat({ max: CONFIGS.length - 1 });

const RESERVED = new Set<string>(RESERVED_CLAIMS);
const RESERVED_ACCESS = new Set<string>([...RESERVED_CLAIMS, ...RESERVED_ACCESS_CLAIMS]);

/** A claim value: not null itself; inside arrays and objects any JSON (a `json` attribute may hold a nested null). */
function isClaimValue(value: unknown): boolean {
  return value !== null && value !== undefined && isJson(value);
}
function isJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJson);
  return typeof value === 'object' && value !== undefined && Object.values(value).every(isJson);
}

/** Claims any token may receive: never reserved, never `cognito:`; client-set claims only under the prefix, with the client's own value. */
function expectClaims(claims: unknown, token: 'id' | 'access', config: PreTokenConfig, clientMetadata: Record<string, unknown>, textOnly: boolean): void {
  expect(typeof claims === 'object' && claims !== null && !Array.isArray(claims), 'claimsToAddOrOverride is an object').toBe(true);
  for (const [claim, value] of Object.entries(claims as Record<string, unknown>)) {
    const lower = claim.toLowerCase();
    expect((token === 'id' ? RESERVED : RESERVED_ACCESS).has(lower) || lower.startsWith('cognito:'), `reserved claim ${claim}`).toBe(false);
    if (textOnly) expect(typeof value, `V1 claim ${claim} is text`).toBe('string');
    else expect(isClaimValue(value), `claim ${claim} has a JSON value`).toBe(true);
    if (token === 'id' && (SIMPLE_ID_CLAIMS as readonly string[]).includes(lower)) expect(typeof value).toBe('string');
    if (claim.startsWith(config.clientMetadataPrefix)) {
      const key = claim.slice(config.clientMetadataPrefix.length);
      expect(config.clientMetadataKeys).toContain(key);
      expect(value).toBe(clientMetadata[key]);
    }
  }
}

function expectGroups(details: any, config: PreTokenConfig, event: any): void {
  expect(isStringArray(details?.groupsToOverride)).toBe(true);
  expect(isStringArray(details?.iamRolesToOverride)).toBe(true);
  expect([undefined, 'string']).toContain(details.preferredRole === undefined ? undefined : typeof details.preferredRole);
  const userGroups: unknown[] = event.request.groupConfiguration?.groupsToOverride ?? [];
  for (const group of details.groupsToOverride) expect(userGroups, 'only the user\'s own groups are kept').toContain(group);
  if (config.groupRoles.length > 0) {
    for (const role of details.iamRolesToOverride) expect(config.groupRoles.map((entry) => entry.roleArn)).toContain(role);
  }
}

/** The answer in the shape of the event's version (COGNITO-REFERENCE §3, README "preTokenGeneration"). */
function expectPreTokenAnswer(result: unknown, event: any, config: PreTokenConfig): void {
  const response = asCognitoSeesIt(result)?.response;
  const version = String(event.version);
  const clientMetadata = (event.request.clientMetadata ?? {}) as Record<string, unknown>;
  expect(['1', '2', '3']).toContain(version);
  if (version === '1') {
    expect(Object.keys(response)).toEqual(['claimsOverrideDetails']);
    const v1 = response.claimsOverrideDetails;
    expect(isStringMap(v1.claimsToAddOrOverride), 'V1 claims are text').toBe(true);
    expectClaims(v1.claimsToAddOrOverride, 'id', config, clientMetadata, true);
    expect(isStringArray(v1.claimsToSuppress)).toBe(true);
    expectGroups(v1.groupOverrideDetails, config, event);
    return;
  }
  expect(Object.keys(response)).toEqual(['claimsAndScopeOverrideDetails']);
  const v2 = response.claimsAndScopeOverrideDetails;
  const access = v2.accessTokenGeneration;
  expectClaims(access.claimsToAddOrOverride, 'access', config, clientMetadata, false);
  expect(isStringArray(access.claimsToSuppress)).toBe(true);
  expect(isStringArray(access.scopesToAdd)).toBe(true);
  expect(isStringArray(access.scopesToSuppress)).toBe(true);
  for (const scope of access.scopesToAdd as string[]) expect(scope).toMatch(/^\S+$/);
  for (const claim of access.claimsToSuppress as string[]) expect(Object.keys(access.claimsToAddOrOverride)).not.toContain(claim);
  if (event.triggerSource === 'TokenGeneration_ClientCredentials') {
    expect(version).toBe('3');
    expect(v2.idTokenGeneration).toBeUndefined();
    expect(v2.groupOverrideDetails).toBeUndefined();
    return;
  }
  expectClaims(v2.idTokenGeneration.claimsToAddOrOverride, 'id', config, clientMetadata, false);
  expect(isStringArray(v2.idTokenGeneration.claimsToSuppress)).toBe(true);
  for (const claim of v2.idTokenGeneration.claimsToSuppress as string[]) expect(Object.keys(v2.idTokenGeneration.claimsToAddOrOverride)).not.toContain(claim);
  expectGroups(v2.groupOverrideDetails, config, event);
}

const attributeJunk = fc.oneof(
  fc.record(
    {
      'custom:tenant_id': fc.oneof(fc.constantFrom('t-42', ''), oddString, hugeString),
      'custom:tier': fc.oneof(fc.constantFrom('2', '-0', '1e400', 'NaN', '0x10', ' 7 ', '01'), oddString),
      'custom:beta': fc.oneof(fc.constantFrom('true', 'FALSE', 'yes'), oddString),
      'custom:prefs': fc.oneof(fc.constantFrom('{"theme":"dark"}', 'null', '[1,{"a":null}]', '{"__proto__":{"polluted":"yes"}}', '{'), oddString),
      'custom:regions': fc.oneof(fc.constantFrom('eu-west-1, us-east-1', ',,', ' '), oddString),
      email_verified: fc.oneof(fc.constantFrom('true', 'false'), oddString),
      sub: fc.uuid(),
    },
    { requiredKeys: [] },
  ),
  prototypeJunk,
  jsonJunk,
);
const clientMetadataJunk = fc.oneof(
  fc.record(
    { app_version: fc.oneof(fc.constantFrom('3.4.1', ''), oddString, hugeString), tenant_id: oddString, sub: fc.constantFrom('someone-else'), device: oddString, constructor: oddString },
    { requiredKeys: [] },
  ),
  fc.constant('{"__proto__":"x","app_version":"1"}').map((text) => JSON.parse(text) as unknown),
  prototypeJunk,
  jsonJunk,
);
const groupJunk = fc.oneof(
  fc.record(
    {
      groupsToOverride: fc.oneof(fc.array(fc.oneof(fc.constantFrom('admins', 'users', 'Admins', '__proto__'), oddString), { maxLength: 5 }), jsonJunk),
      iamRolesToOverride: fc.oneof(fc.array(fc.oneof(fc.constant(ADMIN_ROLE), oddString), { maxLength: 3 }), jsonJunk),
      preferredRole: fc.oneof(fc.constant(ADMIN_ROLE), fc.constant(null), jsonJunk),
    },
    { requiredKeys: [] },
  ),
  jsonJunk,
);
const fieldJunk = fc.oneof(
  triggerSourceJunk,
  fc.constantFrom('1', '2', '3', 1, 2, 3, '4', '01', ' 2', 2.5),
  attributeJunk,
  clientMetadataJunk,
  groupJunk,
  fc.array(fc.oneof(fc.constantFrom('openid', 'aws.cognito.signin.user.admin', 'has space'), oddString), { maxLength: 5 }),
  jsonJunk,
);

const tally = { answered: 0, refused: 0 };

async function runOne(configIndex: number, event: any) {
  logs.lines.length = 0;
  const handler = HANDLERS[configIndex] as (typeof HANDLERS)[number];
  const config = (CONFIGS[configIndex] as (typeof CONFIGS)[number]).config;
  const outcome = await settle(() => handler(event));
  if (outcome.ok) {
    tally.answered += 1;
    expectPreTokenAnswer(outcome.value, event, config);
  } else {
    tally.refused += 1;
    expectSuiteRefusal(outcome.error);
  }
  expectNoPrototypePollution();
}

describe('pre token generation under random and mutated events', () => {
  it('answers a mutated sample event in the shape of its version, or refuses with a TriggerError (4,000 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, mutatedEvent(SAMPLES, fieldJunk), async (configIndex, event) => {
        await runOne(configIndex, event);
      }),
      { numRuns: 4_000 },
    );
    expect(tally.answered).toBeGreaterThan(500);
    console.info(`PreToken, mutated events: ${JSON.stringify(tally)}`);
  }, 60_000);

  it('answers anything at all (fc.anything) in the shape of its version, or a TriggerError (2,000 runs)', async () => {
    Object.assign(tally, { answered: 0, refused: 0 });
    const eventArb = fc.oneof(
      { arbitrary: anyJunk, weight: 1 },
      {
        weight: 3,
        arbitrary: fc.record({
        version: fc.oneof({ arbitrary: fc.constantFrom('1', '2', '3'), weight: 4 }, anyJunk),
        triggerSource: fc.oneof({ arbitrary: fc.constantFrom('TokenGeneration_Authentication', 'TokenGeneration_RefreshTokens', 'TokenGeneration_ClientCredentials'), weight: 4 }, anyJunk),
        userName: anyJunk,
        request: fc.record(
          {
            userAttributes: fc.oneof({ arbitrary: freshFrom({ sub: 'a1b2', 'custom:tier': '2' }), weight: 4 }, attributeJunk, anyJunk),
            groupConfiguration: fc.oneof({ arbitrary: freshFrom({ groupsToOverride: ['admins'], iamRolesToOverride: [] }), weight: 4 }, groupJunk, anyJunk),
            clientMetadata: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, clientMetadataJunk, anyJunk),
            scopes: fc.oneof({ arbitrary: fc.array(oddString, { maxLength: 3 }), weight: 3 }, anyJunk),
          },
          { requiredKeys: [] },
        ),
        response: anyJunk,
        }),
      },
    );
    await fc.assert(
      fc.asyncProperty(configArb, eventArb, async (configIndex, event) => {
        await runOne(configIndex, event);
      }),
      { numRuns: 2_000 },
    );
    expect(tally.answered).toBeGreaterThan(100);
    console.info(`PreToken, anything: ${JSON.stringify(tally)}`);
  }, 60_000);
});
