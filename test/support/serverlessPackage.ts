import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const LOCK = join(tmpdir(), 'cognito-auth-triggers-sls-package.lock');

/** A lock between processes: mkdir is atomic. A lock older than two minutes is a crashed run's. */
async function withLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(path);
      break;
    } catch {
      const age = Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(path, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
}

export interface CloudFormationTemplate {
  Resources: Record<string, { Type: string; Properties?: any; DependsOn?: string[] | string; DeletionPolicy?: string }>;
  Outputs?: Record<string, unknown>;
}

/** Runs `serverless package` offline (no credentials) into a fresh folder and returns the template it would deploy. */
export async function packageTemplate(args: string[] = []): Promise<{ template: CloudFormationTemplate; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sls-package-'));
  const env = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', SLS_TELEMETRY_DISABLED: '1' };
  // serverless-esbuild builds in one work folder of the checkout: runs from parallel test files take turns.
  await withLock(LOCK, () => run('npx', ['serverless', 'package', '--package', dir, ...args], { env, timeout: 120_000 }));
  const template = JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as CloudFormationTemplate;
  return { template, dir };
}

export interface CommandOutcome {
  exitCode: number;
  /** stdout and stderr together, as a user sees them. */
  output: string;
  seconds: number;
}

/** Runs `npx serverless <args>` offline under the same lock, and reports how it ended instead of throwing. */
export async function serverless(args: string[], options: { timeoutMs?: number } = {}): Promise<CommandOutcome> {
  const env = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', SLS_TELEMETRY_DISABLED: '1' };
  return withLock(LOCK, async () => {
    const started = Date.now();
    try {
      const { stdout, stderr } = await run('npx', ['serverless', ...args], { env, timeout: options.timeoutMs ?? 120_000 });
      return { exitCode: 0, output: `${stdout}${stderr}`, seconds: (Date.now() - started) / 1000 };
    } catch (error) {
      const failed = error as { code?: number | string; killed?: boolean; stdout?: string; stderr?: string };
      const exitCode = failed.killed ? -1 : typeof failed.code === 'number' ? failed.code : -1;
      return { exitCode, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`, seconds: (Date.now() - started) / 1000 };
    }
  });
}

export function resourcesOfType(template: CloudFormationTemplate, type: string) {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/** Evaluates the template's simple conditions (Equals, And, Or, Not, Condition) as CloudFormation would. */
export function conditionHolds(template: CloudFormationTemplate & { Conditions?: Record<string, unknown> }, condition: string | undefined): boolean {
  if (condition === undefined) return true;
  const evaluate = (node: any): boolean => {
    if (node['Fn::Equals']) return node['Fn::Equals'][0] === node['Fn::Equals'][1];
    if (node['Fn::And']) return node['Fn::And'].every(evaluate);
    if (node['Fn::Or']) return node['Fn::Or'].some(evaluate);
    if (node['Fn::Not']) return !evaluate(node['Fn::Not'][0]);
    if (node.Condition) return evaluate(template.Conditions?.[node.Condition]);
    throw new Error(`unsupported condition ${JSON.stringify(node)}`);
  };
  return evaluate(template.Conditions?.[condition]);
}
