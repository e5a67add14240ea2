// What verifyPassword adds to the primitive it wraps, measured where the primitive is a single digest (a few
// microseconds), so the difference is visible: format dispatch, parsing, base64, the cap check.
// Usage: npx tsx scripts/bench/passwordOverhead.ts   (20,000 checks × 7 rounds per format, medians in µs)
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { verifyPassword } from '../../shared/passwords/index.js';

const PASSWORD = 'correct horse battery staple';
const CHECKS = 20_000;
const ROUNDS = 7;

const salt = randomBytes(16);
const hmacKey = Buffer.concat([salt, salt, salt, salt]); // Membership's salt repeated to HMACSHA256's 64-byte key
const membership = `$aspnet-membership$hmacsha256$${salt.toString('base64')}$${createHmac('sha256', hmacKey).update(Buffer.from(PASSWORD, 'utf16le')).digest('base64')}`;
const smd5Salt = randomBytes(4);
const smd5 = `{SMD5}${Buffer.concat([createHash('md5').update(PASSWORD).update(smd5Salt).digest(), smd5Salt]).toString('base64')}`;

const cases: [string, string, () => unknown][] = [
  ['aspnet-membership', membership, () => createHmac('sha256', hmacKey).update(Buffer.from(PASSWORD, 'utf16le')).digest()],
  ['ldap-smd5', smd5, () => createHash('md5').update(PASSWORD).update(smd5Salt).digest()],
];

async function main(): Promise<void> {
  for (const [format, hash, primitive] of cases) {
    const added: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let started = performance.now();
      for (let i = 0; i < CHECKS; i++) await (async () => primitive())();
      const primitiveUs = ((performance.now() - started) / CHECKS) * 1000;
      started = performance.now();
      for (let i = 0; i < CHECKS; i++) if (!(await verifyPassword(PASSWORD, hash)).ok) throw new Error(`${format}: the bench's own hash was refused`);
      const verifyUs = ((performance.now() - started) / CHECKS) * 1000;
      added.push(verifyUs - primitiveUs);
    }
    added.sort((a, b) => a - b);
    const at = (q: number) => added[Math.round(q * (added.length - 1))]!.toFixed(1);
    console.log(`${format}: verifyPassword − primitive = ${at(0.5)} µs per check (median; ${at(0)}–${at(1)})`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
