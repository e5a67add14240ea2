import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dialect } from '../../../local/import/dialects.js';
import { createImport } from '../../../local/import/pipeline.js';
import { formatOfPath, openRecords } from '../../../local/import/records.js';
import { createDirectoryWriter } from '../../../local/import/writer.js';
import { createLegacyTable } from '../../../local/legacyImport.js';
import { startDynamo, type StandIn } from '../../../local/standins.js';
import { createDynamoDb } from '../../../shared/aws/services.js';
import { createDynamoDirectory } from '../../../shared/migration/directory.js';
import { loadFirebaseScryptParameters, verifyPassword } from '../../../shared/passwords/index.js';

/**
 * Each export's hash parts, taken apart as those systems store them, imported, read back through
 * the migration's own directory and checked with verifyPassword: right and wrong passwords.
 * The vectors are shared/passwords' (test/fixtures/passwords/other-systems.json, sources named there).
 */
interface Vector {
  format: string;
  password: string;
  hash: string;
  firebaseScrypt?: { signerKey: string; saltSeparator: string; rounds: number; memCost: number };
}
const vectors = JSON.parse(readFileSync(resolve(__dirname, '../../fixtures/passwords/other-systems.json'), 'utf8')) as Vector[];
const parts = (hash: string) => hash.split('$').slice(2);

let dynamo: StandIn;
let client: DynamoDBClient;
const dir = mkdtempSync(join(tmpdir(), 'import-roundtrip-'));

beforeAll(async () => {
  dynamo = await startDynamo();
  client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
});
afterAll(async () => {
  client?.destroy();
  await dynamo?.close();
});

async function importAndCheck(file: string, content: string, dialect: Dialect, expected: { username: string; password: string }[], settings = {}) {
  const path = join(dir, file);
  writeFileSync(path, content);
  const table = `roundtrip-${file.replace(/\W/g, '-')}`;
  await createLegacyTable(client, table);
  const result = await createImport({
    source: openRecords(path, formatOfPath(path)),
    dialect,
    writer: createDirectoryWriter({ client, tableName: table }),
    concurrency: 2,
  }).run();
  expect(result.counts).toMatchObject({ loaded: expected.length, rejected: 0 });
  const directory = createDynamoDirectory(createDynamoDb({ endpoint: dynamo.endpoint }), table);
  for (const { username, password } of expected) {
    const user = await directory.findUser(username);
    expect(user).toBeDefined();
    expect(await verifyPassword(password, user?.passwordHash as string, settings)).toMatchObject({ ok: true });
    expect(await verifyPassword(`${password}x`, user?.passwordHash as string, settings)).toMatchObject({ ok: false });
  }
}

describe('imported hashes verify', () => {
  it('Firebase auth:export users, with the project parameters the migration function reads', async () => {
    const vector = vectors.find((v) => v.format === 'firebase-scrypt' && v.firebaseScrypt?.rounds === 8) as Vector;
    const project = vector.firebaseScrypt as NonNullable<Vector['firebaseScrypt']>;
    const [salt, hash] = parts(vector.hash);
    const exported = { users: [{ localId: 'u1', email: 'User1@Example.com', emailVerified: true, passwordHash: hash, salt, createdAt: '1' }] };
    const settings = {
      firebaseScrypt: loadFirebaseScryptParameters({
        MIGRATION_FIREBASE_SIGNER_KEY: project.signerKey,
        MIGRATION_FIREBASE_SALT_SEPARATOR: project.saltSeparator,
        MIGRATION_FIREBASE_ROUNDS: String(project.rounds),
        MIGRATION_FIREBASE_MEM_COST: String(project.memCost),
      }),
    };
    await importAndCheck('firebase.json', JSON.stringify(exported, null, 2), { kind: 'firebase' }, [{ username: 'User1@example.com', password: vector.password }], settings);
  });

  it('Keycloak realm export users, every PBKDF2 algorithm, non-ASCII passwords included', async () => {
    const keycloak = vectors.filter((v) => v.format.startsWith('keycloak'));
    const users = keycloak.map((v, i) => {
      const [algorithm, iterations, salt, value] = parts(v.hash);
      return {
        username: `kc${i}`,
        enabled: true,
        credentials: [
          { type: 'password', secretData: JSON.stringify({ value, salt, additionalParameters: {} }), credentialData: JSON.stringify({ hashIterations: Number(iterations), algorithm, additionalParameters: {} }) },
        ],
      };
    });
    const realm = { id: 'acme', realm: 'acme', roles: { realm: [] }, users, clients: [] };
    await importAndCheck('realm.json', JSON.stringify(realm, null, 2), { kind: 'keycloak' }, keycloak.map((v, i) => ({ username: `kc${i}`, password: v.password })));
  });

  for (const algorithm of ['sha1', 'hmacsha256'] as const) {
    it(`ASP.NET Membership rows (${algorithm}), non-ASCII passwords included`, async () => {
      const membership = vectors.filter((v) => v.hash.startsWith(`$aspnet-membership$${algorithm}$`));
      const rows = membership.map((v, i) => {
        const [, salt, hash] = parts(v.hash);
        return `Member${i},member${i}@example.com,${hash},1,${salt},True`;
      });
      const csv = ['UserName,Email,Password,PasswordFormat,PasswordSalt,IsApproved', ...rows].join('\r\n');
      await importAndCheck(`membership-${algorithm}.csv`, csv, { kind: 'aspnet-membership', algorithm }, membership.map((v, i) => ({ username: `Member${i}`, password: v.password })));
    });
  }
});
