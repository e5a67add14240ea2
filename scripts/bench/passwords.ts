// Password check time per legacy hash format and cost, three ways, interleaved per run:
//   primitive      the raw library/crypto call (bcryptjs.compare, crypto.pbkdf2, sha1, an MD5 loop, hash-wasm argon2id)
//   verifyPassword shared/passwords (format detection, parsing, limits, constant-time compare)
//   handler        the whole userMigration handler (functions/userMigration/handler.ts factory) with an
//                  in-memory legacy directory, so only the handler's own work is added to the check;
//   handler+ddb    the same handler with the DynamoDB directory against dynalite (two loopback round trips at most).
// Hashes are generated here with the same libraries. Usage: tsx scripts/bench/passwords.ts <out.json>
// BENCH_PASSWORD_ONLY=sha512-crypt,keycloak (format prefixes) measures only those rows; BENCH_PASSWORD_FORMATS=original skips issue 13's.
import { createCipheriv, createHash, createHmac, pbkdf2, randomBytes, scrypt } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { compare, hash as bcryptHash } from 'bcryptjs';
import { argon2id, createMD5 } from 'hash-wasm';
import { Logger } from '@aws-lambda-powertools/logger';
import { type VerifierSettings, verifyPassword } from '../../shared/passwords/index.js';
import { encode64, ITOA64 } from '../../shared/passwords/phpass.js';
import { md5CryptChecksum, shaCryptChecksum } from '../../shared/passwords/crypt.js';

const pbkdf2Async = promisify(pbkdf2);
const root = join(__dirname, '..', '..');
const PASSWORD = 'correct horse battery staple';
const BUDGET_MS = Number(process.env.BENCH_PASSWORD_BUDGET_MS ?? 900); // per format and mode
const MIN_RUNS = 7;
const MAX_RUNS = 100;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
const summary = (values: number[]) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length });

function silentLogger(): Logger {
  const logger = new Logger({ serviceName: 'bench', logLevel: 'INFO' });
  const sink = () => undefined;
  (logger as unknown as { console: Record<string, unknown> }).console = { log: sink, info: sink, warn: sink, error: sink, debug: sink, trace: sink };
  return logger;
}

// ---- hash generators --------------------------------------------------------------------------
const phpassEncode64 = encode64;
/** phpass portable hash with node:crypto MD5, as phpass's PHP code does it (generates the hashes). */
function phpassDigest(password: string, salt: string, log2: number): Buffer {
  const pw = Buffer.from(password, 'utf8');
  let digest = createHash('md5').update(salt).update(pw).digest();
  for (let round = 2 ** log2; round > 0; round--) digest = createHash('md5').update(digest).update(pw).digest();
  return digest;
}
const phpassSalt = () => Array.from(randomBytes(8), (b) => ITOA64[b & 0x3f]).join('');
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

interface Case {
  format: string;
  cost: string;
  hash: string;
  primitive: () => Promise<unknown>;
  settings?: VerifierSettings;
}

// Firebase's project parameters: the firebase/scrypt README example (rounds 8, mem_cost 14, as real projects).
const FIREBASE_ENV = {
  MIGRATION_FIREBASE_SIGNER_KEY: 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
  MIGRATION_FIREBASE_SALT_SEPARATOR: 'Bw==',
  MIGRATION_FIREBASE_ROUNDS: '8',
  MIGRATION_FIREBASE_MEM_COST: '14',
};
const scryptAsync = (pw: string | Buffer, salt: Buffer | string, keyLength: number, N: number, r: number, p: number) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(pw, salt, keyLength, { N, r, p, maxmem: 128 * N * r + 128 * r * p + 1024 * 1024 }, (e, key) => (e ? reject(e) : resolve(key))),
  );

/** Issue 13's formats: each hash made here, each primitive the bare library call the verifier wraps. */
async function otherSystemsCases(): Promise<Case[]> {
  const cases: Case[] = [];
  const pw = Buffer.from(PASSWORD, 'utf8');
  for (const [id, digest, rounds, label] of [
    ['6', 'sha512', 5000, 'sha512-crypt'],
    ['6', 'sha512', 200_000, 'sha512-crypt'], // passlib's default 656,000 is over the cap (limits.ts)
    ['5', 'sha256', 5000, 'sha256-crypt'],
    ['5', 'sha256', 200_000, 'sha256-crypt'], // passlib's default 535,000 is over the cap too
  ] as const) {
    const salt = randomBytes(12).toString('base64').replace(/[+=]/g, '.').slice(0, 16);
    const roundsPart = rounds === 5000 ? '' : `rounds=${rounds}$`;
    const checksum = shaCryptChecksum(digest, pw, Buffer.from(salt), rounds);
    cases.push({
      format: label,
      cost: `${rounds / 1000}k rounds${rounds === 5000 ? ' (glibc default)' : ''}`,
      hash: `$${id}$${roundsPart}${salt}$${checksum}`,
      primitive: async () => shaCryptChecksum(digest, pw, Buffer.from(salt), rounds),
    });
  }
  {
    const hash = `$1$abcdefgh$${md5CryptChecksum(pw, Buffer.from('abcdefgh'))}`;
    cases.push({ format: 'md5-crypt', cost: '1000 rounds (fixed)', hash, primitive: async () => md5CryptChecksum(pw, Buffer.from('abcdefgh')) });
    const sha = cases[0]!;
    cases.push({ format: 'ldap-crypt', cost: '{CRYPT}$6$, 5k rounds', hash: `{CRYPT}${sha.hash}`, primitive: sha.primitive });
  }
  {
    const salt = randomBytes(4);
    const digest = createHash('md5').update(PASSWORD).update(salt).digest();
    cases.push({
      format: 'ldap-smd5',
      cost: 'md5, 4-byte salt',
      hash: `{SMD5}${b64(Buffer.concat([digest, salt]))}`,
      primitive: async () => createHash('md5').update(PASSWORD).update(salt).digest(),
    });
  }
  {
    const salt = phpassSalt();
    const loop = () => {
      let d = createHash('sha512').update(salt).update(pw).digest();
      for (let round = 2 ** 15; round > 0; round--) d = createHash('sha512').update(d).update(pw).digest();
      return d;
    };
    cases.push({ format: 'drupal7', cost: '2^15 (Drupal 7 default)', hash: `$S$D${salt}${encode64(loop()).slice(0, 43)}`, primitive: async () => loop() });
  }
  {
    const prehash = createHmac('sha384', 'wp-sha384').update(PASSWORD).digest('base64');
    const inner = (await bcryptHash(prehash, 10)).replace(/^\$2b\$/, '$2y$');
    cases.push({ format: 'wordpress-bcrypt', cost: 'cost 10 (WordPress default)', hash: `$wp${inner}`, primitive: () => compare(prehash, inner) });
    const djangoPrehash = createHash('sha256').update(PASSWORD).digest('hex');
    const djangoInner = await bcryptHash(djangoPrehash, 12);
    cases.push({ format: 'django-bcrypt-sha256', cost: 'cost 12 (Django default)', hash: `bcrypt_sha256$${djangoInner}`, primitive: () => compare(djangoPrehash, djangoInner) });
  }
  {
    const salt = randomBytes(16);
    const options = { password: PASSWORD, salt, iterations: 2, parallelism: 8, memorySize: 102_400, hashLength: 16 };
    const encoded = await argon2id({ ...options, outputType: 'encoded' });
    cases.push({
      format: 'django-argon2id',
      cost: 'm=102400,t=2,p=8 (Django default)',
      hash: `argon2${encoded}`,
      primitive: () => argon2id({ ...options, outputType: 'binary' }),
    });
  }
  {
    const salt = randomBytes(12).toString('base64url').slice(0, 16);
    const key = await pbkdf2Async(PASSWORD, salt, 600_000, 32, 'sha256');
    cases.push({
      format: 'werkzeug-pbkdf2-sha256',
      cost: '600k iter (Werkzeug 2.3 default)',
      hash: `pbkdf2:sha256:600000$${salt}$${key.toString('hex')}`,
      primitive: () => pbkdf2Async(PASSWORD, salt, 600_000, 32, 'sha256'),
    });
  }
  {
    const salt = randomBytes(12).toString('base64url').slice(0, 16);
    const key = await scryptAsync(PASSWORD, salt, 64, 2 ** 15, 8, 1);
    cases.push({
      format: 'werkzeug-scrypt',
      cost: 'N=2^15,r=8,p=1 (Werkzeug 3 default)',
      hash: `scrypt:32768:8:1$${salt}$${key.toString('hex')}`,
      primitive: () => scryptAsync(PASSWORD, salt, 64, 2 ** 15, 8, 1),
    });
    const rawSalt = randomBytes(16);
    const passlibKey = await scryptAsync(PASSWORD, rawSalt, 32, 2 ** 16, 8, 1);
    const unpadded = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');
    cases.push({
      format: 'passlib-scrypt',
      cost: 'ln=16,r=8,p=1 (passlib default)',
      hash: `$scrypt$ln=16,r=8,p=1$${unpadded(rawSalt)}$${unpadded(passlibKey)}`,
      primitive: () => scryptAsync(PASSWORD, rawSalt, 32, 2 ** 16, 8, 1),
    });
  }
  {
    const signerKey = Buffer.from(FIREBASE_ENV.MIGRATION_FIREBASE_SIGNER_KEY, 'base64');
    const separator = Buffer.from(FIREBASE_ENV.MIGRATION_FIREBASE_SALT_SEPARATOR, 'base64');
    const salt = randomBytes(10);
    const saltAndSeparator = Buffer.concat([salt, separator]);
    const key = await scryptAsync(PASSWORD, saltAndSeparator, 32, 2 ** 14, 8, 1);
    const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
    const stored = Buffer.concat([cipher.update(signerKey), cipher.final()]);
    cases.push({
      format: 'firebase-scrypt',
      cost: 'rounds 8, mem_cost 14',
      hash: `$firebase-scrypt$${b64(salt)}$${b64(stored)}`,
      primitive: () => scryptAsync(PASSWORD, saltAndSeparator, 32, 2 ** 14, 8, 1),
      settings: { firebaseScrypt: { signerKey, saltSeparator: separator, rounds: 8, memCost: 14 } },
    });
  }
  for (const [algorithm, digest, iterations] of [
    ['pbkdf2-sha256', 'sha256', 27_500],
    ['pbkdf2-sha512', 'sha512', 210_000],
  ] as const) {
    const salt = randomBytes(16);
    const value = await pbkdf2Async(PASSWORD, salt, iterations, 64, digest);
    cases.push({
      format: `keycloak-${algorithm}`,
      cost: `${iterations / 1000}k iter (Keycloak default)`,
      hash: `$keycloak$${algorithm}$${iterations}$${b64(salt)}$${b64(value)}`,
      primitive: () => pbkdf2Async(PASSWORD, salt, iterations, 64, digest),
    });
  }
  {
    const salt = randomBytes(16);
    const header = Buffer.from([1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 16]);
    header.writeUInt32BE(100_000, 5);
    const subkey = await pbkdf2Async(PASSWORD, salt, 100_000, 32, 'sha512');
    cases.push({
      format: 'aspnet-identity',
      cost: 'v3 SHA512 100k iter (ASP.NET Core 7+)',
      hash: b64(Buffer.concat([header, salt, subkey])),
      primitive: () => pbkdf2Async(PASSWORD, salt, 100_000, 32, 'sha512'),
    });
    const key = Buffer.concat([salt, salt, salt, salt]);
    const utf16 = Buffer.from(PASSWORD, 'utf16le');
    cases.push({
      format: 'aspnet-membership',
      cost: 'HMACSHA256, 16-byte salt',
      hash: `$aspnet-membership$hmacsha256$${b64(salt)}$${b64(createHmac('sha256', key).update(utf16).digest())}`,
      primitive: async () => createHmac('sha256', key).update(utf16).digest(),
    });
  }
  return cases;
}

async function makeCases(): Promise<Case[]> {
  const cases: Case[] = [];
  for (const cost of [10, 12]) {
    const hash = await bcryptHash(PASSWORD, cost);
    cases.push({ format: 'bcrypt', cost: `cost ${cost}`, hash, primitive: () => compare(PASSWORD, hash) });
  }
  for (const iterations of [260_000, 600_000, 1_000_000]) {
    const salt = randomBytes(12).toString('base64url').slice(0, 16);
    const dk = await pbkdf2Async(PASSWORD, salt, iterations, 32, 'sha256');
    cases.push({
      format: 'django-pbkdf2-sha256',
      cost: `${iterations / 1000}k iter`,
      hash: `pbkdf2_sha256$${iterations}$${salt}$${b64(dk)}`,
      primitive: () => pbkdf2Async(PASSWORD, salt, iterations, 32, 'sha256'),
    });
  }
  {
    const salt = randomBytes(4);
    const digest = createHash('sha1').update(PASSWORD).update(salt).digest();
    cases.push({
      format: 'ldap-ssha',
      cost: 'sha1, 4-byte salt',
      hash: `{SSHA}${b64(Buffer.concat([digest, salt]))}`,
      primitive: async () => createHash('sha1').update(PASSWORD).update(salt).digest(),
    });
  }
  // phpass has no library here: the primitive is the bare hash-wasm MD5 loop the verifier uses
  // (node:crypto's MD5, one object per round, is ~4x slower: see phpassDigest).
  const md5 = await createMD5();
  const md5Loop = (salt: string, log2: number) => {
    const pw = Buffer.from(PASSWORD, 'utf8');
    const block = new Uint8Array(16 + pw.length);
    block.set(pw, 16);
    md5.init();
    md5.update(salt);
    md5.update(pw);
    let digest = md5.digest('binary');
    for (let round = 2 ** log2; round > 0; round--) {
      block.set(digest, 0);
      md5.init();
      md5.update(block);
      digest = md5.digest('binary');
    }
    return digest;
  };
  for (const log2 of [13, 19]) {
    const salt = phpassSalt();
    const hash = `$P$${ITOA64[log2]}${salt}${phpassEncode64(phpassDigest(PASSWORD, salt, log2))}`;
    if (phpassEncode64(md5Loop(salt, log2)) !== hash.slice(12)) throw new Error('bench: phpass MD5 loops disagree');
    cases.push({ format: 'phpass', cost: `2^${log2}`, hash, primitive: async () => md5Loop(salt, log2) });
  }
  for (const [memorySize, iterations, parallelism] of [
    [19_456, 2, 1],
    [65_536, 3, 4],
  ] as const) {
    const salt = randomBytes(16);
    const options = { password: PASSWORD, salt, iterations, parallelism, memorySize, hashLength: 32 };
    const hash = await argon2id({ ...options, outputType: 'encoded' });
    cases.push({
      format: 'argon2id',
      cost: `m=${memorySize},t=${iterations},p=${parallelism}`,
      hash,
      primitive: () => argon2id({ ...options, outputType: 'binary' }),
    });
  }
  if (process.env.BENCH_PASSWORD_FORMATS !== 'original') cases.push(...(await otherSystemsCases()));
  const only = process.env.BENCH_PASSWORD_ONLY?.split(',');
  return only ? cases.filter((c) => only.some((prefix) => c.format.startsWith(prefix))) : cases;
}

// ---- userMigration wiring ---------------------------------------------------------------------
type Invoke = (hash: string, password?: string) => Promise<unknown>;
interface Migration {
  memory: Invoke;
  dynamo: Invoke | undefined;
  close(): Promise<void>;
}

function migrationEvent(userName: string, password: string): any {
  // Prefer a sample event from events/userMigration/ when there is one; otherwise Cognito's documented shape.
  const dir = join(root, 'events', 'userMigration');
  let template: any;
  if (existsSync(dir)) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const event = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      if (event.triggerSource === 'UserMigration_Authentication') {
        template = event;
        break;
      }
    }
  }
  template ??= {
    version: '1',
    triggerSource: 'UserMigration_Authentication',
    region: 'us-east-1',
    userPoolId: 'us-east-1_EXAMPLE',
    userName,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '1example23456789' },
    request: { password, validationData: {}, clientMetadata: {} },
    response: { userAttributes: {}, finalUserStatus: null, messageAction: null, desiredDeliveryMediums: null, forceAliasCreation: null },
  };
  const event = structuredClone(template);
  event.userName = userName;
  event.request = { ...event.request, password };
  return event;
}

async function wireMigration(): Promise<Migration | { error: string }> {
  if (!existsSync(join(root, 'functions', 'userMigration', 'handler.ts'))) {
    // TODO(userMigration): functions/userMigration/handler.ts does not exist yet; the handler columns report n/a.
    return { error: 'functions/userMigration/handler.ts not found' };
  }
  try {
    const { makeUserMigrationHandler } = await import('../../functions/userMigration/handler.js');
    const { loadMigrationConfig } = await import('../../shared/migration/config.js');
    const config = loadMigrationConfig({ ...process.env, ...FIREBASE_ENV, LEGACY_USERS_TABLE: 'bench-legacy-users' });
    const logger = silentLogger();
    // Production wiring (functions/userMigration/index.ts) also counts an EMF metric per invocation (to stdout → /dev/null here).
    let metrics: unknown;
    try {
      metrics = (await import('../../shared/metrics.js')).createMetrics('bench');
    } catch {
      metrics = undefined;
    }
    const user = (passwordHash: string) => ({
      username: 'bench-user',
      passwordHash,
      email: 'bench@example.com',
      emailVerified: true,
      phoneNumber: undefined,
      phoneNumberVerified: false,
      attributes: { given_name: 'Bench' },
      disabled: false,
    });
    let current = '';
    const memoryHandler = makeUserMigrationHandler({
      config,
      logger,
      metrics,
      directory: { findUser: async (name: string) => (name === 'bench-user' ? user(current) : undefined) },
    } as any);
    const memory: Invoke = async (hash, password = PASSWORD) => {
      current = hash;
      const userName = hash === '' ? 'nobody' : 'bench-user';
      try {
        return await memoryHandler(migrationEvent(userName, password));
      } catch (error) {
        return error; // the refusal for an unknown user is an expected outcome
      }
    };

    // DynamoDB directory on dynalite, when the factory for it exists.
    let dynamo: Invoke | undefined;
    let close: () => Promise<void> = async () => undefined;
    try {
      const { createDynamoDirectory } = await import('../../shared/migration/directory.js');
      const { DynamoDBClient, CreateTableCommand, PutItemCommand, waitUntilTableExists } = await import('@aws-sdk/client-dynamodb');
      const { startDynamo } = await import('../../local/standins.js');
      const { createDynamoDb } = await import('../../shared/aws/services.js');
      const stand = await startDynamo();
      close = stand.close;
      const client = new DynamoDBClient({ endpoint: stand.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
      await client.send(
        new CreateTableCommand({
          TableName: 'bench-legacy-users',
          AttributeDefinitions: [{ AttributeName: 'username', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'username', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await waitUntilTableExists({ client, maxWaitTime: 10, minDelay: 1 }, { TableName: 'bench-legacy-users' });
      const dynamoHandler = makeUserMigrationHandler({ config, logger, metrics, directory: createDynamoDirectory(createDynamoDb({ endpoint: stand.endpoint, credentials: () => ({ accessKeyId: 'local', secretAccessKey: 'local' }) }), 'bench-legacy-users') } as any);
      const stored = new Set<string>();
      dynamo = async (hash, password = PASSWORD) => {
        // One item per hash, written once outside the timed calls would be better; the put is skipped after the first call.
        const userName = hash === '' ? 'nobody' : `u${createHash('sha1').update(hash).digest('hex').slice(0, 12)}`;
        if (hash !== '' && !stored.has(userName)) {
          await client.send(
            new PutItemCommand({
              TableName: 'bench-legacy-users',
              Item: { username: { S: userName }, passwordHash: { S: hash }, email: { S: 'bench@example.com' }, emailVerified: { BOOL: true } },
            }),
          );
          stored.add(userName);
        }
        try {
          return await dynamoHandler(migrationEvent(userName, password));
        } catch (error) {
          return error;
        }
      };
    } catch (error) {
      process.stderr.write(`bench: DynamoDB directory not measured: ${(error as Error).message}\n`);
    }
    return { memory, dynamo, close };
  } catch (error) {
    return { error: `userMigration handler could not be wired: ${(error as Error).message.split('\n')[0]}` };
  }
}

async function timeOnce(call: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await call();
  return performance.now() - start;
}

async function main() {
  const outFile = process.argv[2]!;
  const cases = await makeCases();
  const migration = await wireMigration();
  const wired = 'memory' in migration ? migration : undefined;
  const rows: any[] = [];
  try {
    for (const c of cases) {
      // Sanity: every path must accept the right password (else the timings measure a short cut).
      const check = await verifyPassword(PASSWORD, c.hash, c.settings);
      if (!check.ok) throw new Error(`verifyPassword rejected the bench's own ${c.format} ${c.cost} hash`);
      const modes: Record<string, () => Promise<unknown>> = { primitive: c.primitive, verifyPassword: () => verifyPassword(PASSWORD, c.hash, c.settings) };
      if (wired) {
        const result: any = await wired.memory(c.hash);
        if (!(result?.response?.finalUserStatus === 'CONFIRMED')) throw new Error(`userMigration did not migrate the ${c.format} ${c.cost} user`);
        modes.handler = () => wired.memory(c.hash);
        if (wired.dynamo) {
          const viaDynamo: any = await wired.dynamo(c.hash);
          if (viaDynamo?.response?.finalUserStatus === 'CONFIRMED') modes.handlerDynamo = () => wired.dynamo!(c.hash);
        }
      }
      const estimate = Math.max(await timeOnce(modes.verifyPassword!), 0.001);
      for (const call of Object.values(modes)) await call(); // warm-up
      const runs = Math.min(MAX_RUNS, Math.max(MIN_RUNS, Math.round(BUDGET_MS / estimate)));
      const samples: Record<string, number[]> = Object.fromEntries(Object.keys(modes).map((k) => [k, []]));
      const entries = Object.entries(modes);
      for (let i = 0; i < runs; i++) {
        // Rotate the order each run, so no mode always follows the same neighbour (GC, WASM memory growth).
        for (let j = 0; j < entries.length; j++) {
          const [name, call] = entries[(i + j) % entries.length]!;
          samples[name]!.push(await timeOnce(call));
        }
      }
      // handler ÷ verifyPassword from the runs' pairs (same run, adjacent in time), less sensitive to drift than a ratio of medians.
      const paired = samples.handler ? samples.handler.map((h, i) => h / samples.verifyPassword![i]!) : undefined;
      const added = samples.handler ? samples.handler.map((h, i) => h - samples.verifyPassword![i]!) : undefined;
      rows.push({
        format: c.format,
        cost: c.cost,
        ...Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summary(v)])),
        ...(paired ? { handlerOverVerify: summary(paired), handlerMinusVerifyMs: summary(added!) } : {}),
        // verifyPassword ÷ primitive from the same runs' pairs: the verifier's own cost (issue 13: within 10%).
        verifyOverPrimitive: summary(samples.verifyPassword!.map((v, i) => v / samples.primitive![i]!)),
      });
    }
    if (wired && cases.some((c) => c.format === 'bcrypt' && c.cost === 'cost 10')) {
      // An unknown user costs a dummy bcrypt check (MIGRATION_DUMMY_BCRYPT_COST, default 10) and every refusal is
      // padded to the same floor: timed in pairs with a wrong password for a known user whose hash is bcrypt cost 10
      // (a successful sign-in is not padded, so it is not the comparison), alternating order.
      const known = cases.find((c) => c.format === 'bcrypt' && c.cost === 'cost 10')!.hash;
      const unknown: number[] = [];
      const knownTimes: number[] = [];
      await wired.memory('');
      for (let i = 0; i < 10; i++) {
        if (i % 2) unknown.push(await timeOnce(() => wired.memory('')));
        knownTimes.push(await timeOnce(() => wired.memory(known, 'bench-wrong-password')));
        if (!(i % 2)) unknown.push(await timeOnce(() => wired.memory('')));
      }
      rows.push({
        format: 'unknown user',
        cost: 'dummy bcrypt 10',
        handler: summary(unknown),
        knownUserBcrypt10: summary(knownTimes),
        unknownOverKnown: summary(unknown.map((u, i) => u / knownTimes[i]!)),
      });
    }
  } finally {
    await wired?.close();
  }
  writeFileSync(outFile, JSON.stringify({ ok: true, migration: wired ? 'wired' : (migration as { error: string }).error, rows }, null, 2));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
