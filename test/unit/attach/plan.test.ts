import type { LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { changesPool, planAttach, planDetach } from '../../../local/attach/plan.js';
import { describedPool, FOREIGN_POST_CONFIRMATION, suiteArn } from './helpers.js';

const ours = {
  define: suiteArn('defineAuthChallenge'),
  create: suiteArn('createAuthChallenge'),
  verify: suiteArn('verifyAuthChallenge'),
  migration: suiteArn('userMigration'),
  pretoken: suiteArn('preTokenGeneration'),
};
const OTHER = 'arn:aws:lambda:eu-west-1:123456789012:function:someone-elses-define';
const described = (): LambdaConfigType => describedPool().LambdaConfig ?? {};

describe('planAttach', () => {
  it('adds all five triggers and keeps PostConfirmation, CustomEmailSender and KMSKeyID as they are', () => {
    const current = described();
    const plan = planAttach(current, ours);
    expect(plan.lambdaConfig).toEqual({
      ...current,
      DefineAuthChallenge: ours.define,
      CreateAuthChallenge: ours.create,
      VerifyAuthChallengeResponse: ours.verify,
      UserMigration: ours.migration,
      PreTokenGeneration: ours.pretoken,
      PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: ours.pretoken },
    });
    expect(plan.changes.map((c) => [c.trigger, c.kind])).toEqual([
      ['DefineAuthChallenge', 'add'],
      ['CreateAuthChallenge', 'add'],
      ['VerifyAuthChallengeResponse', 'add'],
      ['UserMigration', 'add'],
      ['PreTokenGeneration', 'add'],
    ]);
    expect(plan.conflicts).toEqual([]);
    expect(current).not.toHaveProperty('DefineAuthChallenge'); // the input is not changed
  });

  it('attaches only the selected triggers', () => {
    const plan = planAttach(described(), { define: ours.define, create: ours.create, verify: ours.verify });
    expect(plan.changes.map((c) => c.trigger)).toEqual(['DefineAuthChallenge', 'CreateAuthChallenge', 'VerifyAuthChallengeResponse']);
    expect(plan.lambdaConfig).not.toHaveProperty('UserMigration');
    expect(plan.lambdaConfig).not.toHaveProperty('PreTokenGenerationConfig');
  });

  it('uses the requested pre token generation version', () => {
    const plan = planAttach({}, { pretoken: ours.pretoken }, { preTokenVersion: 'V1_0' });
    expect(plan.lambdaConfig.PreTokenGenerationConfig).toEqual({ LambdaVersion: 'V1_0', LambdaArn: ours.pretoken });
    expect(plan.changes[0]?.after).toEqual({ arn: ours.pretoken, version: 'V1_0' });
  });

  it('when a trigger already points at our function, it is unchanged and the pool need not be written', () => {
    const plan = planAttach({ DefineAuthChallenge: ours.define }, { define: ours.define });
    expect(plan.changes[0]?.kind).toBe('unchanged');
    expect(changesPool(plan.changes)).toBe(false);
  });

  it('when our pre token trigger runs another version, the version is replaced', () => {
    const current = { PreTokenGeneration: ours.pretoken, PreTokenGenerationConfig: { LambdaVersion: 'V1_0' as const, LambdaArn: ours.pretoken } };
    const plan = planAttach(current, { pretoken: ours.pretoken });
    expect(plan.changes[0]).toMatchObject({ kind: 'replace', before: { version: 'V1_0' }, after: { version: 'V2_0' } });
    expect(plan.conflicts).toEqual([]);
  });

  it('treats our function under another alias as ours: replaced, not a conflict', () => {
    const plan = planAttach({ DefineAuthChallenge: `${ours.define}:live` }, { define: ours.define });
    expect(plan.changes[0]?.kind).toBe('replace');
    expect(plan.conflicts).toEqual([]);
  });

  it('without force, a trigger of another function is a conflict naming both ARNs and keeps its function', () => {
    const plan = planAttach({ ...described(), DefineAuthChallenge: OTHER }, ours);
    expect(plan.conflicts).toEqual([{ trigger: 'DefineAuthChallenge', currentArn: OTHER, wantedArn: ours.define }]);
    expect(plan.changes[0]).toMatchObject({ kind: 'conflict', before: { arn: OTHER }, after: { arn: OTHER } });
    expect(plan.lambdaConfig.DefineAuthChallenge).toBe(OTHER);
  });

  it('with force, a trigger of another function is overwritten and still reported', () => {
    const plan = planAttach({ DefineAuthChallenge: OTHER }, { define: ours.define }, { force: true });
    expect(plan.changes[0]?.kind).toBe('overwrite');
    expect(plan.conflicts).toHaveLength(1);
    expect(plan.lambdaConfig.DefineAuthChallenge).toBe(ours.define);
  });

  it('a legacy PreTokenGeneration of another function is a conflict too', () => {
    const legacy = 'arn:aws:lambda:eu-west-1:123456789012:function:old-claims';
    const plan = planAttach({ PreTokenGeneration: legacy }, { pretoken: ours.pretoken });
    expect(plan.conflicts).toEqual([{ trigger: 'PreTokenGeneration', currentArn: legacy, wantedArn: ours.pretoken }]);
  });

  it('with force over a legacy PreTokenGeneration, writes both fields with the same ARN', () => {
    const plan = planAttach({ PreTokenGeneration: 'arn:aws:lambda:eu-west-1:123456789012:function:old-claims' }, { pretoken: ours.pretoken }, { force: true });
    expect(plan.lambdaConfig.PreTokenGeneration).toBe(ours.pretoken);
    expect(plan.lambdaConfig.PreTokenGenerationConfig?.LambdaArn).toBe(ours.pretoken);
  });

  it('works on a pool with no LambdaConfig at all', () => {
    expect(planAttach(undefined, { define: ours.define }).lambdaConfig).toEqual({ DefineAuthChallenge: ours.define });
  });
});

describe('planDetach', () => {
  const attached = (): LambdaConfigType => planAttach(described(), ours).lambdaConfig;

  it('removes our five triggers and keeps the foreign PostConfirmation, CustomEmailSender and KMSKeyID', () => {
    const plan = planDetach(attached(), ours);
    expect(plan.lambdaConfig).toEqual(described());
    expect(plan.lambdaConfig.PostConfirmation).toBe(FOREIGN_POST_CONFIRMATION);
    expect(plan.changes.every((c) => c.kind === 'remove')).toBe(true);
  });

  it('leaves a suite trigger alone when it points at another function', () => {
    const plan = planDetach({ ...attached(), DefineAuthChallenge: OTHER }, ours);
    expect(plan.lambdaConfig.DefineAuthChallenge).toBe(OTHER);
    expect(plan.changes[0]).toMatchObject({ trigger: 'DefineAuthChallenge', kind: 'foreign', before: { arn: OTHER } });
  });

  it('removes only the selected triggers', () => {
    const plan = planDetach(attached(), { pretoken: ours.pretoken });
    expect(plan.lambdaConfig).not.toHaveProperty('PreTokenGenerationConfig');
    expect(plan.lambdaConfig).not.toHaveProperty('PreTokenGeneration');
    expect(plan.lambdaConfig.DefineAuthChallenge).toBe(ours.define);
  });

  it('reports a trigger that is not set as absent and writes nothing', () => {
    const plan = planDetach(described(), ours);
    expect(plan.changes.every((c) => c.kind === 'absent')).toBe(true);
    expect(changesPool(plan.changes)).toBe(false);
  });
});
