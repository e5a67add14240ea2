import { createPublicKey, generateKeyPairSync, randomBytes, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { notAuthorized } from './errors.js';
import type { PoolConfig } from './pool.js';
import type { PoolUser } from './users.js';

/**
 * ID, access and refresh tokens as Cognito issues them (DG: "Understanding user pool JSON web tokens"):
 * RS256, one key for ID tokens and another for access tokens (different `kid`s), published as a
 * JWKS at /<poolId>/.well-known/jwks.json. Keys are made at start and never leave the process.
 * The refresh token is opaque (Cognito's is encrypted); it is kept here with its origin_jti so
 * RevokeToken and GlobalSignOut can revoke what was issued with it.
 */

type Claims = Record<string, unknown>;

/** What pre token generation asked for, already read from its response (see preToken.ts). */
export interface TokenShaping {
  idClaims: Claims;
  idSuppress: string[];
  accessClaims: Claims;
  accessSuppress: string[];
  scopesToAdd: string[];
  scopesToSuppress: string[];
  groups: string[] | undefined;
  roles: string[] | undefined;
  preferredRole: string | undefined;
}

export interface RefreshRecord {
  username: string;
  clientId: string;
  originJti: string;
  authTime: number;
  expiresAt: number;
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

function makeKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  return { kid: randomBytes(16).toString('base64'), privateKey, publicJwk: { alg: 'RS256', e: jwk.e, kid: '', kty: 'RSA', n: jwk.n, use: 'sig' } };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

// Claims no trigger may set or remove (DG: pre token generation, "Excluded claims").
const RESERVED = new Set(['acr', 'amr', 'at_hash', 'auth_time', 'azp', 'exp', 'iat', 'iss', 'jti', 'nbf', 'nonce', 'origin_jti', 'token_use', 'sub', 'cognito:username', 'identities', 'event_id']);
const RESERVED_ACCESS = new Set([...RESERVED, 'username', 'client_id', 'device_key', 'version', 'scope']);
const BOOLEAN_ATTRIBUTES = new Set(['email_verified', 'phone_number_verified']);

export class TokenIssuer {
  private readonly idKey = makeKey();
  private readonly accessKey = makeKey();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly revokedOrigins = new Set<string>();
  readonly issuer: string;

  constructor(
    private readonly pool: PoolConfig,
    private readonly now: () => number,
    issuer?: string,
  ) {
    this.issuer = issuer ?? `https://cognito-idp.${pool.userPoolId.split('_')[0]}.amazonaws.com/${pool.userPoolId}`;
    this.idKey.publicJwk.kid = this.idKey.kid;
    this.accessKey.publicJwk.kid = this.accessKey.kid;
  }

  jwks(): { keys: Record<string, unknown>[] } {
    return { keys: [this.idKey.publicJwk, this.accessKey.publicJwk] };
  }

  private signJwt(key: SigningKey, payload: Claims): string {
    const input = `${b64({ kid: key.kid, alg: 'RS256' })}.${b64(payload)}`;
    return `${input}.${sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')}`;
  }

  /** ID and access tokens for a user, shaped by pre token generation; a new refresh token unless one is being used. */
  issue(user: PoolUser, input: { authTime: number; shaping: TokenShaping; refresh?: RefreshRecord }) {
    const client = this.pool.client;
    const iat = Math.floor(this.now() / 1000);
    const originJti = input.refresh?.originJti ?? randomUUID();
    const eventId = randomUUID();
    const groups = input.shaping.groups ?? user.groups;
    const common = { sub: user.attributes.sub, iss: this.issuer, origin_jti: originJti, event_id: eventId, auth_time: input.authTime, iat };

    const idClaims: Claims = {};
    for (const [name, value] of Object.entries(user.attributes)) idClaims[name] = BOOLEAN_ATTRIBUTES.has(name) ? value === 'true' : value;
    if (groups.length > 0) idClaims['cognito:groups'] = groups;
    if (input.shaping.roles && input.shaping.roles.length > 0) idClaims['cognito:roles'] = input.shaping.roles;
    if (input.shaping.preferredRole) idClaims['cognito:preferred_role'] = input.shaping.preferredRole;
    for (const [name, value] of Object.entries(input.shaping.idClaims)) if (!RESERVED.has(name) && !name.startsWith('cognito:')) idClaims[name] = value;
    for (const name of input.shaping.idSuppress) if (!RESERVED.has(name)) delete idClaims[name];
    const idToken = this.signJwt(this.idKey, {
      ...idClaims,
      ...common,
      aud: client.clientId,
      'cognito:username': user.username,
      token_use: 'id',
      exp: iat + client.idTokenValidityMinutes * 60,
      jti: randomUUID(),
    });

    const scopes = ['aws.cognito.signin.user.admin', ...input.shaping.scopesToAdd].filter((scope, index, all) => all.indexOf(scope) === index && !input.shaping.scopesToSuppress.includes(scope));
    const accessClaims: Claims = {};
    if (groups.length > 0) accessClaims['cognito:groups'] = groups;
    for (const [name, value] of Object.entries(input.shaping.accessClaims)) if (!RESERVED_ACCESS.has(name) && !name.startsWith('cognito:')) accessClaims[name] = value;
    for (const name of input.shaping.accessSuppress) if (!RESERVED_ACCESS.has(name)) delete accessClaims[name];
    const accessToken = this.signJwt(this.accessKey, {
      ...accessClaims,
      ...common,
      client_id: client.clientId,
      token_use: 'access',
      scope: scopes.join(' '),
      exp: iat + client.accessTokenValidityMinutes * 60,
      jti: randomUUID(),
      username: user.username,
    });

    let refreshToken: string | undefined;
    if (input.refresh === undefined) {
      refreshToken = randomBytes(300).toString('base64url');
      this.refreshTokens.set(refreshToken, {
        username: user.username,
        clientId: client.clientId,
        originJti,
        authTime: input.authTime,
        expiresAt: this.now() + client.refreshTokenValidityDays * 86_400_000,
      });
    }
    return {
      AccessToken: accessToken,
      IdToken: idToken,
      ...(refreshToken ? { RefreshToken: refreshToken } : {}),
      ExpiresIn: client.accessTokenValidityMinutes * 60,
      TokenType: 'Bearer',
    };
  }

  /** A refresh token that may still be used, or NotAuthorizedException as Cognito words it. */
  refreshRecord(token: string | undefined, clientId: string): RefreshRecord {
    const record = token === undefined ? undefined : this.refreshTokens.get(token);
    if (record === undefined || record.clientId !== clientId) throw notAuthorized('Invalid Refresh Token');
    if (this.revokedOrigins.has(record.originJti)) throw notAuthorized('Refresh Token has been revoked');
    if (this.now() >= record.expiresAt) throw notAuthorized('Refresh Token has expired');
    return record;
  }

  /** RevokeToken: the refresh token and every access and ID token issued with it. */
  revokeRefreshToken(token: string, clientId: string): boolean {
    const record = this.refreshTokens.get(token);
    if (record === undefined || record.clientId !== clientId) return false;
    this.revokedOrigins.add(record.originJti);
    return true;
  }

  /** GlobalSignOut: every refresh token of the user, and the tokens issued with them. */
  revokeAllFor(username: string): void {
    for (const record of this.refreshTokens.values()) if (record.username === username) this.revokedOrigins.add(record.originJti);
  }

  /** The claims of an access token this pool issued and has not revoked (GetUser, GlobalSignOut). */
  verifyAccessToken(token: string | undefined): Claims {
    const parts = (token ?? '').split('.');
    const [header, payload, signature] = parts;
    if (parts.length !== 3 || header === undefined || payload === undefined || signature === undefined) throw notAuthorized('Invalid Access Token');
    const publicKey = createPublicKey({ key: this.accessKey.publicJwk as never, format: 'jwk' });
    if (!verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))) throw notAuthorized('Invalid Access Token');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
    if (claims.token_use !== 'access' || claims.iss !== this.issuer) throw notAuthorized('Invalid Access Token');
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.now()) throw notAuthorized('Access Token has expired');
    if (this.revokedOrigins.has(String(claims.origin_jti))) throw notAuthorized('Access Token has been revoked');
    return claims;
  }
}
