import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD_POLICY, suitePool } from '../../../local/cognito/pool.js';
import { TRIGGER_NAMES } from '../../../local/cognito/triggers.js';
import { packageTemplate, type CloudFormationTemplate } from '../../support/serverlessPackage.js';

/** The local pool is the pool serverless.yml creates (userPool=create, default parameters), read from the packaged template. */

let template: CloudFormationTemplate;
beforeAll(async () => {
  ({ template } = await packageTemplate());
}, 180_000);

describe('the local endpoint’s pool and app client', () => {
  it('have the settings the deployed user pool gets', () => {
    const pool = suitePool();
    const properties = template.Resources.UserPool?.Properties;
    expect(properties.UsernameAttributes).toEqual(pool.usernameAttributes);
    expect(properties.UsernameConfiguration).toEqual({ CaseSensitive: pool.caseSensitiveUsernames });
    expect(properties.AutoVerifiedAttributes).toEqual(pool.autoVerifiedAttributes);
    expect(properties.UserAttributeUpdateSettings).toEqual({ AttributesRequireVerificationBeforeUpdate: pool.attributesRequireVerificationBeforeUpdate });
    expect(properties.Schema.map((attribute: { Name: string }) => attribute.Name)).toEqual(pool.customAttributes);
    // No Policies: Cognito's default password policy.
    expect(properties.Policies?.PasswordPolicy).toBeUndefined();
    expect(pool.passwordPolicy).toEqual(DEFAULT_PASSWORD_POLICY);
    expect(properties.LambdaConfig.PreTokenGenerationConfig.LambdaVersion).toBe(`V${pool.preTokenVersion}_0`);
    // Every trigger the deployed pool has, the endpoint runs (and the wiring loads each from FUNCTION_MODULES).
    const deployed = Object.keys(properties.LambdaConfig).map((name) => name.replace(/Config$/, '')).sort();
    expect(deployed).toEqual(Object.values(TRIGGER_NAMES).sort());
  });

  it('have the settings the deployed app client gets', () => {
    const { client } = suitePool();
    const properties = template.Resources.UserPoolClient?.Properties;
    expect(properties).toMatchObject({
      ClientName: client.clientName,
      GenerateSecret: false,
      PreventUserExistenceErrors: client.preventUserExistenceErrors ? 'ENABLED' : 'LEGACY',
      AuthSessionValidity: client.authSessionValidityMinutes,
      EnableTokenRevocation: client.enableTokenRevocation,
      RefreshTokenValidity: client.refreshTokenValidityDays,
      ExplicitAuthFlows: client.explicitAuthFlows,
      WriteAttributes: client.writeAttributes,
    });
    // Not set: Cognito's defaults of 60 minutes (and TokenValidityUnits in hours/days).
    expect(properties.AccessTokenValidity).toBeUndefined();
    expect(properties.IdTokenValidity).toBeUndefined();
    expect([client.accessTokenValidityMinutes, client.idTokenValidityMinutes]).toEqual([60, 60]);
  });
});
