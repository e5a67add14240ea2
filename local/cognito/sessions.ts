import { randomBytes } from 'node:crypto';
import { notAuthorized } from './errors.js';

/**
 * Cognito's `Session` strings: opaque (20–2048 characters), single use, and void after the app
 * client's AuthSessionValidity. Expired entries are swept as new ones open, so an abandoned
 * sign-in does not stay in memory.
 */
export class SessionStore<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(
    private readonly validityMs: number,
    private readonly now: () => number,
  ) {}

  open(value: T): string {
    const now = this.now();
    if (this.entries.size >= 1000) for (const [id, entry] of this.entries) if (now >= entry.expiresAt) this.entries.delete(id);
    const session = randomBytes(96).toString('base64url');
    this.entries.set(session, { value, expiresAt: now + this.validityMs });
    return session;
  }

  has(session: string | undefined): session is string {
    return session !== undefined && this.entries.has(session);
  }

  /** The session's value without using it up, or NotAuthorizedException as Cognito words it. */
  peek(session: string | undefined): T {
    const entry = session === undefined ? undefined : this.entries.get(session);
    if (entry === undefined) throw notAuthorized('Invalid session for the user.');
    if (this.now() >= entry.expiresAt) {
      this.entries.delete(session as string);
      throw notAuthorized('Invalid session for the user, session is expired.');
    }
    return entry.value;
  }

  take(session: string | undefined): T {
    const value = this.peek(session);
    this.entries.delete(session as string);
    return value;
  }
}
