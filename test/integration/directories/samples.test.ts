import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUserMigrationHandler } from '../../../functions/userMigration/handler.js';
import { type LocalDirectory, SERVED_KINDS, startLocalDirectory } from '../../../local/directories/servers.js';
import { sampleEvent } from '../../support/events.js';
import { mariadbMissing } from '../../support/mariadb.js';
import { slapdMissing } from '../../support/slapd.js';
import { captureAllLogs, directoryFrom, expectNoSecretIn } from './support.js';

/** Every events/userMigration/<directory>-*.json against that directory served locally with local/directories/users.json. */

const EVENTS = readdirSync(join(__dirname, '..', '..', '..', 'events', 'userMigration'));
const MISSING: Record<string, string | undefined> = { ldap: slapdMissing(), mysql: mariadbMissing() };
const succeeds = (file: string) => /-(match|by-mail|forgot-password)\.json$/.test(file);

describe.each(SERVED_KINDS.map((kind) => [kind] as const))('the %s sample events against the local sample directory', (kind) => {
  const files = EVENTS.filter((file) => file.startsWith(`${kind}-`));
  let directory: LocalDirectory;
  const logs = captureAllLogs();
  beforeAll(async () => {
    if (MISSING[kind] === undefined) directory = await startLocalDirectory(kind);
  }, 60_000);
  afterAll(async () => {
    logs.restore();
    await directory?.stop();
    expectNoSecretIn(logs, ['correct horse battery staple', 'contraseña larga y segura', 'Tr0ub4dor&3']);
  });

  it('has sample events', () => expect(files.length).toBeGreaterThanOrEqual(2));

  it.skipIf(MISSING[kind] !== undefined).each(files)(`%s ${MISSING[kind] ? `(skipped: ${MISSING[kind]})` : 'answers as its name says'}`, async (file) => {
    const handler = makeUserMigrationHandler({ config: { legacyUsersTable: '', dummyHashCost: 4 }, directory: await directoryFrom(directory.env, logs), logger: logs.logger });
    const event = sampleEvent(`userMigration/${file}`);
    if (succeeds(file)) {
      const result = await handler(event);
      expect(result.response.messageAction).toBe('SUPPRESS');
      expect(result.response.userAttributes).toMatchObject({ email_verified: 'true', 'custom:legacy_id': expect.any(String) });
    } else {
      await expect(handler(event)).rejects.toThrow('Incorrect username or password.');
    }
  });
});
