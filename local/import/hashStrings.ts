import { PBKDF2_MAX_ITERATIONS } from '../../shared/passwords/index.js';
import { decodeBase64 } from '../../shared/passwords/encoding.js';
import { LegacyUserError } from '../../shared/migration/legacyUser.js';

/**
 * The hash strings the import writes for exports that keep a hash's parts apart (Firebase, Keycloak,
 * ASP.NET Membership), in the forms shared/passwords reads. Every builder checks the parts first and
 * throws a LegacyUserError naming the field, never its value.
 */

/** Standard padded base64 of the bytes; accepts the URL-safe alphabet and missing padding too. */
export function normalBase64(text: string, field: string, allowedLengths?: readonly number[]): string {
  const standard = text.trim().replace(/-/g, '+').replace(/_/g, '/');
  const padded = standard.length % 4 === 0 ? standard : standard + '='.repeat(4 - (standard.length % 4));
  const bytes = decodeBase64(padded, true);
  if (bytes === undefined || bytes.length === 0) throw new LegacyUserError(`${field} is not base64`);
  if (allowedLengths !== undefined && !allowedLengths.includes(bytes.length)) {
    throw new LegacyUserError(`${field} is ${bytes.length} bytes, expected ${allowedLengths.join(' or ')}`);
  }
  return bytes.toString('base64');
}

export function firebaseScryptHash(salt: string, hash: string): string {
  return `$firebase-scrypt$${normalBase64(salt, 'salt')}$${normalBase64(hash, 'passwordHash')}`;
}

export const KEYCLOAK_ALGORITHMS = ['pbkdf2-sha256', 'pbkdf2-sha512', 'pbkdf2'] as const;
export type KeycloakAlgorithm = (typeof KEYCLOAK_ALGORITHMS)[number];

export function keycloakHash(algorithm: KeycloakAlgorithm, iterations: number, salt: string, value: string): string {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_MAX_ITERATIONS) {
    throw new LegacyUserError(`hashIterations must be a whole number from 1 to ${PBKDF2_MAX_ITERATIONS}`);
  }
  // Keycloak stores 512-bit values (256-bit in some configurations); the verifier accepts only those.
  return `$keycloak$${algorithm}$${iterations}$${normalBase64(salt, 'salt')}$${normalBase64(value, 'value', [32, 64])}`;
}

export const MEMBERSHIP_ALGORITHMS = ['sha1', 'hmacsha256'] as const;
export type MembershipAlgorithm = (typeof MEMBERSHIP_ALGORITHMS)[number];

export function aspnetMembershipHash(algorithm: MembershipAlgorithm, salt: string, hash: string): string {
  const hashBytes = algorithm === 'sha1' ? 20 : 32;
  return `$aspnet-membership$${algorithm}$${normalBase64(salt, 'PasswordSalt')}$${normalBase64(hash, 'Password', [hashBytes])}`;
}

const B64 = '(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?';
const SHAPES: readonly (readonly [prefix: string, shape: RegExp])[] = [
  ['$firebase-scrypt$', new RegExp(`^\\$firebase-scrypt\\$${B64}\\$${B64}$`)],
  ['$keycloak$', new RegExp(`^\\$keycloak\\$(?:pbkdf2-sha256|pbkdf2-sha512|pbkdf2)\\$[1-9][0-9]{0,7}\\$${B64}\\$${B64}$`)],
  ['$aspnet-membership$', new RegExp(`^\\$aspnet-membership\\$(?:sha1|hmacsha256)\\$${B64}\\$${B64}$`)],
];

/** For a hash claiming one of those forms (e.g. given ready-made in a directory export), what is wrong with its shape. */
export function importedHashProblem(hash: string): string | undefined {
  const claimed = SHAPES.find(([prefix]) => hash.startsWith(prefix));
  return claimed === undefined || claimed[1].test(hash) ? undefined : `passwordHash is not a well-formed ${claimed[0].replace(/\$/g, '')} hash`;
}
