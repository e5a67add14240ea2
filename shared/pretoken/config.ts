import { ConfigError } from '../errors.js';
import { isObject, type Json } from '../json.js';
import { type Env, optionalValue } from '../env.js';

/**
 * Configuration of the pre token generation trigger, read once at cold start.
 *
 * Every setting is optional; with none set the trigger changes nothing but still copies the
 * user's groups (see `PRETOKEN_KEEP_GROUPS`). A setting that is set but invalid fails the cold
 * start with a ConfigError naming the variable, and for claims the claim. Unknown keys in the
 * JSON settings, and unknown `PRETOKEN_*` variables, are refused so that a typo fails fast.
 */

/** A JSON value as it may appear in a token (V2/V3 keep the type; V1 turns it into text). */
export type JsonValue = null | string | number | boolean | JsonValue[] | { [key: string]: JsonValue };
export type ClaimValue = Exclude<JsonValue, null>;

export const TOKENS = ['id', 'access'] as const;
export type Token = (typeof TOKENS)[number];

export const ATTRIBUTE_TYPES = ['string', 'number', 'boolean', 'json', 'string[]'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** A claim whose value is copied from a user attribute. */
export interface AttributeClaim {
  readonly claim: string;
  readonly attribute: string;
  /** How the attribute text becomes a claim value in V2/V3 tokens (V1 always gets text). */
  readonly type: AttributeType;
  /** Which tokens receive it; V1 only ever changes the ID token. */
  readonly tokens: readonly Token[];
}

export interface StaticClaim {
  readonly claim: string;
  readonly value: ClaimValue;
}

export interface GroupRole {
  readonly group: string;
  readonly roleArn: string;
}

export interface GroupScopes {
  readonly group: string;
  readonly scopes: readonly string[];
}

/** Which of the user's groups stay in `cognito:groups`. */
export type GroupKeeping =
  | { readonly mode: 'all' }
  | { readonly mode: 'none' }
  | { readonly mode: 'only'; readonly groups: readonly string[] };

export interface PreTokenConfig {
  readonly attributeClaims: readonly AttributeClaim[];
  readonly staticClaims: readonly StaticClaim[];
  readonly suppressIdClaims: readonly string[];
  readonly suppressAccessClaims: readonly string[];
  /** In precedence order: the first entry is the highest precedence. */
  readonly groupRoles: readonly GroupRole[];
  readonly keepGroups: GroupKeeping;
  readonly groupScopes: readonly GroupScopes[];
  readonly suppressScopes: readonly string[];
  /** clientMetadata keys that may become claims; empty means the feature is off. */
  readonly clientMetadataKeys: readonly string[];
  readonly clientMetadataPrefix: string;
}

/**
 * `PRETOKEN_CLAIMS_FROM_ATTRIBUTES` — JSON object, claim name → source. The source is either
 * the attribute name (`"custom:tenant_id"`: a string claim in both tokens) or an object
 * `{"attribute": "custom:tier", "type": "number", "tokens": ["access"]}` where `type` is one of
 * `string` (default), `number`, `boolean` (`true`/`false`), `json`, `string[]` (comma-separated
 * text) and `tokens` is a non-empty subset of `["id", "access"]` (default both). A user without
 * the attribute (or with an empty value, or one that does not convert to the type) simply gets
 * no such claim. Default: none.
 *
 * `PRETOKEN_STATIC_CLAIMS` — JSON object, claim name → value (string, number, boolean, array or
 * object), added to both tokens. V1 tokens get numbers and booleans as text and arrays/objects
 * as JSON text. Default: none.
 *
 * `PRETOKEN_SUPPRESS_ID_CLAIMS`, `PRETOKEN_SUPPRESS_ACCESS_CLAIMS` — comma lists of claims removed
 * from the ID / access token (`dev:` attributes may only appear here). A claim cannot be both
 * added and suppressed. Default: none.
 *
 * `PRETOKEN_GROUP_ROLES` — JSON array `[{"group": "admins", "roleArn": "arn:aws:iam::…:role/Admin"}]`,
 * first entry = highest precedence. When set, `cognito:roles` holds the roles of the user's
 * mapped groups in this order and `cognito:preferred_role` the first of them; a user in no mapped
 * group gets no roles. When unset, Cognito's own roles are kept. Default: unset.
 *
 * `PRETOKEN_KEEP_GROUPS` — `true` (keep every group in `cognito:groups`), `false` (drop them all)
 * or a comma list of the group names that may stay. Default: `true`.
 *
 * `PRETOKEN_GROUP_SCOPES` — JSON object, group → array of OAuth scopes added to the access token
 * (V2/V3) of its members. Scopes cannot contain spaces. Default: none.
 *
 * `PRETOKEN_SUPPRESS_SCOPES` — comma list of OAuth scopes removed from every access token (V2/V3).
 * Default: none.
 *
 * `PRETOKEN_CLIENT_METADATA_CLAIMS` — comma list of `clientMetadata` keys copied into both tokens
 * as `<prefix><key>` string claims (values over 256 characters are left out). The client controls
 * these values, so they are always namespaced and can never replace a claim this configuration
 * produces or a reserved claim. Default: none (off).
 *
 * `PRETOKEN_CLIENT_METADATA_PREFIX` — the namespace for those claims: letters, digits, `_`, `.`
 * or `-` ending in `:`; not `cognito:`, `custom:` or `dev:`. Default: `client:`.
 */
export const PRETOKEN_VARIABLES = [
  'PRETOKEN_CLAIMS_FROM_ATTRIBUTES',
  'PRETOKEN_STATIC_CLAIMS',
  'PRETOKEN_SUPPRESS_ID_CLAIMS',
  'PRETOKEN_SUPPRESS_ACCESS_CLAIMS',
  'PRETOKEN_GROUP_ROLES',
  'PRETOKEN_KEEP_GROUPS',
  'PRETOKEN_GROUP_SCOPES',
  'PRETOKEN_SUPPRESS_SCOPES',
  'PRETOKEN_CLIENT_METADATA_CLAIMS',
  'PRETOKEN_CLIENT_METADATA_PREFIX',
] as const;

/** Longest clientMetadata value that becomes a claim; longer values are left out. */
export const MAX_CLIENT_METADATA_VALUE_LENGTH = 256;

/** Claims Cognito does not let a trigger add, change or suppress in either token. */
export const RESERVED_CLAIMS = [
  'acr',
  'amr',
  'at_hash',
  'auth_time',
  'azp',
  'exp',
  'iat',
  'iss',
  'jti',
  'nbf',
  'nonce',
  'origin_jti',
  'token_use',
  'sub',
  'cognito:username',
  'identities',
] as const;

/** Further claims reserved in the access token (`scope` is changed through the scope settings). */
export const RESERVED_ACCESS_CLAIMS = ['username', 'client_id', 'event_id', 'device_key', 'version', 'scope'] as const;

/** ID-token claims that must stay simple text values. */
export const SIMPLE_ID_CLAIMS = ['email_verified', 'phone_number_verified', 'updated_at', 'address'] as const;

const DEFAULT_CLIENT_METADATA_PREFIX = 'client:';
const FORBIDDEN_PREFIXES = ['cognito:', 'custom:', 'dev:'] as const;


/** JSON settings may span lines (JSON.parse refuses raw control characters inside strings itself). */
function presentJson(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Reads a JSON setting of the expected kind; `expected` describes it in either error. */
function readJson<T>(env: Env, name: string, isKind: (value: unknown) => value is T, expected: string): T | undefined {
  const raw = presentJson(env, name);
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`${name} is not valid JSON (${detail}); expected ${expected}.`, { cause: error });
  }
  if (!isKind(value)) throw new ConfigError(`${name} must be ${expected}.`);
  return value;
}

const isArray = (value: unknown): value is unknown[] => Array.isArray(value);

function commaList(env: Env, name: string): string[] {
  const raw = optionalValue(env, name);
  if (raw === undefined) return [];
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return [...new Set(items)];
}

function refuseUnknownKeys(value: Json, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(`${where} has an unknown key "${key}"; allowed keys are ${allowed.join(', ')}.`);
    }
  }
}

const CLAIM_NAME = /^[^\s\p{Cc}]{1,256}$/u;

function checkClaimName(variable: string, claim: string): void {
  if (!CLAIM_NAME.test(claim) || claim === '__proto__') {
    throw new ConfigError(`${variable}: "${claim}" is not a valid claim name (1–256 characters, no spaces).`);
  }
}

const UNCHANGEABLE = ' and cannot be added, changed or suppressed';

/**
 * Why a claim may not be added to (or suppressed from) a token, or undefined when it may.
 * Names are compared without regard to case, so `Sub` is refused like `sub`.
 */
export function claimRefusal(claim: string, token: Token, action: 'add' | 'suppress'): string | undefined {
  const lower = claim.toLowerCase();
  if ((RESERVED_CLAIMS as readonly string[]).includes(lower) || lower.startsWith('cognito:')) {
    return `claim "${claim}" is reserved by Cognito${UNCHANGEABLE}`;
  }
  if (token === 'access' && (RESERVED_ACCESS_CLAIMS as readonly string[]).includes(lower)) {
    const hint = lower === 'scope' ? ' (use PRETOKEN_GROUP_SCOPES and PRETOKEN_SUPPRESS_SCOPES)' : '';
    return `claim "${claim}" is reserved in the access token${UNCHANGEABLE}${hint}`;
  }
  if (lower === 'aud') {
    if (action === 'suppress') return 'claim "aud" cannot be suppressed';
    if (token === 'id') return 'claim "aud" can only be added to the access token';
  }
  if (action === 'add' && lower.startsWith('dev:')) {
    return `claim "${claim}" is a dev: attribute, which can only be suppressed`;
  }
  return undefined;
}

function checkClaim(variable: string, claim: string, tokens: readonly Token[], action: 'add' | 'suppress'): void {
  checkClaimName(variable, claim);
  for (const token of tokens) {
    const refusal = claimRefusal(claim, token, action);
    if (refusal !== undefined) throw new ConfigError(`${variable}: ${refusal}.`);
  }
}

function isClaimValue(value: unknown): value is ClaimValue {
  if (typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isClaimValue);
  if (isObject(value)) return Object.values(value).every(isClaimValue);
  return false;
}

function checkSimpleIdClaim(variable: string, claim: string, isText: boolean): void {
  if (!isText && (SIMPLE_ID_CLAIMS as readonly string[]).includes(claim.toLowerCase())) {
    throw new ConfigError(`${variable}: claim "${claim}" must stay a plain string in the ID token; use type "string" or send it to the access token only.`);
  }
}

const ATTRIBUTE_CLAIMS_VAR = 'PRETOKEN_CLAIMS_FROM_ATTRIBUTES';
const ATTRIBUTE_CLAIMS_EXAMPLE = '{"tenant_id":"custom:tenant_id","tier":{"attribute":"custom:tier","type":"number","tokens":["access"]}}';

function parseAttributeClaims(env: Env): AttributeClaim[] {
  const value = readJson(env, ATTRIBUTE_CLAIMS_VAR, isObject, `a JSON object of claim → attribute, such as ${ATTRIBUTE_CLAIMS_EXAMPLE}`);
  if (value === undefined) return [];
  return Object.entries(value).map(([claim, source]) => {
    const where = `${ATTRIBUTE_CLAIMS_VAR} claim "${claim}"`;
    let attribute: unknown = source;
    let type: AttributeType = 'string';
    let tokens: Token[] = [...TOKENS];
    if (isObject(source)) {
      refuseUnknownKeys(source, ['attribute', 'type', 'tokens'], where);
      attribute = source.attribute;
      if (source.type !== undefined) {
        const match = ATTRIBUTE_TYPES.find((candidate) => candidate === source.type);
        if (match === undefined) throw new ConfigError(`${where}: "type" must be one of ${ATTRIBUTE_TYPES.join(', ')}, got ${JSON.stringify(source.type)}.`);
        type = match;
      }
      if (source.tokens !== undefined) tokens = parseTokens(source.tokens, where);
    }
    if (typeof attribute !== 'string' || !/^\S{1,128}$/.test(attribute)) {
      throw new ConfigError(`${where}: the source must be a user attribute name such as "custom:tenant_id", or an object with "attribute".`);
    }
    checkClaim(ATTRIBUTE_CLAIMS_VAR, claim, tokens, 'add');
    if (tokens.includes('id')) checkSimpleIdClaim(ATTRIBUTE_CLAIMS_VAR, claim, type === 'string');
    return { claim, attribute, type, tokens };
  });
}

function parseTokens(value: unknown, where: string): Token[] {
  const problem = `${where}: "tokens" must be a non-empty array of "id" and/or "access"`;
  if (!Array.isArray(value) || value.length === 0) throw new ConfigError(`${problem}.`);
  const tokens: Token[] = [];
  for (const entry of value) {
    const match = TOKENS.find((candidate) => candidate === entry);
    if (match === undefined) throw new ConfigError(`${problem}, got ${JSON.stringify(entry)}.`);
    if (!tokens.includes(match)) tokens.push(match);
  }
  return tokens;
}

const STATIC_CLAIMS_VAR = 'PRETOKEN_STATIC_CLAIMS';

function parseStaticClaims(env: Env): StaticClaim[] {
  const example = '{"app":"shop","tier":2}';
  const value = readJson(env, STATIC_CLAIMS_VAR, isObject, `a JSON object of claim → value, such as ${example}`);
  if (value === undefined) return [];
  return Object.entries(value).map(([claim, claimValue]) => {
    checkClaim(STATIC_CLAIMS_VAR, claim, TOKENS, 'add');
    if (!isClaimValue(claimValue)) {
      throw new ConfigError(`${STATIC_CLAIMS_VAR}: claim "${claim}" must be a string, number, boolean, array or object without null.`);
    }
    checkSimpleIdClaim(STATIC_CLAIMS_VAR, claim, typeof claimValue === 'string');
    return { claim, value: claimValue };
  });
}

function parseSuppressList(env: Env, name: string, token: Token): string[] {
  const claims = commaList(env, name);
  for (const claim of claims) checkClaim(name, claim, [token], 'suppress');
  return claims;
}

const GROUP_NAME = /^\S{1,128}$/;
const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const GROUP_ROLES_VAR = 'PRETOKEN_GROUP_ROLES';
const EXAMPLE_ROLE_ARN = 'arn:aws:iam::123456789012:role/Admin';

function checkGroupName(where: string, group: unknown): asserts group is string {
  if (typeof group !== 'string' || !GROUP_NAME.test(group)) {
    throw new ConfigError(`${where}: a group name must be 1–128 characters without spaces, got ${JSON.stringify(group)}.`);
  }
}

function parseGroupRoles(env: Env): GroupRole[] {
  const example = `[{"group":"admins","roleArn":"${EXAMPLE_ROLE_ARN}"}]`;
  const value = readJson(env, GROUP_ROLES_VAR, isArray, `a JSON array in precedence order, such as ${example}`);
  if (value === undefined) return [];
  const seen = new Set<string>();
  return value.map((entry: unknown, index) => {
    const where = `${GROUP_ROLES_VAR}[${index}]`;
    if (!isObject(entry)) throw new ConfigError(`${where} must be an object with "group" and "roleArn".`);
    refuseUnknownKeys(entry, ['group', 'roleArn'], where);
    checkGroupName(where, entry.group);
    if (typeof entry.roleArn !== 'string' || !ROLE_ARN.test(entry.roleArn)) {
      throw new ConfigError(`${where}: "roleArn" must be an IAM role ARN such as ${EXAMPLE_ROLE_ARN}, got ${JSON.stringify(entry.roleArn)}.`);
    }
    if (seen.has(entry.group)) throw new ConfigError(`${where}: group "${entry.group}" is listed twice; each group may appear once.`);
    seen.add(entry.group);
    return { group: entry.group, roleArn: entry.roleArn };
  });
}

function parseKeepGroups(env: Env): GroupKeeping {
  const name = 'PRETOKEN_KEEP_GROUPS';
  const raw = optionalValue(env, name);
  if (raw === undefined || raw.toLowerCase() === 'true') return { mode: 'all' };
  if (raw.toLowerCase() === 'false') return { mode: 'none' };
  const groups = commaList(env, name);
  for (const group of groups) {
    if (!GROUP_NAME.test(group)) {
      throw new ConfigError(`${name} must be true, false or a comma list of group names; "${group}" is not a group name (1–128 characters without spaces).`);
    }
  }
  return { mode: 'only', groups };
}

// RFC 6749 scope-token: printable ASCII except space, '"' and '\'.
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/;

function checkScope(where: string, scope: unknown): asserts scope is string {
  if (typeof scope !== 'string' || !SCOPE.test(scope)) {
    throw new ConfigError(`${where}: ${JSON.stringify(scope)} is not a valid OAuth scope (printable characters, no spaces, quotes or backslashes).`);
  }
}

const GROUP_SCOPES_VAR = 'PRETOKEN_GROUP_SCOPES';

function parseGroupScopes(env: Env): GroupScopes[] {
  const example = '{"admins":["api/admin","api/write"]}';
  const value = readJson(env, GROUP_SCOPES_VAR, isObject, `a JSON object of group → array of scopes, such as ${example}`);
  if (value === undefined) return [];
  return Object.entries(value).map(([group, scopes]) => {
    const where = `${GROUP_SCOPES_VAR} group "${group}"`;
    checkGroupName(GROUP_SCOPES_VAR, group);
    if (!Array.isArray(scopes) || scopes.length === 0) throw new ConfigError(`${where} must map to a non-empty array of scopes.`);
    for (const scope of scopes as unknown[]) checkScope(where, scope);
    return { group, scopes: [...new Set(scopes as string[])] };
  });
}

const SUPPRESS_SCOPES_VAR = 'PRETOKEN_SUPPRESS_SCOPES';

function parseSuppressScopes(env: Env): string[] {
  const name = SUPPRESS_SCOPES_VAR;
  const raw = optionalValue(env, name);
  if (raw === undefined) return [];
  const scopes = raw.split(',').map((scope) => scope.trim()).filter((scope) => scope !== '');
  for (const scope of scopes) checkScope(name, scope);
  return [...new Set(scopes)];
}

function parseClientMetadataPrefix(env: Env): string {
  const name = 'PRETOKEN_CLIENT_METADATA_PREFIX';
  const prefix = optionalValue(env, name) ?? DEFAULT_CLIENT_METADATA_PREFIX;
  if (!/^[A-Za-z][\w.-]{0,30}:$/.test(prefix)) {
    throw new ConfigError(`${name} must be a letter, then letters, digits, "_", "." or "-", ending in ":" (such as "client:"), got "${prefix}".`);
  }
  if ((FORBIDDEN_PREFIXES as readonly string[]).includes(prefix.toLowerCase())) {
    throw new ConfigError(`${name} cannot be "${prefix}": ${FORBIDDEN_PREFIXES.join(', ')} name claims the client must not be able to set.`);
  }
  return prefix;
}

const CLIENT_METADATA_CLAIMS_VAR = 'PRETOKEN_CLIENT_METADATA_CLAIMS';

function parseClientMetadataKeys(env: Env): string[] {
  const name = CLIENT_METADATA_CLAIMS_VAR;
  const keys = commaList(env, name);
  for (const key of keys) {
    if (!/^[\w.-]{1,128}$/.test(key)) {
      throw new ConfigError(`${name}: "${key}" is not an allowed clientMetadata key (1–128 letters, digits, "_", "." or "-").`);
    }
  }
  return keys;
}

const SUPPRESS_ID_VAR = 'PRETOKEN_SUPPRESS_ID_CLAIMS';
const SUPPRESS_ACCESS_VAR = 'PRETOKEN_SUPPRESS_ACCESS_CLAIMS';

function refuseUnknownVariables(env: Env): void {
  for (const name of Object.keys(env)) {
    if (name.startsWith('PRETOKEN_') && !(PRETOKEN_VARIABLES as readonly string[]).includes(name)) {
      throw new ConfigError(`${name} is not a known setting; the pre token generation trigger reads ${PRETOKEN_VARIABLES.join(', ')}.`);
    }
  }
}

/** The claims a token receives from configuration, with the variable each came from. */
function producedClaims(attributeClaims: readonly AttributeClaim[], staticClaims: readonly StaticClaim[], token: Token): Map<string, string> {
  const produced = new Map<string, string>();
  for (const { claim, tokens } of attributeClaims) if (tokens.includes(token)) produced.set(claim, ATTRIBUTE_CLAIMS_VAR);
  for (const { claim } of staticClaims) produced.set(claim, STATIC_CLAIMS_VAR);
  return produced;
}

/** Reads and checks every `PRETOKEN_*` setting; throws ConfigError naming the first bad one. */
export function loadPreTokenConfig(env: Env): PreTokenConfig {
  refuseUnknownVariables(env);
  const attributeClaims = parseAttributeClaims(env);
  const staticClaims = parseStaticClaims(env);
  for (const { claim } of staticClaims) {
    if (attributeClaims.some((mapped) => mapped.claim === claim)) {
      throw new ConfigError(`${STATIC_CLAIMS_VAR}: claim "${claim}" is also set by ${ATTRIBUTE_CLAIMS_VAR}; set each claim in one place.`);
    }
  }

  const suppressIdClaims = parseSuppressList(env, SUPPRESS_ID_VAR, 'id');
  const suppressAccessClaims = parseSuppressList(env, SUPPRESS_ACCESS_VAR, 'access');

  const clientMetadataPrefix = parseClientMetadataPrefix(env);
  const clientMetadataKeys = parseClientMetadataKeys(env);
  const clientMetadataClaims = clientMetadataKeys.map((key) => `${clientMetadataPrefix}${key}`);
  for (const claim of clientMetadataClaims) checkClaim(CLIENT_METADATA_CLAIMS_VAR, claim, TOKENS, 'add');

  for (const [token, suppressed, variable] of [
    ['id', suppressIdClaims, SUPPRESS_ID_VAR],
    ['access', suppressAccessClaims, SUPPRESS_ACCESS_VAR],
  ] as const) {
    const produced = producedClaims(attributeClaims, staticClaims, token);
    for (const claim of clientMetadataClaims) {
      const owner = produced.get(claim);
      if (owner !== undefined) {
        throw new ConfigError(`${CLIENT_METADATA_CLAIMS_VAR}: claim "${claim}" is already produced by ${owner}; a client must not be able to set it.`);
      }
      produced.set(claim, CLIENT_METADATA_CLAIMS_VAR);
    }
    for (const claim of suppressed) {
      const owner = produced.get(claim);
      if (owner !== undefined) throw new ConfigError(`${variable}: claim "${claim}" is also added by ${owner}; a claim cannot be both added and suppressed.`);
    }
  }

  const groupScopes = parseGroupScopes(env);
  const suppressScopes = parseSuppressScopes(env);
  for (const { group, scopes } of groupScopes) {
    const both = scopes.find((scope) => suppressScopes.includes(scope));
    if (both !== undefined) {
      throw new ConfigError(`${SUPPRESS_SCOPES_VAR}: scope "${both}" is also added for group "${group}" by ${GROUP_SCOPES_VAR}; a scope cannot be both added and suppressed.`);
    }
  }

  const groupRoles = parseGroupRoles(env);
  const keepGroups = parseKeepGroups(env);
  for (const { group } of groupRoles) {
    if (keepGroups.mode === 'all' || (keepGroups.mode === 'only' && keepGroups.groups.includes(group))) continue;
    throw new ConfigError(
      `${GROUP_ROLES_VAR} maps group "${group}" to a role, but PRETOKEN_KEEP_GROUPS drops that group from cognito:groups; ` +
        'a role is granted only with a group the token shows: keep the group, or remove its role.',
    );
  }

  return {
    attributeClaims,
    staticClaims,
    suppressIdClaims,
    suppressAccessClaims,
    groupRoles,
    keepGroups,
    groupScopes,
    suppressScopes,
    clientMetadataKeys,
    clientMetadataPrefix,
  };
}
