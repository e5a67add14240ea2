// Shared helpers for npm run bench: statistics, the environment the bundles need at cold start.
import { spawnSync } from 'node:child_process';

export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summary(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

/**
 * Cold-start configuration every function in the suite needs to import without throwing
 * (config is validated at import): the union of what the config loaders require, plus fake
 * credentials and a region so the AWS clients (shared/aws) can be created. Nothing is contacted at import.
 * A function whose loader needs more fails its import; the bench reports that and goes on.
 */
export const BENCH_ENV = {
  OTP_TABLE: 'bench-otp',
  OTP_SECRET: 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
  EMAIL_FROM: 'Bench <no-reply@example.com>',
  APP_NAME: 'Bench',
  SMS_ALLOWED_COUNTRIES: 'US,CA,ES', // createAuthChallenge: required while OTP_CHANNELS includes SMS
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_SERVICE_NAME: 'bench',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  // userMigration (shared/migration/config.ts): the legacy directory's table.
  LEGACY_USERS_TABLE: 'bench-legacy-users',
};

/** A clean environment for child processes: no inherited NODE_OPTIONS, PRETOKEN_*, npm_* or AWS_* values. */
export function childEnv(extra = {}) {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', ...BENCH_ENV, ...extra };
  return env;
}

/** Runs a child to completion; throws with its stderr tail if it fails. */
export function runChild(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.status !== 0) {
    const tail = `${result.stderr ?? ''}${result.error ? String(result.error) : ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}:\n${tail}`);
  }
  return result;
}

/** The message of the first Error line in a child's stderr, for reporting a failed import. */
export function errorLine(stderr) {
  const lines = String(stderr ?? '').split('\n');
  return (lines.find((line) => /^\w*Error\b.*:/.test(line.trim())) ?? lines.find((line) => line.trim() !== '') ?? 'unknown error').trim().slice(0, 300);
}
