import { hashSync } from 'bcryptjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { foldAsciiCase, isLookAlike, type LegacyDirectory } from '../../../shared/migration/directory.js';
import { createMigrationService, MigrationRefusedError, type MigrationRequest } from '../../../shared/migration/migrate.js';
import { verifyAgainstDummy, verifyPassword } from '../../../shared/passwords/index.js';
import { captureAllLogs, entries, fakeDirectory, legacyUser } from './helpers.js';

vi.mock('../../../shared/passwords/index.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../shared/passwords/index.js')>();
  return { ...actual, verifyAgainstDummy: vi.fn(actual.verifyAgainstDummy), verifyPassword: vi.fn(actual.verifyPassword) };
});

const KIM_PASSWORD = 'Kims-Own-Pw-3Vr!';
const kim = legacyUser({ username: 'kim', passwordHash: hashSync(KIM_PASSWORD, 4), email: 'kim@example.com', emailVerified: true });

const LOOK_ALIKES: [string, string][] = [
  ['the KELVIN SIGN (U+212A), which Unicode lowercases to "k"', '\u212Aim'],
  ['a dotless ı (U+0131), which Unicode uppercases to "I"', 'k\u0131m'],
  ['fullwidth letters, which NFKC maps to ASCII', '\uFF4B\uFF49\uFF4D'],
  ['fullwidth capitals', '\uFF2B\uFF29\uFF2D'],
  ['a fullwidth @ in the email address', 'kim\uFF20example.com'],
];

let logs: ReturnType<typeof captureAllLogs>;
beforeEach(() => {
  logs = captureAllLogs();
  vi.mocked(verifyAgainstDummy).mockClear();
  vi.mocked(verifyPassword).mockClear();
});
afterEach(() => logs.restore());

const decided = () => entries(logs.lines).filter((e) => e.message === 'Migration decided').map((e) => e.outcome);
const signIn = (userName: string, password: string): MigrationRequest => ({ triggerSource: 'UserMigration_Authentication', userName, password });

describe('ASCII-only case folding', () => {
  it('lowercases A–Z and nothing else', () => {
    expect(foldAsciiCase('Jo@Example.COM')).toBe('jo@example.com');
    expect(foldAsciiCase('\u212Aim')).toBe('\u212Aim');
    expect(foldAsciiCase('\u0130STANBUL')).toBe('\u0130stanbul');
    expect(foldAsciiCase('\uFF2B\uFF29\uFF2D')).toBe('\uFF2B\uFF29\uFF2D');
    expect(foldAsciiCase('ÉMILE')).toBe('Émile');
  });

  it.each(LOOK_ALIKES)('calls %s a look-alike of kim', (_, typed) => {
    expect(isLookAlike(typed, kim)).toBe(true);
  });

  it.each([
    ['the exact name', 'kim'],
    ['the name in ASCII capitals', 'KIM'],
    ['the email address in mixed case', 'Kim@Example.com'],
    ['an unrelated name (a directory that looked the user up by another key)', 'u-1234'],
  ])('does not call %s a look-alike', (_, typed) => {
    expect(isLookAlike(typed, kim)).toBe(false);
  });
});

describe('a directory that folds names with Unicode rules', () => {
  // e.g. an SQL collation or LDAP matching rule, on the name or the email: the service must refuse what it finds that way.
  const fold = (name: string) => name.normalize('NFKC').toUpperCase().toLowerCase();
  const careless = (): LegacyDirectory => ({
    findUser: async (typed) => [kim].find((u) => fold(u.username) === fold(typed) || fold(u.email ?? '') === fold(typed)),
  });
  const service = () => createMigrationService({ config: { legacyUsersTable: 'legacy-users', dummyHashCost: 4 }, directory: careless(), logger: logs.logger });

  it.each(LOOK_ALIKES)("with kim's password, %s migrates nobody: refused, after the dummy check", async (_, typed) => {
    await expect(service()(signIn(typed, KIM_PASSWORD))).rejects.toBeInstanceOf(MigrationRefusedError);
    expect(verifyPassword).not.toHaveBeenCalled();
    expect(verifyAgainstDummy).toHaveBeenCalledTimes(1);
    await expect(service()({ triggerSource: 'UserMigration_ForgotPassword', userName: typed, password: undefined })).rejects.toBeInstanceOf(
      MigrationRefusedError,
    );
    expect(decided()).toEqual(['look-alike-name', 'look-alike-name']);
  });

  it('still migrates kim typed in ASCII capitals', async () => {
    const response = await service()(signIn('KIM', KIM_PASSWORD));
    expect(response.userAttributes.email).toBe('kim@example.com');
  });
});

describe('the default look-up rule (as the DynamoDB directory)', () => {
  it.each(LOOK_ALIKES)('does not even find kim for %s', async (_, typed) => {
    const service = createMigrationService({ config: { legacyUsersTable: 'legacy-users', dummyHashCost: 4 }, directory: fakeDirectory([kim]), logger: logs.logger });
    await expect(service(signIn(typed, KIM_PASSWORD))).rejects.toBeInstanceOf(MigrationRefusedError);
    expect(decided()).toEqual(['unknown-user']);
  });
});
