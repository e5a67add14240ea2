import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CloudFormationTemplate, packageTemplate } from '../../support/serverlessPackage.js';

/** `serverless package` (offline) per directory: only that directory's settings, secret, driver, network and IAM. */

let ldap: { template: CloudFormationTemplate; dir: string };
let cognito: { template: CloudFormationTemplate; dir: string };
beforeAll(async () => {
  ldap = await packageTemplate([
    '--param=legacyDirectory=ldap',
    '--param=ldapUrl=ldaps://ad.corp.example.com:636',
    '--param=ldapBindDn=CN=svc-migration,OU=Service,DC=corp,DC=example,DC=com',
    '--param=ldapBaseDn=OU=Staff,DC=corp,DC=example,DC=com',
    '--param=ldapUserFilter=(userPrincipalName={username})',
    '--param=migrationSubnetIds=subnet-0a,subnet-0b',
    '--param=migrationSecurityGroupIds=sg-01',
  ]);
  cognito = await packageTemplate(['--param=legacyDirectory=cognito', '--param=legacyCognitoUserPoolId=eu-west-1_OldPool1', '--param=legacyCognitoClientId=oldclient']);
}, 240_000);

const migration = (t: CloudFormationTemplate) => t.Resources.UserMigrationLambdaFunction?.Properties;
const policies = (t: CloudFormationTemplate) => t.Resources.UserMigrationRole?.Properties.Policies as any[];
const bundleOf = (dir: string) => execFileSync('unzip', ['-p', join(dir, 'userMigration.zip'), 'functions/userMigration/index.js'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });

describe('deploying with a migration directory (npx serverless package)', () => {
  it('gives userMigration only the chosen directory’s settings, its secret as a Secrets Manager dynamic reference', () => {
    const env = migration(ldap.template).Environment.Variables;
    expect(env).toMatchObject({
      LEGACY_DIRECTORY: 'ldap',
      LDAP_URL: 'ldaps://ad.corp.example.com:636',
      LDAP_USER_FILTER: '(userPrincipalName={username})',
      LEGACY_DIRECTORY_SECRET: '{{resolve:secretsmanager:cognito-auth-triggers-dev-legacy-directory:SecretString}}',
    });
    expect(Object.keys(env).filter((name) => name.startsWith('LEGACY_DB_') || name.startsWith('LEGACY_HTTP_') || name === 'LEGACY_USERS_TABLE')).toEqual([]);
    expect(migration(cognito.template).Environment.Variables.LEGACY_DIRECTORY_SECRET).toBeUndefined();
  });

  it('puts the function in the given subnets and security groups, with the VPC access policy', () => {
    expect(migration(ldap.template).VpcConfig).toEqual({ SubnetIds: ['subnet-0a', 'subnet-0b'], SecurityGroupIds: ['sg-01'] });
    expect(migration(cognito.template).VpcConfig).toBeUndefined();
    expect(ldap.template.Resources.UserMigrationRole?.Properties.ManagedPolicyArns).toEqual([{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole' }]);
    expect(cognito.template.Resources.UserMigrationRole?.Properties.ManagedPolicyArns).toEqual([]);
  });

  it('lets the Cognito directory call AdminInitiateAuth and AdminGetUser on the old pool only; LDAP only logs', () => {
    expect(policies(cognito.template).map((p) => p.PolicyName)).toEqual(['logs', 'read-old-user-pool']);
    expect(policies(cognito.template)[1].PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: ['cognito-idp:AdminInitiateAuth', 'cognito-idp:AdminGetUser'], Resource: { 'Fn::Sub': 'arn:aws:cognito-idp:eu-west-1:${AWS::AccountId}:userpool/eu-west-1_OldPool1' } },
    ]);
    expect(policies(ldap.template).map((p) => p.PolicyName)).toEqual(['logs']);
  });

  it('bundles only the chosen directory’s driver', () => {
    const ldapBundle = bundleOf(ldap.dir);
    const cognitoBundle = bundleOf(cognito.dir);
    expect(ldapBundle).toContain('1.3.6.1.4.1.1466.20037'); // ldapts: the StartTLS OID
    expect(cognitoBundle).not.toContain('1.3.6.1.4.1.1466.20037');
    expect(cognitoBundle).toContain('AdminInitiateAuth');
    expect(ldapBundle).not.toContain('AdminInitiateAuth');
    expect(ldapBundle).not.toContain('DynamoDB_20120810'); // the DynamoDB client's service target
    for (const bundle of [ldapBundle, cognitoBundle]) {
      expect(bundle).not.toContain('mysql_native_password'); // mysql2
      expect(bundle).not.toContain('SCRAM-SHA-256'); // pg
    }
  });

  it('stops the deploy when a directory parameter is missing, naming it', async () => {
    const failure = async (args: string[]) => packageTemplate(args).then(() => 'packaged', (error: { stdout?: string }) => String(error.stdout));
    expect(await failure(['--param=legacyDirectory=postgres', '--param=legacyDbHost=db.internal'])).toMatch(/Parameter legacyDbName is required with legacyDirectory=postgres/);
    expect(await failure(['--param=legacyDirectory=ldap', '--param=ldapUrl=ldap://x', '--param=ldapBindDn=cn=a', '--param=ldapBaseDn=dc=b'])).toMatch(/ldapUrl is plain ldap:\/\//);
  }, 120_000);
});
