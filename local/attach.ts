import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  type LambdaConfigType,
  UpdateUserPoolCommand,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { AddPermissionCommand, LambdaClient, RemovePermissionCommand } from '@aws-sdk/client-lambda';
import { type AttachArgs, parseAttachArgs, USAGE } from './attach/args.js';
import { changesPool, planAttach, planDetach } from './attach/plan.js';
import { attachWarnings, conflictMessage, formatChanges, otherEntries, summary } from './attach/report.js';
import { AttachUsageError, parseUserPoolArn, permissionStatementId, resolveFunctionArns, type TriggerKey } from './attach/triggers.js';
import { updateInputFromDescription } from './attach/updateInput.js';

/**
 * npm run attach -- --user-pool-id <id> [--region r] [--stage s] [--dry-run] [--detach] [--force]
 *                   [--functions name=arn,...] [--only define,create,verify] [--pre-token-version V1_0]
 *
 * Attaches this suite's triggers to an existing user pool without resetting anything else:
 * UpdateUserPool resets every setting it is not sent, so the input is built from DescribeUserPool
 * (local/attach/updateInput.ts). Permissions are granted before the pool points at a function and
 * removed after it no longer does.
 */

export const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3, notFound: 4, accessDenied: 5 } as const;

export const COGNITO_PRINCIPAL = 'cognito-idp.amazonaws.com';

export interface AttachDeps {
  cognito: CognitoIdentityProviderClient;
  lambda: LambdaClient;
  out: (line: string) => void;
  err: (line: string) => void;
}

class StepFailed extends Error {
  override name = 'StepFailed';
  constructor(
    message: string,
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : 'Error';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'NotAuthorizedException', 'UnauthorizedOperation']);
const NO_CREDENTIALS = new Set(['CredentialsProviderError', 'UnrecognizedClientException', 'InvalidClientTokenId', 'ExpiredTokenException', 'InvalidSignatureException']);

/** Turns an AWS error into a message naming the call, the resource and what to do. */
function awsFailure(error: unknown, action: string, resource: string): StepFailed {
  const name = errorName(error);
  const detail = `${name}: ${errorMessage(error)}`;
  if (ACCESS_DENIED.has(name)) {
    return new StepFailed(`Access denied: ${action} on ${resource}. The caller needs IAM permission ${action}. (${detail})`, EXIT.accessDenied, { cause: error });
  }
  if (NO_CREDENTIALS.has(name)) {
    return new StepFailed(`No valid AWS credentials for ${action} (set AWS_PROFILE or the AWS_* variables). (${detail})`, EXIT.accessDenied, { cause: error });
  }
  return new StepFailed(`${action} on ${resource} failed: ${detail}`, EXIT.failed, { cause: error });
}

async function describePool(cognito: CognitoIdentityProviderClient, args: AttachArgs): Promise<UserPoolType> {
  let pool: UserPoolType | undefined;
  try {
    pool = (await cognito.send(new DescribeUserPoolCommand({ UserPoolId: args.userPoolId }))).UserPool;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') {
      throw new StepFailed(`User pool ${args.userPoolId} not found in ${args.region}. Check the pool id and the account of your credentials.`, EXIT.notFound, { cause: error });
    }
    throw awsFailure(error, 'cognito-idp:DescribeUserPool', args.userPoolId);
  }
  if (pool === undefined) throw new StepFailed(`User pool ${args.userPoolId} not found in ${args.region}.`, EXIT.notFound);
  return pool;
}

/** Lets Cognito invoke the function for this pool only. Already granted is fine. */
async function grantInvoke(lambda: LambdaClient, functionArn: string, poolArn: string, poolId: string, stage: string): Promise<'granted' | 'present'> {
  try {
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: functionArn,
        StatementId: permissionStatementId(poolId),
        Action: 'lambda:InvokeFunction',
        Principal: COGNITO_PRINCIPAL,
        SourceArn: poolArn,
      }),
    );
    return 'granted';
  } catch (error) {
    const name = errorName(error);
    // "The statement id (…) provided already exists": granted by an earlier run. Any other conflict
    // (e.g. the function is being updated) is a real failure.
    if (name === 'ResourceConflictException' && /already exists/i.test(errorMessage(error))) return 'present';
    if (name === 'ResourceNotFoundException') {
      throw new StepFailed(
        `Function ${functionArn} not found. Deploy it first (npx serverless deploy --stage ${stage}) or name the deployed functions with --functions. The user pool was not changed.`,
        EXIT.notFound,
        { cause: error },
      );
    }
    throw awsFailure(error, 'lambda:AddPermission', functionArn);
  }
}

async function revokeInvoke(lambda: LambdaClient, functionArn: string, poolId: string): Promise<'removed' | 'absent'> {
  try {
    await lambda.send(new RemovePermissionCommand({ FunctionName: functionArn, StatementId: permissionStatementId(poolId) }));
    return 'removed';
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return 'absent';
    throw awsFailure(error, 'lambda:RemovePermission', functionArn);
  }
}

function uniqueArns(arns: Partial<Record<TriggerKey, string>>): string[] {
  return [...new Set(Object.values(arns))];
}

function count<T>(items: readonly T[], wanted: T): number {
  return items.filter((item) => item === wanted).length;
}

export async function runAttach(args: AttachArgs, deps: AttachDeps): Promise<number> {
  const { cognito, lambda, out, err } = deps;
  try {
    const pool = await describePool(cognito, args);
    const poolArn = pool.Arn === undefined ? undefined : parseUserPoolArn(pool.Arn);
    if (poolArn === undefined || pool.Arn === undefined) {
      throw new StepFailed(`DescribeUserPool gave no usable Arn for ${args.userPoolId} (got ${String(pool.Arn)}); cannot grant Cognito permission.`, EXIT.failed);
    }
    const ours = resolveFunctionArns(poolArn, args.stage, args.only, args.functions);
    const plan = args.detach
      ? { ...planDetach(pool.LambdaConfig, ours), conflicts: [] }
      : planAttach(pool.LambdaConfig, ours, { force: args.force, preTokenVersion: args.preTokenVersion });

    const verb = args.detach ? 'Detach from' : 'Attach to';
    out(`${args.dryRun ? '[dry run] ' : ''}${verb} user pool ${pool.Name ?? ''} (${args.userPoolId}), LambdaConfig before → after:`);
    for (const line of formatChanges(plan.changes)) out(line);
    const others = otherEntries(pool.LambdaConfig);
    if (others.length > 0) out(`  Kept as they are: ${others.join(', ')}`);

    if (plan.conflicts.length > 0 && !args.force) {
      err(conflictMessage(plan.conflicts));
      return EXIT.refused;
    }
    if (!args.detach) {
      for (const warning of attachWarnings(pool, plan.lambdaConfig, ours.pretoken === undefined ? undefined : args.preTokenVersion)) err(`Warning: ${warning}`);
    }

    const writes = changesPool(plan.changes);
    const functionArns = uniqueArns(ours);
    if (args.dryRun) {
      const permissions = args.detach ? 'remove Cognito\'s invoke permission from' : 'grant Cognito invoke permission on';
      out(`[dry run] Nothing changed. Would ${writes ? 'update the pool' : 'leave the pool as it is'} and ${permissions} ${functionArns.length} function(s) (statement ${permissionStatementId(args.userPoolId)}).`);
      out(`Summary: ${summary(plan.changes)}.`);
      return EXIT.ok;
    }

    let permissionNote: string;
    if (args.detach) {
      if (writes) await updatePool(cognito, pool, plan.lambdaConfig);
      const results: string[] = [];
      for (const arn of functionArns) results.push(await revokeInvoke(lambda, arn, args.userPoolId));
      permissionNote = `permissions: ${count(results, 'removed')} removed, ${count(results, 'absent')} not present`;
    } else {
      const results: string[] = [];
      for (const arn of functionArns) results.push(await grantInvoke(lambda, arn, pool.Arn, args.userPoolId, args.stage));
      if (writes) await updatePool(cognito, pool, plan.lambdaConfig);
      permissionNote = `permissions: ${count(results, 'granted')} granted, ${count(results, 'present')} already present`;
    }
    out(`Summary: ${summary(plan.changes)}; ${permissionNote}; ${writes ? 'user pool updated' : 'user pool already up to date, not updated'}.`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof StepFailed) {
      err(error.message);
      return error.exitCode;
    }
    err(`Unexpected failure: ${errorName(error)}: ${errorMessage(error)}`);
    return EXIT.failed;
  }
}

async function updatePool(cognito: CognitoIdentityProviderClient, pool: UserPoolType, lambdaConfig: LambdaConfigType): Promise<void> {
  try {
    await cognito.send(new UpdateUserPoolCommand(updateInputFromDescription(pool, lambdaConfig)));
  } catch (error) {
    throw awsFailure(error, 'cognito-idp:UpdateUserPool', pool.Id ?? '');
  }
}

async function main(): Promise<number> {
  let args: AttachArgs | 'help';
  try {
    args = parseAttachArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof AttachUsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (args === 'help') {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }
  const cognito = new CognitoIdentityProviderClient({ region: args.region });
  const lambda = new LambdaClient({ region: args.region });
  try {
    return await runAttach(args, {
      cognito,
      lambda,
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    });
  } finally {
    cognito.destroy();
    lambda.destroy();
  }
}

if (process.argv[1]?.endsWith('attach.ts')) {
  main().then((code) => process.exit(code));
}
