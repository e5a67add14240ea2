/**
 * The suite's Cognito triggers, the functions osls deploys for them, and how their ARNs and
 * permission statement ids are formed. Pure: no AWS calls.
 */

export const SERVICE_NAME = 'cognito-auth-triggers';
export const DEFAULT_STAGE = 'dev';

export const PRE_TOKEN_VERSIONS = ['V1_0', 'V2_0', 'V3_0'] as const;
export type PreTokenVersion = (typeof PRE_TOKEN_VERSIONS)[number];
export const DEFAULT_PRE_TOKEN_VERSION: PreTokenVersion = 'V2_0';

export type TriggerKey = 'define' | 'create' | 'verify' | 'migration' | 'pretoken' | 'presignup';
export type SuiteTriggerName = 'DefineAuthChallenge' | 'CreateAuthChallenge' | 'VerifyAuthChallengeResponse' | 'UserMigration' | 'PreTokenGeneration' | 'PreSignUp';

export interface SuiteTrigger {
  key: TriggerKey;
  /** The function's name in serverless.yml. */
  functionName: string;
  /** The LambdaConfig field (for PreTokenGeneration: PreTokenGenerationConfig, with the legacy field kept identical). */
  trigger: SuiteTriggerName;
}

export const SUITE_TRIGGERS: readonly SuiteTrigger[] = [
  { key: 'define', functionName: 'defineAuthChallenge', trigger: 'DefineAuthChallenge' },
  { key: 'create', functionName: 'createAuthChallenge', trigger: 'CreateAuthChallenge' },
  { key: 'verify', functionName: 'verifyAuthChallenge', trigger: 'VerifyAuthChallengeResponse' },
  { key: 'migration', functionName: 'userMigration', trigger: 'UserMigration' },
  { key: 'pretoken', functionName: 'preTokenGeneration', trigger: 'PreTokenGeneration' },
  { key: 'presignup', functionName: 'preSignUp', trigger: 'PreSignUp' },
];

export const ALL_TRIGGER_KEYS: readonly TriggerKey[] = SUITE_TRIGGERS.map((t) => t.key);

export function suiteTrigger(key: TriggerKey): SuiteTrigger {
  const found = SUITE_TRIGGERS.find((t) => t.key === key);
  if (found === undefined) throw new Error(`unknown trigger key ${key}`);
  return found;
}

/** A value the user wrote for a trigger: its short key, its function name, or its Cognito trigger name. */
export function triggerKeyOf(name: string): TriggerKey | undefined {
  const wanted = name.trim().toLowerCase();
  const aliases: Record<string, TriggerKey> = { migrate: 'migration', verifyauthchallenge: 'verify', pretokengenerationconfig: 'pretoken', signup: 'presignup' };
  const alias = aliases[wanted];
  if (alias !== undefined) return alias;
  return SUITE_TRIGGERS.find((t) => [t.key, t.functionName.toLowerCase(), t.trigger.toLowerCase()].includes(wanted))?.key;
}

const TRIGGER_NAMES_HELP = SUITE_TRIGGERS.map((t) => `${t.key} (${t.functionName})`).join(', ');

export class AttachUsageError extends Error {
  override name = 'AttachUsageError';
}

/** `--only define,create,verify` → the keys, in the suite's order, each once. */
export function parseTriggerList(text: string): TriggerKey[] {
  const keys = new Set<TriggerKey>();
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const key = triggerKeyOf(part);
    if (key === undefined) throw new AttachUsageError(`--only: unknown trigger "${part.trim()}"; use ${TRIGGER_NAMES_HELP}`);
    keys.add(key);
  }
  if (keys.size === 0) throw new AttachUsageError(`--only needs at least one of ${TRIGGER_NAMES_HELP}`);
  return ALL_TRIGGER_KEYS.filter((key) => keys.has(key));
}

export interface FunctionArn {
  partition: string;
  region: string;
  account: string;
  name: string;
  qualifier: string | undefined;
}

const FUNCTION_ARN = /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]{1,64})(?::([A-Za-z0-9_$-]{1,128}))?$/;

export function parseFunctionArn(arn: string): FunctionArn | undefined {
  const match = FUNCTION_ARN.exec(arn);
  if (match === null) return undefined;
  const [, partition, region, account, name, qualifier] = match;
  if (partition === undefined || region === undefined || account === undefined || name === undefined) return undefined;
  return { partition, region, account, name, qualifier };
}

/** True when both ARNs name the same function, whatever version or alias either is qualified with. */
export function sameFunction(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (a === b) return true;
  const left = parseFunctionArn(a);
  const right = parseFunctionArn(b);
  if (left === undefined || right === undefined) return false;
  return left.partition === right.partition && left.region === right.region && left.account === right.account && left.name === right.name;
}

/** `--functions define=arn:…,userMigration=arn:…` → ARN per key. */
export function parseFunctionOverrides(text: string): Partial<Record<TriggerKey, string>> {
  const overrides: Partial<Record<TriggerKey, string>> = {};
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const equals = part.indexOf('=');
    if (equals === -1) throw new AttachUsageError(`--functions: "${part.trim()}" is not name=arn`);
    const name = part.slice(0, equals).trim();
    const arn = part.slice(equals + 1).trim();
    const key = triggerKeyOf(name);
    if (key === undefined) throw new AttachUsageError(`--functions: unknown function "${name}"; use ${TRIGGER_NAMES_HELP}`);
    if (parseFunctionArn(arn) === undefined) {
      throw new AttachUsageError(`--functions: "${arn}" for ${name} is not a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)`);
    }
    if (overrides[key] !== undefined && overrides[key] !== arn) throw new AttachUsageError(`--functions: ${name} is given twice`);
    overrides[key] = arn;
  }
  return overrides;
}

export interface UserPoolArn {
  partition: string;
  region: string;
  account: string;
  poolId: string;
}

const POOL_ARN = /^arn:(aws[a-z-]*):cognito-idp:([a-z0-9-]+):(\d{12}):userpool\/([\w-]+_[0-9A-Za-z]+)$/;

/** `arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC` → its parts; the account needs no STS call. */
export function parseUserPoolArn(arn: string): UserPoolArn | undefined {
  const match = POOL_ARN.exec(arn);
  if (match === null) return undefined;
  const [, partition, region, account, poolId] = match;
  if (partition === undefined || region === undefined || account === undefined || poolId === undefined) return undefined;
  return { partition, region, account, poolId };
}

const POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9A-Za-z]+$/;

export function isUserPoolId(id: string): boolean {
  return POOL_ID.test(id);
}

/** A pool id starts with its Region: `eu-west-1_AbC123` → `eu-west-1`. */
export function regionOfPoolId(id: string): string | undefined {
  return POOL_ID.exec(id)?.[1];
}

const STAGE = /^[A-Za-z0-9-]+$/;

/** osls names a function `<service>-<stage>-<function>`. */
export function deployedFunctionName(stage: string, functionName: string): string {
  if (!STAGE.test(stage)) throw new AttachUsageError(`--stage "${stage}": use letters, digits and hyphens`);
  const name = `${SERVICE_NAME}-${stage}-${functionName}`;
  if (name.length > 64) throw new AttachUsageError(`--stage "${stage}" makes the function name ${name} longer than Lambda's 64 characters`);
  return name;
}

/** The ARN osls gives the suite's function in the pool's account and Region. */
export function defaultFunctionArn(pool: UserPoolArn, stage: string, functionName: string): string {
  return `arn:${pool.partition}:lambda:${pool.region}:${pool.account}:function:${deployedFunctionName(stage, functionName)}`;
}

/**
 * The ARN of each selected trigger's function: the one given with --functions, otherwise the osls
 * default for the stage.
 */
export function resolveFunctionArns(
  pool: UserPoolArn,
  stage: string,
  keys: readonly TriggerKey[],
  overrides: Partial<Record<TriggerKey, string>>,
): Partial<Record<TriggerKey, string>> {
  const arns: Partial<Record<TriggerKey, string>> = {};
  for (const key of keys) arns[key] = overrides[key] ?? defaultFunctionArn(pool, stage, suiteTrigger(key).functionName);
  return arns;
}

/** One statement per pool in each function's resource policy, so attach and detach find their own. */
export function permissionStatementId(poolId: string): string {
  return `${SERVICE_NAME}-${poolId}`;
}
