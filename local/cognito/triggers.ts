import { CognitoError } from './errors.js';

/**
 * The Lambda triggers a pool runs, as one dictionary: key → the name Cognito uses for it in
 * `LambdaConfig` and in `<Trigger> failed with error …`. A new trigger is one line here, plus the
 * operation that fires it.
 */
export const TRIGGER_NAMES = {
  defineAuthChallenge: 'DefineAuthChallenge',
  createAuthChallenge: 'CreateAuthChallenge',
  verifyAuthChallenge: 'VerifyAuthChallengeResponse',
  preTokenGeneration: 'PreTokenGeneration',
  userMigration: 'UserMigration',
  preSignUp: 'PreSignUp',
} as const;

export type TriggerKey = keyof typeof TRIGGER_NAMES;
// Trigger events and responses are whatever each handler's own parser accepts.
export type TriggerHandler = (event: any) => Promise<any>;
export type Triggers = Partial<Record<TriggerKey, TriggerHandler>>;
export type InvokeListener = (trigger: TriggerKey, event: any, result: any) => void;

export interface TriggerContext {
  userPoolId: string;
  clientId: string;
  region: string;
}

/** The fields every trigger event shares (DG: "User pool Lambda trigger event parameters shared by all requests"). */
export function triggerEvent(context: TriggerContext, triggerSource: string, userName: string, request: Record<string, unknown>, response: Record<string, unknown>, version = '1') {
  return {
    version,
    region: context.region,
    userPoolId: context.userPoolId,
    userName,
    callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: context.clientId },
    triggerSource,
    request,
    response,
  };
}

/**
 * Calls a trigger with a copy of the event, as Lambda would (JSON in, JSON out). A trigger that
 * throws becomes `UserLambdaValidationException: <Trigger> failed with error <message>.`
 */
export async function invokeTrigger(triggers: Triggers, key: TriggerKey, event: any, listener?: InvokeListener): Promise<any> {
  const handler = triggers[key];
  if (handler === undefined) throw new Error(`No ${TRIGGER_NAMES[key]} trigger is configured.`);
  let result: any;
  try {
    result = await handler(structuredClone(event));
  } catch (error) {
    throw new CognitoError('UserLambdaValidationException', `${TRIGGER_NAMES[key]} failed with error ${(error as Error).message}.`);
  }
  if (result === null || typeof result !== 'object' || typeof result.response !== 'object' || result.response === null) {
    throw new CognitoError('InvalidLambdaResponseException', `Invalid lambda response from ${TRIGGER_NAMES[key]}.`);
  }
  listener?.(key, event, result);
  return result;
}
