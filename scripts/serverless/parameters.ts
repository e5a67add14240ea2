/**
 * Checks of the deploy parameters that no function reads (serverless.yml → custom.deployChecks): values and
 * combinations CloudFormation would otherwise accept silently or refuse half-way through a deployment.
 * Each problem names the parameter and what is allowed.
 */

type Rule = (value: string, all: Readonly<Record<string, string>>) => string | undefined;

const oneOf =
  (...allowed: string[]): Rule =>
  (value) =>
    allowed.includes(value) ? undefined : `must be one of ${allowed.join(', ')}, got "${value}"`;

const trueOrFalse: Rule = (value) => (value === 'true' || value === 'false' ? undefined : `must be 'true' or 'false', got "${value}"`);

const wholeNumber =
  (min: number, max: number): Rule =>
  (value) =>
    /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max ? undefined : `must be a whole number from ${min} to ${max}, got "${value}"`;

// CloudWatch Logs accepts only these retention periods.
const LOG_RETENTION_DAYS = ['1', '3', '5', '7', '14', '30', '60', '90', '120', '150', '180', '365', '400', '545', '731', '1096', '1827', '2192', '2557', '2922', '3288', '3653'];

const RULES: Readonly<Record<string, Rule>> = {
  userPool: oneOf('create', 'existing', 'none'),
  identityPool: (value, all) =>
    trueOrFalse(value, all) ??
    (value === 'true' && all.userPool !== 'create'
      ? `'true' needs userPool=create (the identity pool is tied to the stack's own pool and app client), got userPool=${all.userPool}`
      : undefined),
  allowUnauthenticatedIdentities: (value, all) =>
    trueOrFalse(value, all) ?? (value === 'true' && all.identityPool !== 'true' ? `'true' needs identityPool=true` : undefined),
  createLegacyTable: trueOrFalse,
  deletionProtection: trueOrFalse,
  retainData: oneOf('Delete', 'Retain', 'RetainExceptOnCreate'),
  preTokenLambdaVersion: oneOf('V1_0', 'V2_0', 'V3_0'),
  authSessionValidity: wholeNumber(3, 15),
  logLevel: oneOf('TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'),
  logRetentionInDays: (value) => (LOG_RETENTION_DAYS.includes(value) ? undefined : `must be one of ${LOG_RETENTION_DAYS.join(', ')} (CloudWatch Logs), got "${value}"`),
  defineMemory: wholeNumber(128, 10_240),
  createMemory: wholeNumber(128, 10_240),
  verifyMemory: wholeNumber(128, 10_240),
  preTokenMemory: wholeNumber(128, 10_240),
  migrationMemory: wholeNumber(128, 10_240),
  preSignUpMemory: wholeNumber(128, 10_240),
  userPoolId: (value, all) =>
    value !== '' && !/^[a-z]{2}(?:-[a-z]+)+-\d+_[0-9A-Za-z]+$/.test(value)
      ? `must be a user pool id such as eu-west-1_AbC123, got "${value}"`
      : value === '' && all.userPool !== 'create' && (all.signupLinkProviders ?? '') !== ''
        ? `is needed with signupLinkProviders when userPool=${all.userPool}: without it preSignUp may not look users up or link them, and every federated sign-in of those providers would fail`
        : undefined,
};

/** One line per problem, e.g. `Parameter userPool must be one of create, existing, none, got "bogus".` */
export function parameterProblems(params: Readonly<Record<string, unknown>>): string[] {
  const values = Object.fromEntries(Object.entries(params).map(([name, value]) => [name, String(value ?? '').trim()]));
  const problems: string[] = [];
  for (const [name, rule] of Object.entries(RULES)) {
    if (!(name in values)) continue;
    const problem = rule(values[name] as string, values);
    if (problem !== undefined) problems.push(`Parameter ${name} ${problem}.`);
  }
  return problems;
}
