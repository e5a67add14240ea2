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

const SMS_PATH = ['@aws-sdk/client-sns', 'libphonenumber-js'];
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
  it('the SNS client and the phone library are reached only through a dynamic import()', () => {
    const entry = FUNCTIONS.createAuthChallenge as string;
    expect(eagerPackages(metafile, entry, SMS_PATH)).toEqual([]);
  });

  it('they are still in the one bundle, for deployments whose OTP_CHANNELS include SMS', () => {
    const inputs = Object.keys(metafile.inputs);
    for (const name of SMS_PATH) expect(inputs.some((input) => input.includes(`node_modules/${name}/`)), name).toBe(true);
    expect(Object.keys(metafile.outputs).filter((file) => file.endsWith('.js'))).toHaveLength(1);
  });

  it('the lazily loaded SNS client keeps only what Publish needs (not every SNS command)', () => {
    const snsInputs = Object.keys(metafile.inputs).filter((input) => input.includes('node_modules/@aws-sdk/client-sns/'));
    expect(snsInputs.filter((input) => input.includes('/commands/')).map((input) => input.replace(/.*\/commands\//, ''))).toEqual(['PublishCommand.js']);
    expect(bundleBytes).toBeLessThan(460 * 1024);
  });
});
