import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CloudFormationTemplate {
  Resources: Record<string, { Type: string; Properties?: any; DependsOn?: string[] | string; DeletionPolicy?: string }>;
  Outputs?: Record<string, unknown>;
}

/** Runs `serverless package` offline (no credentials) into a fresh folder and returns the template it would deploy. */
export async function packageTemplate(args: string[] = []): Promise<{ template: CloudFormationTemplate; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sls-package-'));
  const workFolder = `.esbuild-${dir.split('sls-package-')[1]}`;
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_PROFILE: '',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_ESBUILD_WORK_FOLDER: workFolder,
  };
  try {
    await run('npx', ['serverless', 'package', '--package', dir, ...args], { env, timeout: 120_000 });
  } finally {
    rmSync(workFolder, { recursive: true, force: true });
  }
  const template = JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as CloudFormationTemplate;
  return { template, dir };
}

export function resourcesOfType(template: CloudFormationTemplate, type: string) {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}
