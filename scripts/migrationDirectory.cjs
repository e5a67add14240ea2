// serverless.yml: `${file(./scripts/migrationDirectory.cjs):…}` — the userMigration function's settings for the
// legacy directory chosen by the parameter legacyDirectory (README, "Migration directories"). Checked when the
// stack is packaged: a missing or contradictory parameter stops `serverless package/deploy` with its name.
// The function checks every value again at cold start (shared/migration/directories/settings.ts).
const KINDS = ['dynamodb', 'ldap', 'postgres', 'mysql', 'http', 'cognito'];

// Environment variable ← parameter, per directory; an empty parameter leaves the function's default.
const COMMON = {
  LEGACY_ID_ATTRIBUTE: 'legacyIdAttribute',
  LEGACY_DIRECTORY_TIMEOUT_MS: 'legacyDirectoryTimeoutMs',
  LEGACY_DIRECTORY_CONNECT_TIMEOUT_MS: 'legacyDirectoryConnectTimeoutMs',
  LEGACY_DIRECTORY_CA_FILE: 'legacyDirectoryCaFile',
};
const SQL = { LEGACY_DB_HOST: 'legacyDbHost', LEGACY_DB_PORT: 'legacyDbPort', LEGACY_DB_NAME: 'legacyDbName', LEGACY_DB_USER: 'legacyDbUser', LEGACY_DB_QUERY: 'legacyDbQuery', LEGACY_DB_TLS: 'legacyDbTls' };
const VARIABLES = {
  dynamodb: { LEGACY_USERS_TABLE: 'legacyUsersTable' },
  ldap: {
    LDAP_URL: 'ldapUrl',
    LDAP_START_TLS: 'ldapStartTls',
    LDAP_ALLOW_PLAIN: 'ldapAllowPlain',
    LDAP_BIND_DN: 'ldapBindDn',
    LDAP_BASE_DN: 'ldapBaseDn',
    LDAP_USER_FILTER: 'ldapUserFilter',
    LDAP_DISABLED_FILTER: 'ldapDisabledFilter',
    LDAP_ATTRIBUTES: 'ldapAttributes',
    LDAP_ID_ATTRIBUTE: 'ldapIdAttribute',
    LDAP_EMAIL_VERIFIED: 'ldapEmailVerified',
    LDAP_PHONE_VERIFIED: 'ldapPhoneVerified',
  },
  postgres: SQL,
  mysql: SQL,
  http: { LEGACY_HTTP_URL: 'legacyHttpUrl', LEGACY_HTTP_AUTH: 'legacyHttpAuth' },
  cognito: { LEGACY_COGNITO_USER_POOL_ID: 'legacyCognitoUserPoolId', LEGACY_COGNITO_CLIENT_ID: 'legacyCognitoClientId' },
};
const REQUIRED = {
  dynamodb: ['legacyUsersTable'],
  ldap: ['ldapUrl', 'ldapBindDn', 'ldapBaseDn'],
  postgres: ['legacyDbHost', 'legacyDbName', 'legacyDbUser'],
  mysql: ['legacyDbHost', 'legacyDbName', 'legacyDbUser'],
  http: ['legacyHttpUrl'],
  cognito: ['legacyCognitoUserPoolId', 'legacyCognitoClientId'],
};

// Migration settings of other parts of the suite, passed through when their parameter exists.
const PASSED_THROUGH = { MIGRATION_REFUSAL_FLOOR_MS: 'migrationRefusalFloorMs' };

async function readIfDeclared(resolveVariable, name) {
  try {
    return await read(resolveVariable, name);
  } catch {
    return undefined;
  }
}

async function read(resolveVariable, name) {
  const value = await resolveVariable(`param:${name}`);
  return value === undefined || value === null ? '' : String(value).trim();
}

async function chosen(resolveVariable) {
  const kind = await read(resolveVariable, 'legacyDirectory');
  if (!KINDS.includes(kind)) throw new Error(`Parameter legacyDirectory must be one of ${KINDS.join(', ')}, got "${kind}".`);
  for (const name of REQUIRED[kind]) {
    if ((await read(resolveVariable, name)) === '') throw new Error(`Parameter ${name} is required with legacyDirectory=${kind} (README, "Migration directories").`);
  }
  return kind;
}

/** Whether the directory's one secret (service-account, database or API) comes from Secrets Manager. */
async function usesSecret(resolveVariable, kind) {
  if (kind === 'dynamodb') return false;
  if (kind === 'cognito') return (await read(resolveVariable, 'legacyCognitoClientHasSecret')) === 'true';
  return true;
}

/** `environment` of userMigration: only the chosen directory's variables, the secret as a CloudFormation dynamic reference. */
module.exports.environment = async ({ resolveVariable }) => {
  const kind = await chosen(resolveVariable);
  const env = { LEGACY_DIRECTORY: kind, MIGRATION_DUMMY_BCRYPT_COST: await read(resolveVariable, 'migrationDummyBcryptCost') };
  for (const [variable, param] of Object.entries({ ...(kind === 'dynamodb' ? {} : COMMON), ...VARIABLES[kind] })) env[variable] = await read(resolveVariable, param);
  for (const [variable, param] of Object.entries(PASSED_THROUGH)) {
    const value = await readIfDeclared(resolveVariable, param);
    if (value !== undefined) env[variable] = value;
  }
  if (kind === 'ldap' && env.LDAP_URL.toLowerCase().startsWith('ldap:') && env.LDAP_START_TLS !== 'true' && env.LDAP_ALLOW_PLAIN !== 'true') {
    throw new Error('Parameter ldapUrl is plain ldap://: set ldapStartTls=true, use ldaps://, or allow clear-text passwords with ldapAllowPlain=true.');
  }
  Object.assign(env, await firebaseEnvironment(resolveVariable));
  if (await usesSecret(resolveVariable, kind)) {
    const secret = await read(resolveVariable, 'legacyDirectorySecretName');
    if (secret === '') throw new Error(`Parameter legacyDirectorySecretName is required with legacyDirectory=${kind}.`);
    // Resolved by CloudFormation at deploy time, as OTP_SECRET is; never in the template or the package.
    env.LEGACY_DIRECTORY_SECRET = `{{resolve:secretsmanager:${secret}:SecretString}}`;
  }
  return env;
};

/**
 * Firebase's modified scrypt needs the project's hash parameters: the signer key from Secrets Manager (a dynamic
 * reference, as OTP_SECRET), the other three as parameters. All or none.
 */
async function firebaseEnvironment(resolveVariable) {
  const secret = (await readIfDeclared(resolveVariable, 'migrationFirebaseSignerKeySecretName')) ?? '';
  const plain = {
    MIGRATION_FIREBASE_SALT_SEPARATOR: (await readIfDeclared(resolveVariable, 'migrationFirebaseSaltSeparator')) ?? '',
    MIGRATION_FIREBASE_ROUNDS: (await readIfDeclared(resolveVariable, 'migrationFirebaseRounds')) ?? '',
    MIGRATION_FIREBASE_MEM_COST: (await readIfDeclared(resolveVariable, 'migrationFirebaseMemCost')) ?? '',
  };
  const given = Object.values(plain).filter((value) => value !== '').length + (secret === '' ? 0 : 1);
  if (given === 0) return {};
  if (given < 4) {
    throw new Error('Parameters migrationFirebaseSignerKeySecretName, migrationFirebaseSaltSeparator, migrationFirebaseRounds and migrationFirebaseMemCost go together: give all four (Firebase console: Password hash parameters), or none.');
  }
  return { MIGRATION_FIREBASE_SIGNER_KEY: `{{resolve:secretsmanager:${secret}:SecretString}}`, ...plain };
}

/** `vpc` of userMigration: subnets and security groups when both are given (an on-premises LDAP, a private database). */
module.exports.vpc = async ({ resolveVariable }) => {
  const list = async (name) => (await read(resolveVariable, name)).split(',').map((s) => s.trim()).filter((s) => s !== '');
  const subnetIds = await list('migrationSubnetIds');
  const securityGroupIds = await list('migrationSecurityGroupIds');
  if (subnetIds.length === 0 && securityGroupIds.length === 0) return false;
  if (subnetIds.length === 0 || securityGroupIds.length === 0) throw new Error('Parameters migrationSubnetIds and migrationSecurityGroupIds go together: give both, or neither.');
  return { subnetIds, securityGroupIds };
};

/** `Policies` of UserMigrationRole: its own log group, and only what the chosen directory needs. */
module.exports.policies = async ({ resolveVariable }) => {
  const kind = await chosen(resolveVariable);
  const logs = (await require('./iam.cjs').logs({ resolveVariable })).userMigration;
  const policies = [{ PolicyName: 'logs', PolicyDocument: logs }];
  const statement = (Action, Resource) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource }] });
  if (kind === 'dynamodb') {
    const table = await read(resolveVariable, 'legacyUsersTable');
    policies.push({ PolicyName: 'read-legacy-directory', PolicyDocument: statement('dynamodb:GetItem', { 'Fn::Sub': `arn:aws:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${table}` }) });
  }
  if (kind === 'cognito') {
    const poolId = await read(resolveVariable, 'legacyCognitoUserPoolId');
    const region = poolId.split('_')[0];
    policies.push({
      PolicyName: 'read-old-user-pool',
      PolicyDocument: statement(['cognito-idp:AdminInitiateAuth', 'cognito-idp:AdminGetUser'], { 'Fn::Sub': `arn:aws:cognito-idp:${region}:\${AWS::AccountId}:userpool/${poolId}` }),
    });
  }
  return policies;
};

/** `ManagedPolicyArns` of UserMigrationRole: the VPC access policy when the function runs in a VPC. */
module.exports.managedPolicyArns = async (context) => {
  const vpc = await module.exports.vpc(context);
  return vpc === false ? [] : [{ 'Fn::Sub': 'arn:\${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole' }];
};

module.exports.KINDS = KINDS;
