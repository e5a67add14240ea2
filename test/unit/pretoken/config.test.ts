import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { loadPreTokenConfig, RESERVED_ACCESS_CLAIMS, RESERVED_CLAIMS } from '../../../shared/pretoken/config.js';

const ADMIN_ROLE = 'arn:aws:iam::123456789012:role/Admin';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadPreTokenConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('loadPreTokenConfig defaults', () => {
  it('with nothing set, adds no claims, keeps every group and namespaces client metadata under "client:"', () => {
    expect(loadPreTokenConfig({})).toEqual({
      attributeClaims: [],
      staticClaims: [],
      suppressIdClaims: [],
      suppressAccessClaims: [],
      groupRoles: [],
      keepGroups: { mode: 'all' },
      groupScopes: [],
      suppressScopes: [],
      clientMetadataKeys: [],
      clientMetadataPrefix: 'client:',
    });
  });

  it('treats empty and blank values as unset', () => {
    expect(loadPreTokenConfig({ PRETOKEN_STATIC_CLAIMS: '  ', PRETOKEN_KEEP_GROUPS: '' })).toEqual(loadPreTokenConfig({}));
  });

  it('refuses an unknown PRETOKEN_ variable, so a misspelt setting fails the cold start', () => {
    const error = configError({ PRETOKEN_STATIC_CLAIM: '{}' });
    expect(error.message).toContain('PRETOKEN_STATIC_CLAIM');
    expect(error.message).toContain('PRETOKEN_STATIC_CLAIMS');
  });
});

describe('PRETOKEN_CLAIMS_FROM_ATTRIBUTES', () => {
  it('maps a claim to an attribute as a string claim in both tokens when given just the attribute name', () => {
    const config = loadPreTokenConfig({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"tenant_id":"custom:tenant_id"}' });
    expect(config.attributeClaims).toEqual([{ claim: 'tenant_id', attribute: 'custom:tenant_id', type: 'string', tokens: ['id', 'access'] }]);
  });

  it('accepts an object with a type and the tokens that receive the claim', () => {
    const config = loadPreTokenConfig({
      PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"tier":{"attribute":"custom:tier","type":"number","tokens":["access"]},"regions":{"attribute":"custom:regions","type":"string[]"}}',
    });
    expect(config.attributeClaims).toEqual([
      { claim: 'tier', attribute: 'custom:tier', type: 'number', tokens: ['access'] },
      { claim: 'regions', attribute: 'custom:regions', type: 'string[]', tokens: ['id', 'access'] },
    ]);
  });

  it('refuses an unknown key in a claim definition, naming the key', () => {
    const error = configError({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"tier":{"attribute":"custom:tier","typ":"number"}}' });
    expect(error.message).toMatch(/PRETOKEN_CLAIMS_FROM_ATTRIBUTES.*"tier".*unknown key "typ"/);
  });

  it('refuses a type that is not string, number, boolean, json or string[]', () => {
    const error = configError({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"tier":{"attribute":"custom:tier","type":"integer"}}' });
    expect(error.message).toContain('string, number, boolean, json, string[]');
  });

  it('refuses tokens other than "id" and "access"', () => {
    const error = configError({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"tier":{"attribute":"custom:tier","tokens":["refresh"]}}' });
    expect(error.message).toContain('"tokens"');
  });

  it('refuses a source that is not an attribute name', () => {
    expect(configError({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"tier":42}' }).message).toContain('"tier"');
    expect(configError({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"tier":{"type":"number"}}' }).message).toContain('"attribute"');
  });

  it('refuses a JSON value that is not an object', () => {
    expect(configError({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '["custom:tenant_id"]' }).message).toContain('PRETOKEN_CLAIMS_FROM_ATTRIBUTES must be a JSON object');
  });

  it('refuses a non-string type for email_verified, phone_number_verified, updated_at or address in the ID token', () => {
    const error = configError({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"email_verified":{"attribute":"custom:ev","type":"boolean"}}' });
    expect(error.message).toContain('"email_verified"');
    expect(
      loadPreTokenConfig({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"updated_at":{"attribute":"custom:ts","type":"number","tokens":["access"]}}' }).attributeClaims,
    ).toHaveLength(1);
  });
});

describe('PRETOKEN_STATIC_CLAIMS', () => {
  it('keeps the JSON types of static claims', () => {
    const config = loadPreTokenConfig({ PRETOKEN_STATIC_CLAIMS: '{"app":"shop","tier":2,"beta":true,"regions":["eu"],"limits":{"rpm":60}}' });
    expect(config.staticClaims).toEqual([
      { claim: 'app', value: 'shop' },
      { claim: 'tier', value: 2 },
      { claim: 'beta', value: true },
      { claim: 'regions', value: ['eu'] },
      { claim: 'limits', value: { rpm: 60 } },
    ]);
  });

  it('refuses null values, naming the claim', () => {
    expect(configError({ PRETOKEN_STATIC_CLAIMS: '{"app":null}' }).message).toMatch(/PRETOKEN_STATIC_CLAIMS.*"app"/);
  });

  it('refuses a claim also set from an attribute', () => {
    const error = configError({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"tenant_id":"custom:tenant_id"}', PRETOKEN_STATIC_CLAIMS: '{"tenant_id":"t-1"}' });
    expect(error.message).toMatch(/"tenant_id".*PRETOKEN_CLAIMS_FROM_ATTRIBUTES/);
  });

  it('refuses a non-string updated_at, since static claims also go to the ID token', () => {
    expect(configError({ PRETOKEN_STATIC_CLAIMS: '{"updated_at":1700000000}' }).message).toContain('"updated_at"');
  });
});

describe('invalid JSON', () => {
  it.each(['PRETOKEN_CLAIMS_FROM_ATTRIBUTES', 'PRETOKEN_STATIC_CLAIMS', 'PRETOKEN_GROUP_ROLES', 'PRETOKEN_GROUP_SCOPES'])(
    'in %s fails the cold start naming the variable',
    (name) => {
      const error = configError({ [name]: "{'single':'quotes'}" });
      expect(error.message).toContain(`${name} is not valid JSON`);
    },
  );
});

describe('reserved claims', () => {
  const alwaysReserved = [...RESERVED_CLAIMS, 'cognito:groups', 'cognito:roles', 'cognito:preferred_role', 'Sub'];

  it.each(alwaysReserved)('"%s" in PRETOKEN_STATIC_CLAIMS fails the cold start naming the variable and the claim', (claim) => {
    const error = configError({ PRETOKEN_STATIC_CLAIMS: JSON.stringify({ [claim]: 'x' }) });
    expect(error.message).toContain('PRETOKEN_STATIC_CLAIMS');
    expect(error.message).toContain(`"${claim}"`);
  });

  it.each(alwaysReserved)('"%s" in PRETOKEN_CLAIMS_FROM_ATTRIBUTES fails the cold start naming it', (claim) => {
    const error = configError({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: JSON.stringify({ [claim]: { attribute: 'custom:x', tokens: ['id'] } }) });
    expect(error.message).toContain('PRETOKEN_CLAIMS_FROM_ATTRIBUTES');
    expect(error.message).toContain(`"${claim}"`);
  });

  it.each(alwaysReserved)('"%s" cannot be suppressed from either token', (claim) => {
    for (const name of ['PRETOKEN_SUPPRESS_ID_CLAIMS', 'PRETOKEN_SUPPRESS_ACCESS_CLAIMS']) {
      const error = configError({ [name]: `email,${claim}` });
      expect(error.message).toContain(name);
      expect(error.message).toContain(`"${claim}"`);
    }
  });

  it.each([...RESERVED_ACCESS_CLAIMS])('"%s" is refused for the access token but allowed in the ID token', (claim) => {
    const toAccess = configError({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: JSON.stringify({ [claim]: { attribute: 'custom:x', tokens: ['access'] } }) });
    expect(toAccess.message).toContain(`"${claim}"`);
    expect(configError({ PRETOKEN_STATIC_CLAIMS: JSON.stringify({ [claim]: 'x' }) }).message).toContain(`"${claim}"`);
    expect(configError({ PRETOKEN_SUPPRESS_ACCESS_CLAIMS: claim }).message).toContain(`"${claim}"`);

    const toId = loadPreTokenConfig({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: JSON.stringify({ [claim]: { attribute: 'custom:x', tokens: ['id'] } }) });
    expect(toId.attributeClaims[0]?.claim).toBe(claim);
  });

  it('allows "aud" only as an access-token claim, and never suppressed', () => {
    expect(configError({ PRETOKEN_STATIC_CLAIMS: '{"aud":"x"}' }).message).toContain('"aud" can only be added to the access token');
    expect(configError({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"aud":{"attribute":"custom:aud","tokens":["id"]}}' }).message).toContain('"aud"');
    expect(configError({ PRETOKEN_SUPPRESS_ID_CLAIMS: 'aud' }).message).toContain('"aud"');
    expect(configError({ PRETOKEN_SUPPRESS_ACCESS_CLAIMS: 'aud' }).message).toContain('"aud"');
    const config = loadPreTokenConfig({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"aud":{"attribute":"custom:aud","tokens":["access"]}}' });
    expect(config.attributeClaims[0]?.tokens).toEqual(['access']);
  });

  it('allows dev: attributes only in the suppress lists', () => {
    expect(configError({ PRETOKEN_STATIC_CLAIMS: '{"dev:flag":"x"}' }).message).toMatch(/"dev:flag".*only be suppressed/);
    expect(configError({ PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"dev:flag":"custom:flag"}' }).message).toContain('"dev:flag"');
    const config = loadPreTokenConfig({ PRETOKEN_SUPPRESS_ID_CLAIMS: 'dev:flag', PRETOKEN_SUPPRESS_ACCESS_CLAIMS: 'dev:flag' });
    expect(config.suppressIdClaims).toEqual(['dev:flag']);
    expect(config.suppressAccessClaims).toEqual(['dev:flag']);
  });
});

describe('suppressed claims', () => {
  it('reads comma lists, trimming and dropping duplicates', () => {
    const config = loadPreTokenConfig({ PRETOKEN_SUPPRESS_ID_CLAIMS: ' phone_number , email,phone_number', PRETOKEN_SUPPRESS_ACCESS_CLAIMS: 'custom:internal' });
    expect(config.suppressIdClaims).toEqual(['phone_number', 'email']);
    expect(config.suppressAccessClaims).toEqual(['custom:internal']);
  });

  it('refuses a claim that is both added and suppressed in the same token', () => {
    const error = configError({ PRETOKEN_STATIC_CLAIMS: '{"app":"shop"}', PRETOKEN_SUPPRESS_ACCESS_CLAIMS: 'app' });
    expect(error.message).toMatch(/PRETOKEN_SUPPRESS_ACCESS_CLAIMS.*"app".*PRETOKEN_STATIC_CLAIMS/);
  });

  it('allows suppressing from the ID token a claim that only goes to the access token', () => {
    const config = loadPreTokenConfig({
      PRETOKEN_CLAIMS_FROM_ATTRIBUTES: '{"tier":{"attribute":"custom:tier","tokens":["access"]}}',
      PRETOKEN_SUPPRESS_ID_CLAIMS: 'tier',
    });
    expect(config.suppressIdClaims).toEqual(['tier']);
  });
});

describe('PRETOKEN_GROUP_ROLES', () => {
  it('keeps the precedence order of the array', () => {
    const config = loadPreTokenConfig({
      PRETOKEN_GROUP_ROLES: `[{"group":"admins","roleArn":"${ADMIN_ROLE}"},{"group":"editors","roleArn":"arn:aws:iam::123456789012:role/teams/Editor"}]`,
    });
    expect(config.groupRoles.map(({ group }) => group)).toEqual(['admins', 'editors']);
  });

  it.each(['arn:aws:iam::123456789012:user/Admin', 'arn:aws:iam::12345:role/Admin', 'Admin', 'arn:aws:s3:::bucket'])(
    'refuses "%s" as a role ARN',
    (roleArn) => {
      const error = configError({ PRETOKEN_GROUP_ROLES: JSON.stringify([{ group: 'admins', roleArn }]) });
      expect(error.message).toContain('PRETOKEN_GROUP_ROLES[0]');
      expect(error.message).toContain('roleArn');
    },
  );

  it('accepts role ARNs of other partitions', () => {
    const config = loadPreTokenConfig({ PRETOKEN_GROUP_ROLES: '[{"group":"admins","roleArn":"arn:aws-us-gov:iam::123456789012:role/Admin"}]' });
    expect(config.groupRoles).toHaveLength(1);
  });

  it('refuses an unknown key in an entry, naming it', () => {
    const error = configError({ PRETOKEN_GROUP_ROLES: `[{"group":"admins","role":"${ADMIN_ROLE}"}]` });
    expect(error.message).toMatch(/PRETOKEN_GROUP_ROLES\[0\].*unknown key "role"/);
  });

  it('refuses a group listed twice', () => {
    const entry = { group: 'admins', roleArn: ADMIN_ROLE };
    expect(configError({ PRETOKEN_GROUP_ROLES: JSON.stringify([entry, entry]) }).message).toContain('listed twice');
  });

  it('refuses an object instead of an ordered array', () => {
    expect(configError({ PRETOKEN_GROUP_ROLES: `{"admins":"${ADMIN_ROLE}"}` }).message).toContain('PRETOKEN_GROUP_ROLES must be a JSON array');
  });
});

describe('PRETOKEN_KEEP_GROUPS', () => {
  it('keeps every group for "true", none for "false", and only the listed ones for a list', () => {
    expect(loadPreTokenConfig({ PRETOKEN_KEEP_GROUPS: 'TRUE' }).keepGroups).toEqual({ mode: 'all' });
    expect(loadPreTokenConfig({ PRETOKEN_KEEP_GROUPS: 'false' }).keepGroups).toEqual({ mode: 'none' });
    expect(loadPreTokenConfig({ PRETOKEN_KEEP_GROUPS: 'admins, editors' }).keepGroups).toEqual({ mode: 'only', groups: ['admins', 'editors'] });
  });
});

describe('scopes', () => {
  it('reads group scopes, dropping repeated scopes', () => {
    const config = loadPreTokenConfig({ PRETOKEN_GROUP_SCOPES: '{"admins":["api/admin","api/write","api/admin"],"editors":["api/write"]}' });
    expect(config.groupScopes).toEqual([
      { group: 'admins', scopes: ['api/admin', 'api/write'] },
      { group: 'editors', scopes: ['api/write'] },
    ]);
  });

  it('refuses a scope with a space, naming the group', () => {
    const error = configError({ PRETOKEN_GROUP_SCOPES: '{"admins":["api/read api/write"]}' });
    expect(error.message).toMatch(/PRETOKEN_GROUP_SCOPES group "admins".*no spaces/);
  });

  it('refuses scopes given as a string rather than an array', () => {
    expect(configError({ PRETOKEN_GROUP_SCOPES: '{"admins":"api/admin"}' }).message).toContain('non-empty array');
  });

  it('refuses a suppressed scope with a space inside it', () => {
    expect(configError({ PRETOKEN_SUPPRESS_SCOPES: 'api/read, api/ write' }).message).toContain('PRETOKEN_SUPPRESS_SCOPES');
  });

  it('refuses a scope that is both added and suppressed', () => {
    const error = configError({ PRETOKEN_GROUP_SCOPES: '{"admins":["api/admin"]}', PRETOKEN_SUPPRESS_SCOPES: 'api/admin' });
    expect(error.message).toMatch(/"api\/admin".*"admins"/);
  });
});

describe('client metadata claims', () => {
  it('are off by default and read as an allow-list of keys', () => {
    expect(loadPreTokenConfig({}).clientMetadataKeys).toEqual([]);
    expect(loadPreTokenConfig({ PRETOKEN_CLIENT_METADATA_CLAIMS: 'locale, app_version' }).clientMetadataKeys).toEqual(['locale', 'app_version']);
  });

  it.each(['cognito:', 'custom:', 'dev:', 'Cognito:'])('refuse the prefix "%s"', (prefix) => {
    expect(configError({ PRETOKEN_CLIENT_METADATA_PREFIX: prefix }).message).toContain('PRETOKEN_CLIENT_METADATA_PREFIX');
  });

  it.each(['client', 'x_', ':', 'has space:'])('refuse "%s" as a prefix, since the prefix must end in ":"', (prefix) => {
    expect(configError({ PRETOKEN_CLIENT_METADATA_PREFIX: prefix }).message).toContain('PRETOKEN_CLIENT_METADATA_PREFIX');
  });

  it('refuse a key whose namespaced claim is also produced by configuration', () => {
    const error = configError({ PRETOKEN_STATIC_CLAIMS: '{"app:plan":"gold"}', PRETOKEN_CLIENT_METADATA_PREFIX: 'app:', PRETOKEN_CLIENT_METADATA_CLAIMS: 'plan' });
    expect(error.message).toMatch(/PRETOKEN_CLIENT_METADATA_CLAIMS.*"app:plan".*PRETOKEN_STATIC_CLAIMS/);
  });

  it('refuse keys with characters outside letters, digits, "_", "." and "-"', () => {
    expect(configError({ PRETOKEN_CLIENT_METADATA_CLAIMS: 'a:b' }).message).toContain('"a:b"');
  });
});

describe('roles and the groups the token drops', () => {
  const roles = JSON.stringify([{ group: 'admins', roleArn: 'arn:aws:iam::123456789012:role/admin' }]);

  it.each([
    ['false', 'every group is dropped'],
    ['editors', 'admins is not in the list'],
  ])('PRETOKEN_KEEP_GROUPS=%s with a role for admins fails the cold start (%s)', (keep) => {
    expect(() => loadPreTokenConfig({ PRETOKEN_KEEP_GROUPS: keep, PRETOKEN_GROUP_ROLES: roles })).toThrow(
      /PRETOKEN_GROUP_ROLES maps group "admins" to a role, but PRETOKEN_KEEP_GROUPS drops that group/,
    );
  });

  it.each([['true'], ['admins,editors']])('PRETOKEN_KEEP_GROUPS=%s keeps admins, so its role is allowed', (keep) => {
    expect(loadPreTokenConfig({ PRETOKEN_KEEP_GROUPS: keep, PRETOKEN_GROUP_ROLES: roles }).groupRoles).toHaveLength(1);
  });
});
