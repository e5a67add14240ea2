import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamo, type StandIn } from '../../../local/standins.js';

const root = resolve(__dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'import-cli-'));
let dynamo: StandIn;

beforeAll(async () => {
  dynamo = await startDynamo();
});
afterAll(async () => {
  await dynamo?.close();
});

/** Runs the command as a child (asynchronously: dynalite answers from this process). */
function legacyImport(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const options = {
    cwd: root,
    encoding: 'utf8' as const,
    env: {
      PATH: process.env.PATH ?? '',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  };
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', join(root, 'local/legacyImport.ts'), ...args], options, (error, stdout, stderr) => {
      done({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

describe('npm run legacy:import', async () => {
  it('loads the sample CSV, reports each rejected row by its file line, and says a rerun has nothing to do', async () => {
    const csv = join(dir, 'sample.csv');
    copyFileSync(join(root, 'local/legacy-users.sample.csv'), csv);
    const first = await legacyImport(csv, '--table', 'cli-sample', '--create-table', '--rejects', join(dir, 'rejects.csv'));
    expect(first.status).toBe(1);
    expect(first.stdout).toContain('  line 6 (bad-phone@example.com): phoneNumber is not in E.164 format');
    expect(first.stdout).toContain('  line 7 (plain@example.com): passwordHash is not in a supported format');
    expect(first.stdout).toMatch(/Done: 6 read, 4 loaded, 2 rejected into cli-sample/);
    // Progress and report carry no hash, and without a terminal there is no bar.
    expect(`${first.stdout}${first.stderr}`).not.toMatch(/\$2b\$|hunter2/);
    expect(first.stderr).not.toContain('\u001b[');
    expect(readFileSync(`${csv}.checkpoint.json`, 'utf8')).toContain('"complete": true');

    const again = await legacyImport(csv, '--table', 'cli-sample');
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/was loaded completely into cli-sample .* Nothing to do/);
  });

  it('prints nothing with --quiet; the exit code tells', async () => {
    const json = join(dir, 'sample.json');
    copyFileSync(join(root, 'local/legacy-users.sample.json'), json);
    const run = await legacyImport(json, '--table', 'cli-quiet', '--create-table', '--quiet');
    expect(run).toMatchObject({ status: 0, stdout: '', stderr: '' });
  });

  it('checks the Firebase project parameters, never echoing the signer key, and prints the settings when asked', async () => {
    const key = Buffer.alloc(64, 9).toString('base64');
    const users = join(dir, 'firebase.json');
    writeFileSync(users, JSON.stringify({ users: [{ localId: 'a', email: 'a@example.com', passwordHash: Buffer.alloc(64, 1).toString('base64'), salt: 'c2FsdA==' }] }));
    const parameters = ['--firebase-signer-key', key, '--firebase-salt-separator', 'Bw==', '--firebase-mem-cost', '14'];
    const bad = await legacyImport(users, '--table', 'cli-firebase', '--from', 'firebase', ...parameters, '--firebase-rounds', '9');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--firebase-rounds (MIGRATION_FIREBASE_ROUNDS) must be a whole number from 1 to 8');
    expect(bad.stderr).not.toContain(key);
    const good = await legacyImport(users, '--table', 'cli-firebase', '--create-table', '--from', 'firebase', ...parameters, '--firebase-rounds', '8', '--print-firebase-env', '--no-checkpoint');
    expect(good.status).toBe(0);
    expect(good.stdout).toContain(`MIGRATION_FIREBASE_SIGNER_KEY=${key}\nMIGRATION_FIREBASE_SALT_SEPARATOR=Bw==\nMIGRATION_FIREBASE_ROUNDS=8\nMIGRATION_FIREBASE_MEM_COST=14`);
  });

  it('refuses an ASP.NET Membership export without the hash algorithm, a rejects file of the wrong kind, and unknown options', async () => {
    const csv = join(dir, 'membership.csv');
    writeFileSync(csv, 'UserName,Password,PasswordFormat,PasswordSalt\n');
    expect((await legacyImport(csv, '--table', 't', '--from', 'aspnet-membership')).stderr).toContain('--aspnet-hash sha1|hmacsha256 is required');
    expect((await legacyImport(csv, '--table', 't', '--rejects', 'r.jsonl')).stderr).toContain('--rejects must name a .csv file for a CSV export');
    const unknown = await legacyImport(csv, '--table', 't', '--concurency', '4');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--concurency'");
  });

  it('keeps control characters from the export out of the terminal', async () => {
    const csv = join(dir, 'escape.csv');
    writeFileSync(csv, 'username,passwordHash,phoneNumber\n"evil\u001b[2Jname",$2b$04$2fJ4D6iz3qCCisIVtZWm3e84dxt2z1C40vwgkxB9mI4.nkaXtvXPS,555\n');
    const run = await legacyImport(csv, '--table', 'unused', '--dry-run');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('line 2 (evil\uFFFD[2Jname): phoneNumber is not in E.164 format');
    expect(run.stdout).not.toContain('\u001b');
  });
});
