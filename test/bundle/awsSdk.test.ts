import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The options every deployment is built with (serverless-esbuild, npm run build, npm run bench).
const { bundleOptions, FUNCTIONS, directoryDefine } = require('../../esbuild.config.cjs') as {
  bundleOptions: Record<string, unknown> & { define: Record<string, string> };
  FUNCTIONS: Record<string, string>;
  directoryDefine: (kind: string) => Record<string, string>;
};

const outdir = mkdtempSync(join(tmpdir(), 'aws-sdk-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

async function packagesIn(name: string, define: Record<string, string> = {}): Promise<string[]> {
  const entry = FUNCTIONS[name] as string;
  const result = await build({ ...bundleOptions, define: { ...bundleOptions.define, ...define }, entryPoints: { [name]: entry }, outdir, metafile: true, logLevel: 'silent' });
  const packages = Object.keys(result.metafile.inputs).map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1]);
  return [...new Set(packages.filter((name): name is string => name !== undefined))].sort();
}

// The AWS SDK clients cost more to load than the rest of a function (README, "Performance"): the functions
// reach DynamoDB, SES, SNS and Cognito through shared/aws, with only the SDK's SigV4 signer.
describe('no function bundle holds an AWS SDK client', () => {
  for (const name of Object.keys(FUNCTIONS)) {
    it(`${name}: nothing from @aws-sdk/, and of @smithy/ only the signer`, async () => {
      const packages = await packagesIn(name);
      expect(packages.filter((p) => p.startsWith('@aws-sdk/'))).toEqual([]);
      expect(packages.filter((p) => p.startsWith('@smithy/')).every((p) => ['@smithy/signature-v4', '@smithy/core', '@smithy/types'].includes(p))).toBe(true);
    }, 60_000);
  }

  it('userMigration built for the other Cognito pool directory: no SDK client either', async () => {
    const packages = await packagesIn('userMigration', directoryDefine('cognito'));
    expect(packages.filter((p) => p.startsWith('@aws-sdk/'))).toEqual([]);
  }, 60_000);
});
