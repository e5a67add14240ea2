import type { LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';
import { ALL_TRIGGER_KEYS, DEFAULT_PRE_TOKEN_VERSION, type PreTokenVersion, sameFunction, type SuiteTriggerName, suiteTrigger, type TriggerKey } from './triggers.js';

/**
 * What attaching or detaching the suite does to a pool's LambdaConfig. Only the suite's five triggers
 * are ever read or written; every other entry (PostConfirmation, custom senders with their KMSKeyID,
 * InboundFederation, …) is copied as it is.
 */

export interface TriggerTarget {
  arn: string;
  /** PreTokenGeneration only. */
  version?: PreTokenVersion | string;
}

/**
 * add / replace (our function, another qualifier or version) / unchanged / overwrite (another
 * function, with --force) / conflict (another function, refused) / remove / foreign (detach leaves
 * another function alone) / absent (detach: nothing there).
 */
export type ChangeKind = 'add' | 'replace' | 'unchanged' | 'overwrite' | 'conflict' | 'remove' | 'foreign' | 'absent';

export interface TriggerChange {
  key: TriggerKey;
  trigger: SuiteTriggerName;
  before: TriggerTarget | undefined;
  after: TriggerTarget | undefined;
  kind: ChangeKind;
}

export interface Conflict {
  trigger: SuiteTriggerName;
  currentArn: string;
  wantedArn: string;
}

export interface AttachPlan {
  lambdaConfig: LambdaConfigType;
  changes: TriggerChange[];
  /** Triggers that point at another function. Without force they keep it and the attach must be refused. */
  conflicts: Conflict[];
}

export interface DetachPlan {
  lambdaConfig: LambdaConfigType;
  changes: TriggerChange[];
}

export interface AttachOptions {
  force?: boolean;
  preTokenVersion?: PreTokenVersion;
}

/** The function a suite trigger points at now. A legacy PreTokenGeneration without config is V1_0. */
export function currentTarget(config: LambdaConfigType, key: TriggerKey): TriggerTarget | undefined {
  if (key === 'pretoken') {
    const versioned = config.PreTokenGenerationConfig;
    if (versioned?.LambdaArn !== undefined && versioned.LambdaArn !== '') {
      return { arn: versioned.LambdaArn, version: versioned.LambdaVersion ?? 'V1_0' };
    }
    const legacy = config.PreTokenGeneration;
    return legacy === undefined || legacy === '' ? undefined : { arn: legacy, version: 'V1_0' };
  }
  const arn = config[suiteTrigger(key).trigger];
  return arn === undefined || arn === '' ? undefined : { arn };
}

function setTarget(config: LambdaConfigType, key: TriggerKey, target: TriggerTarget): void {
  if (key === 'pretoken') {
    const version = (target.version ?? DEFAULT_PRE_TOKEN_VERSION) as PreTokenVersion;
    config.PreTokenGenerationConfig = { LambdaVersion: version, LambdaArn: target.arn };
    // The legacy field, when present, must be identical to PreTokenGenerationConfig.LambdaArn.
    config.PreTokenGeneration = target.arn;
    return;
  }
  config[suiteTrigger(key).trigger as Exclude<SuiteTriggerName, 'PreTokenGeneration'>] = target.arn;
}

function clearTarget(config: LambdaConfigType, key: TriggerKey): void {
  if (key === 'pretoken') {
    delete config.PreTokenGenerationConfig;
    delete config.PreTokenGeneration;
    return;
  }
  delete config[suiteTrigger(key).trigger as Exclude<SuiteTriggerName, 'PreTokenGeneration'>];
}

function sameTarget(a: TriggerTarget | undefined, b: TriggerTarget | undefined): boolean {
  return a?.arn === b?.arn && a?.version === b?.version;
}

/** Points each selected trigger at our function (`ours`: ARN per selected key), in the suite's order. */
export function planAttach(
  current: LambdaConfigType | undefined,
  ours: Partial<Record<TriggerKey, string>>,
  options: AttachOptions = {},
): AttachPlan {
  const lambdaConfig = structuredClone(current ?? {});
  const changes: TriggerChange[] = [];
  const conflicts: Conflict[] = [];
  for (const key of ALL_TRIGGER_KEYS) {
    const arn = ours[key];
    if (arn === undefined) continue;
    const { trigger } = suiteTrigger(key);
    const before = currentTarget(lambdaConfig, key);
    const wanted: TriggerTarget = key === 'pretoken' ? { arn, version: options.preTokenVersion ?? DEFAULT_PRE_TOKEN_VERSION } : { arn };
    let kind: ChangeKind;
    if (before === undefined) kind = 'add';
    else if (sameTarget(before, wanted)) kind = 'unchanged';
    else if (sameFunction(before.arn, arn)) kind = 'replace';
    else {
      conflicts.push({ trigger, currentArn: before.arn, wantedArn: arn });
      kind = options.force === true ? 'overwrite' : 'conflict';
    }
    if (kind !== 'conflict' && kind !== 'unchanged') setTarget(lambdaConfig, key, wanted);
    changes.push({ key, trigger, before, after: kind === 'conflict' ? before : wanted, kind });
  }
  return { lambdaConfig, changes, conflicts };
}

/** Clears each selected trigger that points at our function; one pointing elsewhere is left alone. */
export function planDetach(current: LambdaConfigType | undefined, ours: Partial<Record<TriggerKey, string>>): DetachPlan {
  const lambdaConfig = structuredClone(current ?? {});
  const changes: TriggerChange[] = [];
  for (const key of ALL_TRIGGER_KEYS) {
    const arn = ours[key];
    if (arn === undefined) continue;
    const { trigger } = suiteTrigger(key);
    const before = currentTarget(lambdaConfig, key);
    if (before === undefined) {
      changes.push({ key, trigger, before, after: undefined, kind: 'absent' });
    } else if (sameFunction(before.arn, arn)) {
      clearTarget(lambdaConfig, key);
      changes.push({ key, trigger, before, after: undefined, kind: 'remove' });
    } else {
      changes.push({ key, trigger, before, after: before, kind: 'foreign' });
    }
  }
  return { lambdaConfig, changes };
}

/** True when the plan would write something to the pool. */
export function changesPool(changes: readonly TriggerChange[]): boolean {
  return changes.some((change) => ['add', 'replace', 'overwrite', 'remove'].includes(change.kind));
}
