import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The server side of Cognito's SRP-6a (USER_SRP_AUTH, CUSTOM_AUTH with SRP_A), written to match
 * what Amplify JS and amazon-cognito-identity-js compute on the client (their srp/ helpers):
 * the RFC 5054 3072-bit group, g = 2, k = H(N ‖ g), u = H(A ‖ B), x = H(salt ‖ H(poolName ‖ user ‖ ":" ‖ password)),
 * the key is HKDF-SHA256(S, u, "Caldera Derived Key") cut to 16 bytes, and the client proves it with
 * HMAC(key, poolName ‖ user ‖ secretBlock ‖ timestamp). H hashes the bytes of padded hex.
 * cognito-local has no SRP, so this is ours. Exponents here are 256-bit, so BigInt is fast enough.
 */

const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';
const N = BigInt(`0x${N_HEX}`);
const g = 2n;

/** Even-length hex, with 00 in front when the top bit is set (Amplify's getPaddedHex for non-negative numbers). */
export function paddedHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 !== 0) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

function hashHex(hex: string): string {
  return createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

const k = BigInt(`0x${hashHex(`${paddedHex(N)}${paddedHex(g)}`)}`);

function privateX(poolName: string, userId: string, password: string, saltHex: string): bigint {
  const inner = createHash('sha256').update(`${poolName}${userId}:${password}`, 'utf8').digest('hex');
  return BigInt(`0x${hashHex(paddedHex(BigInt(`0x${saltHex}`)) + inner)}`);
}

/** What a user pool keeps instead of a password: a salt and v = g^x. */
export interface PasswordVerifier {
  salt: string;
  verifier: string;
}

export function makePasswordVerifier(poolName: string, userId: string, password: string): PasswordVerifier {
  const salt = randomBytes(16).toString('hex');
  return { salt, verifier: modPow(g, privateX(poolName, userId, password, salt), N).toString(16) };
}

/** USER_PASSWORD_AUTH and ConfirmForgotPassword: the typed password against the stored verifier. */
export function passwordMatches(poolName: string, userId: string, password: string, stored: PasswordVerifier): boolean {
  const candidate = Buffer.from(paddedHex(modPow(g, privateX(poolName, userId, password, stored.salt), N)), 'hex');
  const expected = Buffer.from(paddedHex(BigInt(`0x${stored.verifier}`)), 'hex');
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

/** The state between PASSWORD_VERIFIER and the client's answer. */
export interface SrpServerState {
  A: string;
  b: string;
  B: string;
  salt: string;
  verifier: string;
  secretBlock: string;
}

export class SrpError extends Error {}

/** InitiateAuth with SRP_A: B = k·v + g^b, and the parameters Cognito returns with PASSWORD_VERIFIER. */
export function startSrp(srpA: string, stored: PasswordVerifier): SrpServerState {
  if (!/^[0-9a-fA-F]+$/.test(srpA)) throw new SrpError('SRP_A is not hexadecimal.');
  const A = BigInt(`0x${srpA}`);
  if (A % N === 0n) throw new SrpError('SRP_A is invalid.');
  const v = BigInt(`0x${stored.verifier}`);
  const b = BigInt(`0x${randomBytes(32).toString('hex')}`);
  const B = (k * v + modPow(g, b, N)) % N;
  return { A: A.toString(16), b: b.toString(16), B: B.toString(16), salt: stored.salt, verifier: stored.verifier, secretBlock: randomBytes(64).toString('base64') };
}

/** The key both sides derive: S = (A·v^u)^b, HKDF(S, salt = u, info = "Caldera Derived Key" ‖ 1), 16 bytes. */
function sessionKey(state: SrpServerState): Buffer {
  const A = BigInt(`0x${state.A}`);
  const B = BigInt(`0x${state.B}`);
  const u = BigInt(`0x${hashHex(paddedHex(A) + paddedHex(B))}`);
  if (u === 0n) throw new SrpError('u is zero.');
  const v = BigInt(`0x${state.verifier}`);
  return derivedKey(modPow((A * modPow(v, u, N)) % N, BigInt(`0x${state.b}`), N), u);
}

function derivedKey(S: bigint, u: bigint): Buffer {
  const prk = createHmac('sha256', Buffer.from(paddedHex(u), 'hex')).update(Buffer.from(paddedHex(S), 'hex')).digest();
  return createHmac('sha256', prk).update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])])).digest().subarray(0, 16);
}

function claimSignature(key: Buffer, poolName: string, userId: string, secretBlock: string, timestamp: string): Buffer {
  return createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from(poolName, 'utf8'), Buffer.from(userId, 'utf8'), Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp, 'utf8')]))
    .digest();
}

/** The client's PASSWORD_CLAIM_SIGNATURE, recomputed; true when it proves the password. */
export function verifyPasswordClaim(
  state: SrpServerState,
  claim: { poolName: string; userId: string; secretBlock: string; timestamp: string; signature: string },
): boolean {
  if (claim.secretBlock !== state.secretBlock) return false;
  const expected = claimSignature(sessionKey(state), claim.poolName, claim.userId, state.secretBlock, claim.timestamp);
  const given = Buffer.from(claim.signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The client side, for tests and for the SDK snippets (Amplify brings its own). */
export function clientPasswordClaim(input: {
  poolName: string;
  userId: string;
  password: string;
  a: bigint;
  srpB: string;
  salt: string;
  secretBlock: string;
  timestamp: string;
}): string {
  const A = modPow(g, input.a, N);
  const B = BigInt(`0x${input.srpB}`);
  const u = BigInt(`0x${hashHex(paddedHex(A) + paddedHex(B))}`);
  const x = privateX(input.poolName, input.userId, input.password, input.salt);
  const base = (((B - k * modPow(g, x, N)) % N) + N) % N;
  const key = derivedKey(modPow(base, input.a + u * x, N), u);
  return claimSignature(key, input.poolName, input.userId, input.secretBlock, input.timestamp).toString('base64');
}

export function clientSrpA(a: bigint): string {
  return modPow(g, a, N).toString(16);
}
