import { describe, expect, it } from 'vitest';
import { parseAttachArgs } from '../../../local/attach/args.js';
import {
  AttachUsageError,
  defaultFunctionArn,
  parseFunctionOverrides,
  parseTriggerList,
  parseUserPoolArn,
  permissionStatementId,
  regionOfPoolId,
  sameFunction,
} from '../../../local/attach/triggers.js';
import { POOL_ARN, POOL_ID, suiteArn } from './helpers.js';

describe('ARNs and names', () => {
  it('reads partition, Region, account and id from the pool ARN, so no STS call is needed', () => {
    expect(parseUserPoolArn(POOL_ARN)).toEqual({ partition: 'aws', region: 'eu-west-1', account: '123456789012', poolId: POOL_ID });
    expect(parseUserPoolArn('arn:aws-us-gov:cognito-idp:us-gov-west-1:123456789012:userpool/us-gov-west-1_X1')?.partition).toBe('aws-us-gov');
    expect(parseUserPoolArn('arn:aws:lambda:eu-west-1:123456789012:function:x')).toBeUndefined();
  });

  it('names the default function the way osls does: service-stage-function', () => {
    const pool = parseUserPoolArn(POOL_ARN);
    if (pool === undefined) throw new Error('unparsed');
    expect(defaultFunctionArn(pool, 'prod', 'defineAuthChallenge')).toBe(suiteArn('defineAuthChallenge'));
  });

  it('refuses a stage that would make an invalid or too long function name', () => {
    const pool = parseUserPoolArn(POOL_ARN);
    if (pool === undefined) throw new Error('unparsed');
    expect(() => defaultFunctionArn(pool, 'pr od', 'userMigration')).toThrow(AttachUsageError);
    expect(() => defaultFunctionArn(pool, 'x'.repeat(40), 'userMigration')).toThrow(/64 characters/);
  });

  it('uses one permission statement id per pool', () => {
    expect(permissionStatementId(POOL_ID)).toBe('cognito-auth-triggers-eu-west-1_Ab12Cd34E');
  });

  it('reads the Region from a pool id', () => {
    expect(regionOfPoolId('ap-southeast-2_xYz9')).toBe('ap-southeast-2');
    expect(regionOfPoolId('nonsense')).toBeUndefined();
  });

  it('sees the same function through a version or alias qualifier, but not another function', () => {
    expect(sameFunction(suiteArn('userMigration'), `${suiteArn('userMigration')}:7`)).toBe(true);
    expect(sameFunction(suiteArn('userMigration'), suiteArn('userMigration', 'dev'))).toBe(false);
    expect(sameFunction(suiteArn('userMigration'), undefined)).toBe(false);
  });
});

describe('--only and --functions', () => {
  it('accepts short keys, function names and trigger names, in any order, once each', () => {
    expect(parseTriggerList('verify,define,CreateAuthChallenge,define')).toEqual(['define', 'create', 'verify']);
    expect(parseTriggerList('userMigration, pretoken')).toEqual(['migration', 'pretoken']);
  });

  it('names an unknown trigger and the allowed ones', () => {
    expect(() => parseTriggerList('define,postConfirmation')).toThrow(/unknown trigger "postConfirmation"; use define \(defineAuthChallenge\)/);
  });

  it('maps name=arn pairs to keys and rejects what is not a function ARN', () => {
    expect(parseFunctionOverrides(`define=${suiteArn('defineAuthChallenge')},userMigration=${suiteArn('userMigration')}`)).toEqual({
      define: suiteArn('defineAuthChallenge'),
      migration: suiteArn('userMigration'),
    });
    expect(() => parseFunctionOverrides('define=my-function')).toThrow(/not a Lambda function ARN/);
    expect(() => parseFunctionOverrides('define')).toThrow(/not name=arn/);
  });
});

describe('parseAttachArgs', () => {
  it('defaults: all six triggers, stage dev, Region from the pool id, V2_0, no force, no dry run', () => {
    expect(parseAttachArgs(['--user-pool-id', POOL_ID])).toEqual({
      userPoolId: POOL_ID,
      region: 'eu-west-1',
      stage: 'dev',
      only: ['define', 'create', 'verify', 'migration', 'pretoken', 'presignup'],
      functions: {},
      preTokenVersion: 'V2_0',
      force: false,
      detach: false,
      dryRun: false,
    });
  });

  it('a missing --user-pool-id is a usage error that says so', () => {
    expect(() => parseAttachArgs(['--dry-run'])).toThrow('--user-pool-id is required');
  });

  it('rejects an unknown option, a bad pool id, a mismatched Region and a bad version', () => {
    expect(() => parseAttachArgs(['--user-pool-id', POOL_ID, '--forse'])).toThrow(AttachUsageError);
    expect(() => parseAttachArgs(['--user-pool-id', 'Ab12Cd34E'])).toThrow(/not a user pool id/);
    expect(() => parseAttachArgs(['--user-pool-id', POOL_ID, '--region', 'us-east-1'])).toThrow(/does not match the Region/);
    expect(() => parseAttachArgs(['--user-pool-id', POOL_ID, '--pre-token-version', 'V9'])).toThrow(/use V1_0, V2_0, V3_0/);
  });

  it('rejects --functions for a trigger --only leaves out, and --force with --detach', () => {
    expect(() => parseAttachArgs(['--user-pool-id', POOL_ID, '--only', 'define', '--functions', `create=${suiteArn('createAuthChallenge')}`])).toThrow(/which --only leaves out/);
    expect(() => parseAttachArgs(['--user-pool-id', POOL_ID, '--detach', '--force'])).toThrow(/--force has no meaning with --detach/);
  });

  it('returns help for --help', () => {
    expect(parseAttachArgs(['--help'])).toBe('help');
  });
});
