import { CustomAuthFlow, type FlowStep } from './cognito/customAuth.js';
import { CognitoError } from './cognito/errors.js';
import type { TriggerHandler, TriggerKey } from './cognito/triggers.js';

/**
 * The custom-auth orchestration of the local Cognito endpoint (local/cognito/customAuth.ts),
 * called in-process without HTTP, users or tokens: the demo, the flow, property and load tests
 * drive the triggers through exactly the code real clients reach through the endpoint.
 * Here the password step compares a plain password; the endpoint runs real SRP.
 */

export { CognitoError };

export interface HarnessTriggers {
  define: TriggerHandler;
  create: TriggerHandler;
  verify: TriggerHandler;
}

export interface HarnessOptions {
  triggers: HarnessTriggers;
  users: Record<string, { attributes: Record<string, string>; password?: string }>;
  userPoolId?: string;
  clientId?: string;
  /** Cognito retries a trigger whose cold start is slow; this calls Create twice per round. */
  retryCreate?: boolean;
  /** Called with every trigger invocation, for the demo's narration. */
  onInvoke?: (trigger: 'define' | 'create' | 'verify', event: any, result: any) => void;
  /** The app client's AuthSessionValidity (default 5 minutes, as serverless.yml sets it). */
  sessionValidityMs?: number;
  now?: () => number;
}

export type AuthResult =
  | { kind: 'challenge'; challengeName: string; session: string; parameters: Record<string, string> }
  | { kind: 'tokens'; idToken: string; accessToken: string };

const SHORT_NAMES: Partial<Record<TriggerKey, 'define' | 'create' | 'verify'>> = {
  defineAuthChallenge: 'define',
  createAuthChallenge: 'create',
  verifyAuthChallenge: 'verify',
};

export class CognitoCustomAuthHarness {
  private readonly flow: CustomAuthFlow;

  constructor(private readonly options: HarnessOptions) {
    const userPoolId = options.userPoolId ?? 'us-east-1_LOCAL';
    const { onInvoke } = options;
    this.flow = new CustomAuthFlow({
      triggers: { defineAuthChallenge: options.triggers.define, createAuthChallenge: options.triggers.create, verifyAuthChallenge: options.triggers.verify },
      context: { userPoolId, clientId: options.clientId ?? 'localclient', region: userPoolId.split('_')[0] ?? 'us-east-1' },
      // The harness's users are named by their user name, which is also their sub.
      findUser: (name) => {
        const user = options.users[name];
        return user ? { userName: name, attributes: { sub: name, ...user.attributes } } : undefined;
      },
      preventUserExistenceErrors: true,
      sessionValidityMs: options.sessionValidityMs ?? 5 * 60_000,
      ...(options.now ? { now: options.now } : {}),
      ...(options.retryCreate ? { retryCreate: true } : {}),
      ...(onInvoke ? { onInvoke: (key: TriggerKey, event: any, result: any) => void (SHORT_NAMES[key] && onInvoke(SHORT_NAMES[key], event, result)) } : {}),
    });
  }

  private result(step: FlowStep): AuthResult {
    if (step.kind === 'authenticated') return { kind: 'tokens', idToken: `local-id-token.${step.userName}`, accessToken: `local-access-token.${step.userName}` };
    return { kind: 'challenge', challengeName: step.challengeName, session: step.session, parameters: step.parameters };
  }

  /** InitiateAuth with AuthFlow CUSTOM_AUTH; `password` starts with the SRP step (CHALLENGE_NAME=SRP_A). */
  async initiateAuth(userName: string, options: { password?: string } = {}): Promise<AuthResult> {
    return this.result(await this.flow.start(userName, { withSrp: options.password !== undefined }));
  }

  /** RespondToAuthChallenge: ANSWER for a custom challenge, PASSWORD for the SRP password step. */
  async respond(session: string, response: { answer?: string; password?: string; clientMetadata?: Record<string, string> }): Promise<AuthResult> {
    const pending = this.flow.peek(session);
    if (pending.challengeName === 'PASSWORD_VERIFIER') {
      const password = this.options.users[pending.userName]?.password;
      const correct = password !== undefined && password === response.password;
      return this.result(await this.flow.passwordChecked(session, correct, response.clientMetadata));
    }
    return this.result(await this.flow.answer(session, response.answer ?? '', response.clientMetadata));
  }
}
