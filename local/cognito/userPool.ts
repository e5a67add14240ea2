import type { EmailSender, SmsSender } from '../../shared/delivery/senders.js';
import { CustomAuthFlow } from './customAuth.js';
import { CognitoError } from './errors.js';
import { PoolMessages } from './messages.js';
import type { PasswordSession } from './operations/passwordFlows.js';
import { regionOf, suitePool, type AuthFlow, type ClientConfig, type PoolConfig } from './pool.js';
import { shapeTokens, type TokenGenerationSource } from './preToken.js';
import { SessionStore } from './sessions.js';
import { TokenIssuer, type RefreshRecord } from './tokens.js';
import type { InvokeListener, TriggerContext, Triggers } from './triggers.js';
import { UserStore, type PoolUser } from './users.js';

/**
 * One local user pool with one app client: its users, tokens, messages, triggers and the
 * custom-auth orchestration. The operations (operations/*.ts) work on this; the HTTP server
 * (server.ts) only parses and answers.
 */

export interface LocalUserPoolOptions {
  triggers: Triggers;
  pool?: PoolConfig;
  now?: () => number;
  /** Token `iss`; default Cognito's own form, https://cognito-idp.<region>.amazonaws.com/<poolId>. */
  issuer?: string;
  senders?: { email?: EmailSender; sms?: SmsSender };
  onInvoke?: InvokeListener;
  /** Call Create twice per round, as Cognito's retries can. */
  retryCreate?: boolean;
}

export class LocalUserPool {
  readonly pool: PoolConfig;
  readonly triggers: Triggers;
  readonly now: () => number;
  readonly users: UserStore;
  readonly tokens: TokenIssuer;
  readonly messages: PoolMessages;
  readonly flow: CustomAuthFlow;
  /** USER_SRP_AUTH and NEW_PASSWORD_REQUIRED sessions (custom auth keeps its own in `flow`). */
  readonly passwordSessions: SessionStore<PasswordSession>;
  readonly context: TriggerContext;
  readonly onInvoke: InvokeListener | undefined;

  constructor(options: LocalUserPoolOptions) {
    this.pool = options.pool ?? suitePool();
    this.triggers = options.triggers;
    this.now = options.now ?? Date.now;
    this.onInvoke = options.onInvoke;
    this.users = new UserStore(this.pool, this.now);
    this.tokens = new TokenIssuer(this.pool, this.now, options.issuer);
    this.messages = new PoolMessages(options.senders);
    this.context = { userPoolId: this.pool.userPoolId, clientId: this.pool.client.clientId, region: regionOf(this.pool.userPoolId) };
    this.passwordSessions = new SessionStore(this.pool.client.authSessionValidityMinutes * 60_000, this.now);
    this.flow = new CustomAuthFlow({
      triggers: this.triggers,
      context: this.context,
      findUser: (name) => {
        const user = this.users.find(name);
        return user ? { userName: user.username, attributes: { ...user.attributes } } : undefined;
      },
      preventUserExistenceErrors: this.pool.client.preventUserExistenceErrors,
      sessionValidityMs: this.pool.client.authSessionValidityMinutes * 60_000,
      now: this.now,
      ...(options.retryCreate ? { retryCreate: true } : {}),
      ...(options.onInvoke ? { onInvoke: options.onInvoke } : {}),
    });
  }

  client(clientId: unknown): ClientConfig {
    if (clientId !== this.pool.client.clientId) throw new CognitoError('ResourceNotFoundException', `User pool client ${String(clientId)} does not exist.`);
    return this.pool.client;
  }

  checkPoolId(userPoolId: unknown): void {
    if (userPoolId !== this.pool.userPoolId) throw new CognitoError('ResourceNotFoundException', `User pool ${String(userPoolId)} does not exist.`);
  }

  requireFlow(flow: AuthFlow, name: string): void {
    if (!this.pool.client.explicitAuthFlows.includes(flow)) throw new CognitoError('InvalidParameterException', `${name} flow not enabled for this client`);
  }

  /** An existing user for the admin operations (these never hide that a user does not exist). */
  existingUser(name: unknown): PoolUser {
    const user = typeof name === 'string' ? this.users.find(name) : undefined;
    if (user === undefined) throw new CognitoError('UserNotFoundException', 'User does not exist.');
    return user;
  }

  /** Tokens after pre token generation, the `AuthenticationResult` of the API. */
  async authenticationResult(user: PoolUser, source: TokenGenerationSource, clientMetadata: Record<string, string> | undefined, refresh?: RefreshRecord) {
    const shaping = await shapeTokens({ pool: this.pool, triggers: this.triggers, context: this.context, user, source, clientMetadata, onInvoke: this.onInvoke });
    const authTime = refresh?.authTime ?? Math.floor(this.now() / 1000);
    return this.tokens.issue(user, { authTime, shaping, ...(refresh ? { refresh } : {}) });
  }
}
