import type { SessionEntry } from '../../shared/auth/events.js';
import { CognitoError, notAuthorized } from './errors.js';
import { SessionStore } from './sessions.js';
import { invokeTrigger, triggerEvent, type InvokeListener, type TriggerContext, type Triggers } from './triggers.js';

/**
 * CUSTOM_AUTH as Cognito orchestrates it (DG: "Custom authentication challenge Lambda triggers"):
 * Define decides, Create builds each CUSTOM_CHALLENGE, Verify grades each answer, Define again;
 * the session string is single use and expires after the app client's AuthSessionValidity.
 * The PASSWORD_VERIFIER step is graded by the caller (real SRP at the endpoint, a plain password in
 * the harness) and reported with `passwordChecked`.
 */

export interface FlowUser {
  userName: string;
  /** Includes `sub`. */
  attributes: Record<string, string>;
}

export interface CustomAuthOptions {
  triggers: Triggers;
  context: TriggerContext;
  /** The user a name stands for (name, alias, any case the pool accepts), or undefined. */
  findUser: (name: string) => FlowUser | undefined;
  preventUserExistenceErrors: boolean;
  sessionValidityMs: number;
  now?: () => number;
  /** Cognito retries a trigger whose cold start is slow; this calls Create twice per round. */
  retryCreate?: boolean;
  onInvoke?: InvokeListener;
}

export type FlowStep =
  | { kind: 'challenge'; challengeName: string; session: string; parameters: Record<string, string>; userName: string; userFound: boolean }
  | { kind: 'authenticated'; userName: string };

interface PendingSession {
  userName: string;
  userFound: boolean;
  entries: SessionEntry[];
  challengeName: string;
  privateParameters: Record<string, string>;
  challengeMetadata: string | undefined;
  /** What the caller keeps with a PASSWORD_VERIFIER step (the SRP state). */
  extra: unknown;
}

export class CustomAuthFlow {
  private readonly sessions: SessionStore<PendingSession>;

  constructor(private readonly options: CustomAuthOptions) {
    this.sessions = new SessionStore(options.sessionValidityMs, options.now ?? Date.now);
  }

  private event(triggerSource: string, user: FlowUser | undefined, userName: string, request: Record<string, unknown>, response: Record<string, unknown>) {
    return triggerEvent(
      this.options.context,
      triggerSource,
      userName,
      {
        userAttributes: user ? { ...user.attributes } : {},
        ...(this.options.preventUserExistenceErrors ? { userNotFound: user === undefined } : {}),
        ...request,
      },
      response,
    );
  }

  private async next(userName: string, entries: SessionEntry[], clientMetadata: Record<string, string> | undefined): Promise<FlowStep> {
    const user = this.options.findUser(userName);
    const metadata = clientMetadata ? { clientMetadata } : {};
    const define = await invokeTrigger(
      this.options.triggers,
      'defineAuthChallenge',
      this.event('DefineAuthChallenge_Authentication', user, userName, { session: entries, ...metadata }, { challengeName: undefined, issueTokens: false, failAuthentication: false }),
      this.options.onInvoke,
    );
    if (define.response.issueTokens === true) {
      // Cognito never issues tokens for a user it does not have.
      if (user === undefined) throw notAuthorized();
      return { kind: 'authenticated', userName };
    }
    if (define.response.failAuthentication === true) throw notAuthorized();
    const challengeName: unknown = define.response.challengeName;
    if (challengeName === 'PASSWORD_VERIFIER') return this.pending(userName, user !== undefined, entries, challengeName, {}, undefined, {});
    if (challengeName !== 'CUSTOM_CHALLENGE') {
      throw new CognitoError('InvalidLambdaResponseException', `DefineAuthChallenge returned a challenge this pool cannot run: ${String(challengeName)}.`);
    }
    const createEvent = this.event('CreateAuthChallenge_Authentication', user, userName, { challengeName, session: entries, ...metadata }, {
      publicChallengeParameters: {},
      privateChallengeParameters: {},
      challengeMetadata: undefined,
    });
    let create = await invokeTrigger(this.options.triggers, 'createAuthChallenge', createEvent, this.options.onInvoke);
    if (this.options.retryCreate) create = await invokeTrigger(this.options.triggers, 'createAuthChallenge', createEvent, this.options.onInvoke);
    const { publicChallengeParameters = {}, privateChallengeParameters = {}, challengeMetadata } = create.response;
    return this.pending(userName, user !== undefined, entries, challengeName, publicChallengeParameters, challengeMetadata, privateChallengeParameters);
  }

  private pending(
    userName: string,
    userFound: boolean,
    entries: SessionEntry[],
    challengeName: string,
    parameters: Record<string, string>,
    challengeMetadata: string | undefined,
    privateParameters: Record<string, string>,
  ): FlowStep {
    const session = this.sessions.open({ userName, userFound, entries, challengeName, privateParameters, challengeMetadata, extra: undefined });
    return { kind: 'challenge', challengeName, session, parameters: { USERNAME: userName, ...parameters }, userName, userFound };
  }

  /** InitiateAuth with CUSTOM_AUTH; `withSrp` is AuthParameters.CHALLENGE_NAME = SRP_A (the SRP_A step itself always succeeds). */
  async start(name: string, options: { withSrp?: boolean } = {}): Promise<FlowStep> {
    const user = this.options.findUser(name);
    if (user === undefined && !this.options.preventUserExistenceErrors) throw new CognitoError('UserNotFoundException', 'User does not exist.');
    const entries: SessionEntry[] = options.withSrp ? [{ challengeName: 'SRP_A', challengeResult: true }] : [];
    // Cognito passes InitiateAuth's ClientMetadata to none of the custom-auth triggers.
    return this.next(user?.userName ?? name, entries, undefined);
  }

  /** Keeps caller state (the SRP exchange) with a PASSWORD_VERIFIER session. */
  attach(session: string, extra: unknown): void {
    this.sessions.peek(session).extra = extra;
  }

  /** The session's step without using it up; throws Cognito's errors for an unknown or expired session. */
  peek(session: string | undefined): Readonly<PendingSession> {
    return this.sessions.peek(session);
  }

  private take(session: string | undefined, challengeName: string): PendingSession {
    const pending = this.sessions.take(session);
    if (pending.challengeName !== challengeName) throw notAuthorized('Invalid session for the user.');
    return pending;
  }

  /** RespondToAuthChallenge with PASSWORD_VERIFIER, once the caller has graded the password. */
  async passwordChecked(session: string | undefined, correct: boolean, clientMetadata?: Record<string, string>): Promise<FlowStep> {
    const pending = this.take(session, 'PASSWORD_VERIFIER');
    return this.next(pending.userName, [...pending.entries, { challengeName: 'PASSWORD_VERIFIER', challengeResult: correct && pending.userFound }], clientMetadata);
  }

  /** RespondToAuthChallenge with CUSTOM_CHALLENGE and ANSWER. */
  async answer(session: string | undefined, answer: string, clientMetadata?: Record<string, string>): Promise<FlowStep> {
    const pending = this.take(session, 'CUSTOM_CHALLENGE');
    const user = this.options.findUser(pending.userName);
    const verify = await invokeTrigger(
      this.options.triggers,
      'verifyAuthChallenge',
      this.event(
        'VerifyAuthChallengeResponse_Authentication',
        user,
        pending.userName,
        { privateChallengeParameters: pending.privateParameters, challengeAnswer: answer, ...(clientMetadata ? { clientMetadata } : {}) },
        { answerCorrect: false },
      ),
      this.options.onInvoke,
    );
    const entry: SessionEntry = { challengeName: 'CUSTOM_CHALLENGE', challengeResult: verify.response.answerCorrect === true };
    if (pending.challengeMetadata !== undefined) entry.challengeMetadata = pending.challengeMetadata;
    return this.next(pending.userName, [...pending.entries, entry], clientMetadata);
  }
}
