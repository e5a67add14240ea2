import { build, type Metafile } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eagerPackages } from '../../scripts/bench/reachable.mjs';

// The options every deployment is built with (serverless-esbuild, npm run build, npm run bench).
const { bundleOptions, FUNCTIONS } = require('../../esbuild.config.cjs') as {
  bundleOptions: Record<string, unknown>;
  FUNCTIONS: Record<string, string>;
};

const SMS_PATH = ['libphonenumber-js'];
const outdir = mkdtempSync(join(tmpdir(), 'lazy-sms-'));
let metafile: Metafile;
let bundleBytes: number;

beforeAll(async () => {
  const entry = FUNCTIONS.createAuthChallenge as string;
  const result = await build({ ...bundleOptions, entryPoints: [entry], outdir, metafile: true, logLevel: 'silent' });
  metafile = result.metafile;
  bundleBytes = Object.values(metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
}, 60_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('an email-only Create does not pay for SMS at cold start', () => {
  it('the phone library (libphonenumber-js and its metadata) is reached only through a dynamic import()', () => {
    const entry = FUNCTIONS.createAuthChallenge as string;
    expect(eagerPackages(metafile, entry, SMS_PATH)).toEqual([]);
  });

  it('it is still in the one bundle, for deployments whose OTP_CHANNELS include SMS', () => {
    const inputs = Object.keys(metafile.inputs);
    for (const name of SMS_PATH) expect(inputs.some((input) => input.includes(`node_modules/${name}/`)), name).toBe(true);
    expect(Object.keys(metafile.outputs).filter((file) => file.endsWith('.js'))).toHaveLength(1);
  });

  it('the bundle stays within its size budget', () => {
    expect(bundleBytes).toBeLessThan(460 * 1024);
  });
});
