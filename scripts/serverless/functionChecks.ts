import { ConfigError } from '../../shared/errors.js';
import { CONFIG_VALIDATORS } from './validators.js';

/**
 * Runs every function's own configuration loader against the environment serverless resolved for it, and
 * turns each refusal into a line that names the deploy parameter behind the variable.
 */

/**
 * Values CloudFormation fills in at deploy time ({{resolve:…}}, Ref/GetAtt): stood in for by a valid-looking key,
 * one that reads as a 56-byte plain key and as padded base64 (the Firebase signer key) alike.
 */
const DEPLOY_TIME_VALUE = 'cmVzb2x2ZWQtYXQtZGVwbG95LXRpbWUtMDEyMzQ1Njc4OWFiY2RlZg==';

export interface FunctionSettings {
  /** The environment as serverless resolved it (provider-wide variables merged in). */
  environment: Readonly<Record<string, unknown>>;
  /** The same variables as written in serverless.yml, to find the `${param:…}` behind each. */
  written: Readonly<Record<string, unknown>>;
}

function checkedValue(value: unknown): string {
  if (typeof value === 'string') return value.startsWith('{{resolve:') ? DEPLOY_TIME_VALUE : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return DEPLOY_TIME_VALUE;
}

/** The variable a loader's message is about: the one it names first. */
function variableNamedIn(message: string, names: readonly string[]): string | undefined {
  let best: { name: string; at: number } | undefined;
  for (const name of names) {
    const at = message.search(new RegExp(`\\b${name}\\b`));
    if (at >= 0 && (best === undefined || at < best.at || (at === best.at && name.length > best.name.length))) best = { name, at };
  }
  return best?.name;
}

export function functionProblems(functions: Readonly<Record<string, FunctionSettings>>): string[] {
  const problems: string[] = [];
  for (const [functionName, settings] of Object.entries(functions)) {
    const validate = CONFIG_VALIDATORS[functionName];
    if (validate === undefined) {
      problems.push(`Function ${functionName} has no configuration check: add its cold-start config loader to scripts/serverless/validators.ts.`);
      continue;
    }
    const env = Object.fromEntries(Object.entries(settings.environment).map(([name, value]) => [name, checkedValue(value)]));
    try {
      validate(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const variable = variableNamedIn(error.message, Object.keys(env));
      const parameter = variable === undefined ? undefined : /\$\{param:(\w+)\}/.exec(String(settings.written[variable] ?? ''))?.[1];
      const where = variable === undefined ? functionName : `${variable} of ${functionName}`;
      problems.push(parameter === undefined ? `${where}: ${error.message}` : `Parameter ${parameter} (${where}): ${error.message}`);
    }
  }
  return problems;
}
