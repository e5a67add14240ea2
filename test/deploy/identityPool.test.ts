import { beforeAll, describe, expect, it } from 'vitest';
import { loadPreTokenConfig } from '../../shared/pretoken/config.js';
import { packageTemplate, resourcesOfType, type CloudFormationTemplate } from '../support/serverlessPackage.js';

/**
 * The optional identity pool (parameter identityPool) and the pre token generation wiring, as
 * `serverless package` would deploy them. Conditional resources stay in the template with a
 * `Condition`; CloudFormation creates them only when it is true, so the test evaluates it.
 */

type Template = CloudFormationTemplate & { Conditions?: Record<string, unknown>; Outputs?: Record<string, any> };

// The app client is not among them: with userPool=create the stack always has one (see package.test.ts).
const IDENTITY_RESOURCES = [
  'IdentityPool',
  'AuthenticatedRole',
  'AdminRole',
  'GuestRole',
  'IdentityPoolRoleAttachment',
  'IdentityPoolPrincipalTag',
];

let off: Template;
let on: Template;
let withGuests: Template;
beforeAll(async () => {
  // One after the other: serverless-esbuild works in ./.esbuild of the service.
  ({ template: off } = await packageTemplate());
  ({ template: on } = await packageTemplate(['--param=identityPool=true']));
  ({ template: withGuests } = await packageTemplate([
    '--param=identityPool=true',
    '--param=allowUnauthenticatedIdentities=true',
    '--param=preTokenLambdaVersion=V1_0',
  ]));
}, 240_000);

/** Evaluates a CloudFormation condition expression (Fn::Equals/And/Or/Not, Condition). */
function holds(template: Template, expression: unknown): boolean {
  const e = expression as Record<string, any>;
  if ('Fn::Equals' in e) return String(e['Fn::Equals'][0]) === String(e['Fn::Equals'][1]);
  if ('Fn::And' in e) return (e['Fn::And'] as unknown[]).every((part) => holds(template, part));
  if ('Fn::Or' in e) return (e['Fn::Or'] as unknown[]).some((part) => holds(template, part));
  if ('Fn::Not' in e) return !holds(template, e['Fn::Not'][0]);
  if ('Condition' in e) return holds(template, template.Conditions?.[e.Condition as string]);
  throw new Error(`Unknown condition expression ${JSON.stringify(expression)}`);
}

function created(template: Template, logicalId: string): boolean {
  const resource = template.Resources[logicalId] as { Condition?: string } | undefined;
  if (resource === undefined) return false;
  return resource.Condition === undefined || holds(template, { Condition: resource.Condition });
}

function userPoolLogicalId(template: Template): string {
  const pools = resourcesOfType(template, 'AWS::Cognito::UserPool');
  expect(pools).toHaveLength(1);
  return pools[0]![0];
}

function resource(template: Template, logicalId: string) {
  const found = template.Resources[logicalId];
  if (found === undefined) throw new Error(`${logicalId} is not in the template`);
  return found;
}

/** A Fn::Join of plain strings, as IAM will read it. */
function joined(value: any): string {
  if (typeof value === 'string') return value;
  const [separator, parts] = value['Fn::Join'] as [string, string[]];
  return parts.join(separator);
}

describe('pre token generation is wired to the user pool', () => {
  it('LambdaConfig.PreTokenGenerationConfig points at the function with LambdaVersion V2_0 by default', () => {
    for (const template of [off, on]) {
      const pool = resource(template, userPoolLogicalId(template));
      expect(pool.Properties.LambdaConfig.PreTokenGenerationConfig).toEqual({
        LambdaArn: { 'Fn::GetAtt': ['PreTokenGenerationLambdaFunction', 'Arn'] },
        LambdaVersion: 'V2_0',
      });
      expect(pool.Properties.LambdaConfig).not.toHaveProperty('PreTokenGeneration');
    }
  });

  it('the parameter preTokenLambdaVersion=V1_0 switches to V1 (every pricing tier)', () => {
    const pool = resource(withGuests, userPoolLogicalId(withGuests));
    expect(pool.Properties.LambdaConfig.PreTokenGenerationConfig.LambdaVersion).toBe('V1_0');
  });

  it('Cognito may invoke the function', () => {
    const permissions = resourcesOfType(off, 'AWS::Lambda::Permission').filter(([, p]) =>
      JSON.stringify(p.Properties.FunctionName).includes('PreTokenGenerationLambdaFunction'),
    );
    expect(permissions).toHaveLength(1);
    expect(permissions[0]![1].Properties.Principal).toBe('cognito-idp.amazonaws.com');
  });

  it('deploys every PRETOKEN_* setting as an empty value by default, which the function reads as unset', () => {
    const fn = resource(off, 'PreTokenGenerationLambdaFunction');
    expect(fn.Properties.Runtime).toBe('nodejs22.x');
    expect(fn.Properties.Timeout).toBeLessThan(5);
    const variables = fn.Properties.Environment.Variables as Record<string, string>;
    const settings = Object.fromEntries(Object.entries(variables).filter(([name]) => name.startsWith('PRETOKEN_')));
    expect(Object.keys(settings)).toHaveLength(10);
    for (const value of Object.values(settings)) expect(value).toBe('');
    expect(loadPreTokenConfig(variables)).toEqual(loadPreTokenConfig({}));
  });
});

describe('identityPool=false (the default) creates none of the identity resources', () => {
  it('every identity resource and output carries a condition that is false', () => {
    expect(holds(off, { Condition: 'IdentityPoolEnabled' })).toBe(false);
    expect(holds(off, { Condition: 'GuestAccessEnabled' })).toBe(false);
    for (const logicalId of IDENTITY_RESOURCES) {
      expect(off.Resources[logicalId]?.Type, logicalId).toBeDefined();
      expect(created(off, logicalId), logicalId).toBe(false);
    }
    for (const name of ['IdentityPoolId', 'IdentityAdminRoleArn']) {
      expect(holds(off, { Condition: off.Outputs?.[name]?.Condition }), name).toBe(false);
    }
    const unconditional = Object.entries(off.Resources).filter(([id]) => created(off, id)).map(([, r]) => r.Type);
    for (const type of ['AWS::Cognito::IdentityPool', 'AWS::Cognito::IdentityPoolRoleAttachment', 'AWS::Cognito::IdentityPoolPrincipalTag']) {
      expect(unconditional).not.toContain(type);
    }
  });

  it('no resource that is always created refers to a conditional one', () => {
    for (const [logicalId, res] of Object.entries(off.Resources)) {
      if ((res as { Condition?: string }).Condition !== undefined) continue;
      const text = JSON.stringify(res);
      for (const conditional of IDENTITY_RESOURCES) {
        expect(text.includes(`"Ref":"${conditional}"`) || text.includes(`["${conditional}",`), `${logicalId} → ${conditional}`).toBe(false);
      }
    }
  });
});

describe('identityPool=true', () => {
  it('creates the identity pool and its resources; the guest role only with allowUnauthenticatedIdentities=true', () => {
    for (const logicalId of IDENTITY_RESOURCES.filter((id) => id !== 'GuestRole')) expect(created(on, logicalId), logicalId).toBe(true);
    expect(created(on, 'GuestRole')).toBe(false);
    expect(created(withGuests, 'GuestRole')).toBe(true);
  });

  it('ties to the stack’s app client: custom auth, SRP, refresh, password; no secret; no user-existence errors', () => {
    const client = resource(on, 'UserPoolClient');
    expect(client.Type).toBe('AWS::Cognito::UserPoolClient');
    expect(client.Properties).toMatchObject({
      UserPoolId: { Ref: userPoolLogicalId(on) },
      GenerateSecret: false,
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(client.Properties.ExplicitAuthFlows.sort()).toEqual(
      ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH'].sort(),
    );
    expect(client.Properties.WriteAttributes).not.toContain('custom:tenant_id');
  });

  it('ties the identity pool to that client of the user pool, guests off by default', () => {
    const pool = resource(on, 'IdentityPool');
    expect(pool.Type).toBe('AWS::Cognito::IdentityPool');
    expect(pool.Properties.CognitoIdentityProviders).toEqual([
      { ProviderName: { 'Fn::GetAtt': [userPoolLogicalId(on), 'ProviderName'] }, ClientId: { Ref: 'UserPoolClient' }, ServerSideTokenCheck: true },
    ]);
    expect(String(pool.Properties.AllowUnauthenticatedIdentities)).toBe('false');
    expect(String(resource(withGuests, 'IdentityPool').Properties.AllowUnauthenticatedIdentities)).toBe('true');
    expect(pool.Properties.AllowClassicFlow).toBe(false);
  });

  const trustCases: [string, string, () => Template][] = [
    ['AuthenticatedRole', 'authenticated', () => on],
    ['AdminRole', 'authenticated', () => on],
    ['GuestRole', 'unauthenticated', () => withGuests],
  ];
  for (const [logicalId, amr, template] of trustCases) {
    it(`${logicalId} trusts only this identity pool (aud) for ${amr} identities, with AssumeRoleWithWebIdentity and TagSession`, () => {
      const role = resource(template(), logicalId);
      expect(role.Type).toBe('AWS::IAM::Role');
      const statements = role.Properties.AssumeRolePolicyDocument.Statement as any[];
      expect(statements).toHaveLength(1);
      expect(statements[0]).toEqual({
        Effect: 'Allow',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
        Condition: {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': { Ref: 'IdentityPool' } },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': amr },
        },
      });
    });
  }

  it('the authenticated role reads only its own tenant prefix, by the tenant_id session tag', () => {
    const statements = resource(on, 'AuthenticatedRole').Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement) as any[];
    const get = statements.find((s) => s.Action === 's3:GetObject');
    expect(joined(get.Resource)).toBe('arn:aws:s3:::cognito-auth-triggers-dev-tenant-data/${aws:PrincipalTag/tenant_id}/*');
    const list = statements.find((s) => s.Action === 's3:ListBucket');
    expect(joined(list.Condition.StringLike['s3:prefix'])).toBe('${aws:PrincipalTag/tenant_id}/*');
    for (const statement of statements) expect(JSON.stringify(statement.Action)).not.toContain('*');
  });

  it('the guest role can read only the public/ prefix', () => {
    const statements = resource(withGuests, 'GuestRole').Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    expect(statements).toEqual([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::cognito-auth-triggers-dev-tenant-data/public/*' }]);
  });

  it('attaches the roles with a Token role mapping that falls back to the authenticated role', () => {
    const attachment = resource(on, 'IdentityPoolRoleAttachment');
    expect(attachment.Type).toBe('AWS::Cognito::IdentityPoolRoleAttachment');
    expect(attachment.Properties.IdentityPoolId).toEqual({ Ref: 'IdentityPool' });
    expect(attachment.Properties.Roles.authenticated).toEqual({ 'Fn::GetAtt': ['AuthenticatedRole', 'Arn'] });
    expect(attachment.Properties.Roles.unauthenticated).toEqual({
      'Fn::If': ['GuestAccessEnabled', { 'Fn::GetAtt': ['GuestRole', 'Arn'] }, { Ref: 'AWS::NoValue' }],
    });
    const mappings = Object.values(attachment.Properties.RoleMappings) as any[];
    expect(mappings).toHaveLength(1);
    expect(mappings[0]).toMatchObject({ Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' });
    // The provider is "<user pool provider name>:<app client id>".
    expect(mappings[0].IdentityProvider).toEqual({
      'Fn::Sub': [
        '${ProviderName}:${ClientId}',
        { ProviderName: { 'Fn::GetAtt': [userPoolLogicalId(on), 'ProviderName'] }, ClientId: { Ref: 'UserPoolClient' } },
      ],
    });
  });

  it('maps the tenant_id claim to the tenant_id principal tag', () => {
    const tag = resource(on, 'IdentityPoolPrincipalTag');
    expect(tag.Type).toBe('AWS::Cognito::IdentityPoolPrincipalTag');
    expect(tag.Properties).toEqual({
      IdentityPoolId: { Ref: 'IdentityPool' },
      IdentityProviderName: { 'Fn::GetAtt': [userPoolLogicalId(on), 'ProviderName'] },
      UseDefaults: false,
      PrincipalTags: { tenant_id: 'tenant_id' },
    });
  });

  it('outputs the client id, the identity pool id and the admin role ARN for PRETOKEN_GROUP_ROLES', () => {
    expect(on.Outputs?.IdentityPoolId?.Value).toEqual({ Ref: 'IdentityPool' });
    expect(on.Outputs?.UserPoolClientId?.Value).toEqual({ Ref: 'UserPoolClient' });
    expect(on.Outputs?.IdentityAdminRoleArn?.Value).toEqual({ 'Fn::GetAtt': ['AdminRole', 'Arn'] });
    expect(resource(on, 'AdminRole').Properties.RoleName).toBe('cognito-auth-triggers-dev-identity-admin');
  });
});
