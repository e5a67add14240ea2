import type { LambdaConfigType, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import type { Conflict, TriggerChange, TriggerTarget } from './plan.js';
import { type PreTokenVersion, SUITE_TRIGGERS } from './triggers.js';

/** The text the attach command prints: a per-trigger diff of LambdaConfig, refusals, warnings. */

function show(target: TriggerTarget | undefined): string {
  if (target === undefined) return '(none)';
  return target.version === undefined ? target.arn : `${target.arn} [${target.version}]`;
}

const NOTES: Record<TriggerChange['kind'], string> = {
  add: 'add',
  replace: 'replace',
  unchanged: 'unchanged',
  overwrite: 'OVERWRITE another function (--force)',
  conflict: 'REFUSED: points at another function',
  remove: 'remove',
  foreign: 'kept: not this suite\'s function',
  absent: 'nothing to remove',
};

export function formatChanges(changes: readonly TriggerChange[]): string[] {
  const width = Math.max(...changes.map((c) => c.trigger.length), 0);
  return changes.map((change) => {
    const name = change.trigger.padEnd(width);
    const arrow = change.kind === 'unchanged' || change.kind === 'foreign' || change.kind === 'absent' || change.kind === 'conflict'
      ? show(change.before)
      : `${show(change.before)} → ${show(change.after)}`;
    return `  ${name}  ${arrow}  (${NOTES[change.kind]})`;
  });
}

/** LambdaConfig entries the command does not own, all of which it keeps as they are. */
export function otherEntries(config: LambdaConfigType | undefined): string[] {
  const ours = new Set<string>([...SUITE_TRIGGERS.map((t) => t.trigger), 'PreTokenGenerationConfig']);
  return Object.entries(config ?? {})
    .filter(([name, value]) => !ours.has(name) && value !== undefined && value !== null && value !== '')
    .map(([name]) => name);
}

export function conflictMessage(conflicts: readonly Conflict[]): string {
  const lines = conflicts.map((c) => `  ${c.trigger} points at ${c.currentArn} (this suite's function is ${c.wantedArn})`);
  return ['Refusing to overwrite triggers that point at another function:', ...lines, 'Nothing was changed. Detach that function first, or run again with --force to replace it.'].join('\n');
}

export function summary(changes: readonly TriggerChange[]): string {
  const counts = new Map<string, number>();
  for (const change of changes) counts.set(change.kind, (counts.get(change.kind) ?? 0) + 1);
  const order: TriggerChange['kind'][] = ['add', 'replace', 'overwrite', 'remove', 'unchanged', 'foreign', 'absent', 'conflict'];
  const words: Record<TriggerChange['kind'], string> = {
    add: 'added',
    replace: 'replaced',
    overwrite: 'overwritten',
    remove: 'removed',
    unchanged: 'unchanged',
    foreign: 'kept (another function)',
    absent: 'not set',
    conflict: 'refused',
  };
  return order.filter((kind) => counts.has(kind)).map((kind) => `${counts.get(kind)} ${words[kind]}`).join(', ');
}

/** Things Cognito will likely reject or that leave a half-configured flow; printed, never fatal. */
export function attachWarnings(pool: UserPoolType, after: LambdaConfigType, preTokenVersion: PreTokenVersion | undefined): string[] {
  const warnings: string[] = [];
  if (preTokenVersion !== undefined && preTokenVersion !== 'V1_0' && pool.UserPoolTier === 'LITE') {
    const advancedSecurity = pool.UserPoolAddOns?.AdvancedSecurityMode;
    if (advancedSecurity === undefined || advancedSecurity === 'OFF') {
      warnings.push(`PreTokenGeneration ${preTokenVersion} needs the Essentials or Plus tier (this pool is LITE); use --pre-token-version V1_0.`);
    }
  }
  const customAuth = [after.DefineAuthChallenge, after.CreateAuthChallenge, after.VerifyAuthChallengeResponse];
  if (customAuth.some((arn) => arn !== undefined) && customAuth.some((arn) => arn === undefined)) {
    warnings.push('Custom authentication needs all three of DefineAuthChallenge, CreateAuthChallenge and VerifyAuthChallengeResponse; this pool will have only some.');
  }
  warnings.push(...unverifiedChangeWarnings(pool));
  return warnings;
}

const CONTACT_ATTRIBUTES = ['email', 'phone_number'] as const;

/**
 * A pool without AttributesRequireVerificationBeforeUpdate lets a changed email or phone replace the verified one at
 * once: codes stop reaching the address the user proved. Attach only reports it; changing it is the owner's call.
 */
function unverifiedChangeWarnings(pool: UserPoolType): string[] {
  const protectedAttributes = pool.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
  const used = new Set([...(pool.AutoVerifiedAttributes ?? []), ...(pool.UsernameAttributes ?? []), ...(pool.AliasAttributes ?? [])]);
  return CONTACT_ATTRIBUTES.filter((attribute) => used.has(attribute) && !protectedAttributes.includes(attribute)).map(
    (attribute) =>
      `This pool applies a changed ${attribute} before it is verified (UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate lacks it), so the verified value is replaced at once and codes stop going to it; set it on the pool (${attribute} must be auto-verified).`,
  );
}
