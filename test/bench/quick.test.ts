import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm run bench` in its cheap mode (BENCH_QUICK=1: a few runs of every measurement, no password checks),
 * into a temporary folder: every measurement the bench publishes must succeed, or the bench exits non-zero.
 * Budgets are not judged here (timing needs the full bench); sizes and call counts are deterministic.
 */
const run = promisify(execFile);
const outdir = mkdtempSync(join(tmpdir(), 'bench-quick-'));
let exitCode: number;
let report: string;
let results: any;

beforeAll(async () => {
  const env = { ...process.env, BENCH_QUICK: '1', BENCH_OUTDIR: outdir };
  try {
    ({ stdout: report } = await run(process.execPath, ['scripts/bench.mjs'], { env, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }));
    exitCode = 0;
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    exitCode = typeof failed.code === 'number' ? failed.code : -1;
    report = `${failed.stdout ?? ''}\n${failed.stderr ?? ''}`;
  }
  results = JSON.parse(readFileSync(join(outdir, 'bench-results.json'), 'utf8'));
}, 300_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('npm run bench (BENCH_QUICK=1)', () => {
  it('every measurement succeeds, so the bench exits 0', () => {
    expect(results.failures, report).toEqual([]);
    expect(exitCode, report).toBe(0);
    expect(report).not.toContain('FAILED');
  });

  it('measures Create and Verify warm on the built bundles, and the import cost against the reference', () => {
    for (const name of ['createAuthChallenge', 'verifyAuthChallenge']) {
      for (const measurement of Object.values(results.functions[name].warm) as any[]) expect(measurement.perCallMs.n).toBeGreaterThan(0);
      expect(results.functions[name].importMs.toReference).toBeGreaterThan(0);
    }
    expect(results.functions.createAuthChallenge.importVariantsMs['+sms'].toReference).toBeGreaterThan(0);
    expect(results.referenceImportMs.overBaseline).toBeGreaterThan(0);
  });

  it('counts the AWS calls of each sign-in: one message each, two with a resend', () => {
    const { passwordlessOneWrong, createRetried, resend, secondFactor } = results.signIns;
    for (const signIn of [passwordlessOneWrong, createRetried, secondFactor]) expect(signIn.emails).toBe(1);
    expect(resend.emails).toBe(2);
    for (const signIn of [passwordlessOneWrong, createRetried, resend, secondFactor]) {
      expect(signIn.dynamoReads + signIn.dynamoWrites).toBeGreaterThan(0);
      expect(signIn.other).toEqual([]);
    }
  });
});
