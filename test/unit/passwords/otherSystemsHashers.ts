import { pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto';
import { shaCryptChecksum } from '../../../shared/passwords/crypt.js';
import type { HashFormat } from '../../../shared/passwords/index.js';

const b64 = (bytes: Buffer): string => bytes.toString('base64');
const unpadded = (bytes: Buffer): string => b64(bytes).replace(/=+$/, '');

/**
 * A hash of `password` in one of issue 13's formats whose cost (in limits.ts's unit for the format) is at
 * most `cost`, for `npm run caps -- --measure`; undefined for formats measured through the scheme they
 * wrap (WordPress, Django), that need settings (Firebase), cost nothing, or never hash a 1,024-byte
 * password (Drupal 7 stops at 512 bytes).
 */
export function otherSystemsHashAt(format: HashFormat, password: string, cost: number): string | undefined {
  const pw = Buffer.from(password, 'utf8');
  const salt = randomBytes(16);
  const cryptSalt = randomBytes(12).toString('base64').replace(/\+/g, '.').slice(0, 16);
  const scrypt = (keyLength: number) => {
    const n = 2 ** 14; // 16 MiB at r = 8; the rest of the work in p
    const p = Math.max(1, Math.floor(cost / (n * 8)));
    return { n, p, key: scryptSync(pw, salt, keyLength, { N: n, r: 8, p, maxmem: 64 * 1024 * 1024 }) };
  };
  switch (format) {
    case 'sha512-crypt':
      return `$6$rounds=${cost}$${cryptSalt}$${shaCryptChecksum('sha512', pw, Buffer.from(cryptSalt), cost)}`;
    case 'sha256-crypt':
      return `$5$rounds=${cost}$${cryptSalt}$${shaCryptChecksum('sha256', pw, Buffer.from(cryptSalt), cost)}`;
    case 'werkzeug-pbkdf2-sha256':
      return `pbkdf2:sha256:${cost}$${cryptSalt}$${pbkdf2Sync(pw, cryptSalt, cost, 32, 'sha256').toString('hex')}`;
    case 'keycloak-pbkdf2-sha256': // a 64-byte value: two SHA-256 blocks
      return `$keycloak$pbkdf2-sha256$${Math.floor(cost / 2)}$${b64(salt)}$${b64(pbkdf2Sync(pw, salt, Math.floor(cost / 2), 64, 'sha256'))}`;
    case 'keycloak-pbkdf2-sha512':
      return `$keycloak$pbkdf2-sha512$${cost}$${b64(salt)}$${b64(pbkdf2Sync(pw, salt, cost, 64, 'sha512'))}`;
    case 'keycloak-pbkdf2': // a 64-byte value: four SHA-1 blocks
      return `$keycloak$pbkdf2$${Math.floor(cost / 4)}$${b64(salt)}$${b64(pbkdf2Sync(pw, salt, Math.floor(cost / 4), 64, 'sha1'))}`;
    case 'aspnet-identity': {
      const header = Buffer.alloc(13);
      header.writeUInt8(1, 0);
      header.writeUInt32BE(2, 1); // HMAC-SHA512, one block for a 32-byte subkey
      header.writeUInt32BE(cost, 5);
      header.writeUInt32BE(salt.length, 9);
      return b64(Buffer.concat([header, salt, pbkdf2Sync(pw, salt, cost, 32, 'sha512')]));
    }
    case 'passlib-scrypt': {
      const { p, key } = scrypt(32);
      return `$scrypt$ln=14,r=8,p=${p}$${unpadded(salt)}$${unpadded(key)}`;
    }
    default:
      return undefined;
  }
}
