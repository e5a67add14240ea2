import { randomUUID } from 'node:crypto';
import type { SessionEntry } from '../shared/auth/events.js';

/**
 * Drives the custom-auth triggers the way Cognito orchestrates them (InitiateAuth with
 * CUSTOM_AUTH, RespondToAuthChallenge), following the documented contract: Define decides,
 * Create builds each CUSTOM_CHALLENGE, Verify grades each answer, session strings are single use.
 * cognito-local does not run custom auth, so the demo and the flow tests use this.
 */

type Handler = (event: any) => Promise<any>;

export interface HarnessTriggers {
  define: Handler;
  create: Handler;
  verify: Handler;
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
}

export type AuthResult =
  | { kind: 'challenge'; challengeName: string; session: string; parameters: Record<string, string> }
  | { kind: 'tokens'; idToken: string; accessToken: string };

export class CognitoError extends Error {
  constructor(
    public readonly code: 'NotAuthorizedException' | 'UserLambdaValidationException' | 'InvalidParameterException',
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

interface PendingSession {
  userName: string;
  entries: SessionEntry[];
  challengeName: string;
  privateParameters: Record<string, string>;
  challengeMetadata: string | undefined;
}

export class CognitoCustomAuthHarness {
  private readonly sessions = new Map<string, PendingSession>();
  constructor(private readonly options: HarnessOptions) {}

  private baseEvent(triggerSource: string, userName: string, request: Record<string, unknown>, response: Record<string, unknown>) {
    const user = this.options.users[userName];
    return {
      version: '1',
      region: 'us-east-1',
      userPoolId: this.options.userPoolId ?? 'us-east-1_LOCAL',
      userName,
      callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: this.options.clientId ?? 'localclient' },
      triggerSource,
      request: {
        userAttributes: user ? { sub: userName, ...user.attributes } : {},
        ...(user ? {} : { userNotFound: true }),
        ...request,
      },
      response,
    };
  }

  private async invoke(trigger: 'define' | 'create' | 'verify', event: any): Promise<any> {
    const triggerName = { define: 'DefineAuthChallenge', create: 'CreateAuthChallenge', verify: 'VerifyAuthChallengeResponse' }[trigger];
    let result: any;
    try {
      result = await this.options.triggers[trigger](structuredClone(event));
    } catch (error) {
      throw new CognitoError('UserLambdaValidationException', `${triggerName} failed with error ${(error as Error).message}.`);
    }
    this.options.onInvoke?.(trigger, event, result);
    return result;
  }

  private async next(userName: string, entries: SessionEntry[], clientMetadata: Record<string, string> | undefined): Promise<AuthResult> {
    const define = await this.invoke(
      'define',
      this.baseEvent('DefineAuthChallenge_Authentication', userName, { session: entries, ...(clientMetadata ? { clientMetadata } : {}) }, {
        challengeName: undefined,
        issueTokens: false,
        failAuthentication: false,
      }),
    );
    if (define.response.issueTokens === true) {
      if (!this.options.users[userName]) throw new Error('Cognito never issues tokens for an unknown user; Define asked it to.');
      return { kind: 'tokens', idToken: `local-id-token.${userName}`, accessToken: `local-access-token.${userName}` };
    }
    if (define.response.failAuthentication === true) throw new CognitoError('NotAuthorizedException', 'Incorrect username or password.');
    const challengeName: string = define.response.challengeName;
    if (challengeName === 'PASSWORD_VERIFIER') {
      const session = randomUUID();
      this.sessions.set(session, { userName, entries, challengeName, privateParameters: {}, challengeMetadata: undefined });
      return { kind: 'challenge', challengeName, session, parameters: { USERNAME: userName } };
    }
    if (challengeName !== 'CUSTOM_CHALLENGE') throw new Error(`The harness does not run challenge ${challengeName}.`);

    const createEvent = this.baseEvent(
      'CreateAuthChallenge_Authentication',
      userName,
      { challengeName, session: entries, ...(clientMetadata ? { clientMetadata } : {}) },
      { publicChallengeParameters: {}, privateChallengeParameters: {}, challengeMetadata: undefined },
    );
    let create = await this.invoke('create', createEvent);
    if (this.options.retryCreate) create = await this.invoke('create', createEvent);
    const session = randomUUID();
    this.sessions.set(session, {
      userName,
      entries,
      challengeName,
      privateParameters: create.response.privateChallengeParameters,
      challengeMetadata: create.response.challengeMetadata,
    });
    return { kind: 'challenge', challengeName, session, parameters: { USERNAME: userName, ...create.response.publicChallengeParameters } };
  }

  /** InitiateAuth with AuthFlow CUSTOM_AUTH; `password` starts with the SRP step (CHALLENGE_NAME=SRP_A). */
  async initiateAuth(userName: string, options: { password?: string } = {}): Promise<AuthResult> {
    const entries: SessionEntry[] = [];
    if (options.password !== undefined) {
      // SRP_A is accepted for any user: the proof of the password comes with PASSWORD_VERIFIER.
      entries.push({ challengeName: 'SRP_A', challengeResult: true });
    }
    return this.next(userName, entries, undefined);
  }

  /** RespondToAuthChallenge: ANSWER for a custom challenge, PASSWORD for the SRP password step. */
  async respond(session: string, response: { answer?: string; password?: string; clientMetadata?: Record<string, string> }): Promise<AuthResult> {
    const pending = this.sessions.get(session);
    if (pending === undefined) throw new CognitoError('NotAuthorizedException', 'Invalid session for the user.');
    this.sessions.delete(session);
    const { userName } = pending;
    if (pending.challengeName === 'PASSWORD_VERIFIER') {
      const user = this.options.users[userName];
      const ok = user?.password !== undefined && user.password === response.password;
      return this.next(userName, [...pending.entries, { challengeName: 'PASSWORD_VERIFIER', challengeResult: ok }], response.clientMetadata);
    }
    const verify = await this.invoke(
      'verify',
      this.baseEvent(
        'VerifyAuthChallengeResponse_Authentication',
        userName,
        {
          privateChallengeParameters: pending.privateParameters,
          challengeAnswer: response.answer ?? '',
          ...(response.clientMetadata ? { clientMetadata: response.clientMetadata } : {}),
        },
        { answerCorrect: false },
      ),
    );
    const entry: SessionEntry = { challengeName: 'CUSTOM_CHALLENGE', challengeResult: verify.response.answerCorrect === true };
    if (pending.challengeMetadata !== undefined) entry.challengeMetadata = pending.challengeMetadata;
    return this.next(userName, [...pending.entries, entry], response.clientMetadata);
  }
}
