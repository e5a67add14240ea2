import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';

export const POOL_ID = 'eu-west-1_Ab12Cd34E';
export const POOL_ARN = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Ab12Cd34E';
export const FOREIGN_POST_CONFIRMATION = 'arn:aws:lambda:eu-west-1:123456789012:function:acme-crm-sync-prod';

/** The osls ARN of one of the suite's functions in the fixture pool's account, stage `prod` unless given. */
export function suiteArn(functionName: string, stage = 'prod'): string {
  return `arn:aws:lambda:eu-west-1:123456789012:function:cognito-auth-triggers-${stage}-${functionName}`;
}

/** A fresh copy of the full DescribeUserPool response (test/fixtures/attach/describe-user-pool.json). */
export function describeResponse(): { UserPool: UserPoolType } {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'attach', 'describe-user-pool.json'), 'utf8')) as { UserPool: UserPoolType };
}

export function describedPool(): UserPoolType {
  return describeResponse().UserPool;
}

/** The text of the installed SDK's model declarations, to check our field lists against. */
export function sdkModelText(): string {
  const models = join(__dirname, '..', '..', '..', 'node_modules', '@aws-sdk', 'client-cognito-identity-provider', 'dist-types', 'models');
  return readdirSync(models)
    .filter((file) => /^models_\d+\.d\.ts$/.test(file))
    .map((file) => readFileSync(join(models, file), 'utf8'))
    .join('\n');
}

/** The member names an `export interface <name> {…}` declares, in order. */
export function declaredFields(text: string, interfaceName: string): string[] {
  const start = text.indexOf(`export interface ${interfaceName} {`);
  if (start === -1) throw new Error(`interface ${interfaceName} not found in the SDK's d.ts`);
  const end = text.indexOf('\n}', start);
  const body = text.slice(start, end);
  return [...body.matchAll(/^ {4}(\w+)\??:/gm)].map((match) => match[1] ?? '');
}
