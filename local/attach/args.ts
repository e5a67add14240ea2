import { parseArgs } from 'node:util';
import {
  ALL_TRIGGER_KEYS,
  AttachUsageError,
  DEFAULT_PRE_TOKEN_VERSION,
  DEFAULT_STAGE,
  deployedFunctionName,
  isUserPoolId,
  parseFunctionOverrides,
  parseTriggerList,
  PRE_TOKEN_VERSIONS,
  type PreTokenVersion,
  regionOfPoolId,
  type TriggerKey,
} from './triggers.js';

export const USAGE = `Usage: npm run attach -- --user-pool-id <id> [options]

Points this suite's triggers in an existing user pool at its deployed functions, keeping every other
pool setting and trigger, and lets Cognito invoke them.

  --user-pool-id ID          the pool (required), e.g. eu-west-1_AbC123
  --region R                 defaults to the Region in the pool id
  --stage S                  the osls stage whose functions to use (default ${DEFAULT_STAGE})
  --functions k=arn,...      explicit function ARNs (k: define, create, verify, migration, pretoken, presignup, or the function name)
  --only k,...               attach or detach only these triggers (default: all six)
  --pre-token-version V      PreTokenGeneration event version: V1_0, V2_0 or V3_0 (default ${DEFAULT_PRE_TOKEN_VERSION})
  --force                    replace a trigger that points at another function
  --detach                   remove this suite's triggers (only those pointing at its functions) and permissions
  --dry-run                  print the change and change nothing
  --help

Exit codes: 0 done (or nothing to do), 1 AWS or other failure, 2 bad arguments, 3 refused (a trigger
points at another function), 4 pool or function not found, 5 access denied.
`;

export interface AttachArgs {
  userPoolId: string;
  region: string;
  stage: string;
  only: TriggerKey[];
  functions: Partial<Record<TriggerKey, string>>;
  preTokenVersion: PreTokenVersion;
  force: boolean;
  detach: boolean;
  dryRun: boolean;
}

/** Parses the command line; throws AttachUsageError naming the bad value. `--help` returns 'help'. */
export function parseAttachArgs(argv: readonly string[]): AttachArgs | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'user-pool-id': { type: 'string' },
        region: { type: 'string' },
        stage: { type: 'string' },
        functions: { type: 'string' },
        only: { type: 'string' },
        'pre-token-version': { type: 'string' },
        force: { type: 'boolean', default: false },
        detach: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new AttachUsageError((error as Error).message);
  }
  if (values.help) return 'help';

  const userPoolId = values['user-pool-id']?.trim();
  if (userPoolId === undefined || userPoolId === '') throw new AttachUsageError('--user-pool-id is required (e.g. --user-pool-id eu-west-1_AbC123)');
  if (!isUserPoolId(userPoolId)) throw new AttachUsageError(`--user-pool-id "${userPoolId}" is not a user pool id (<region>_<id>, e.g. eu-west-1_AbC123)`);
  const poolRegion = regionOfPoolId(userPoolId) ?? '';
  const region = values.region?.trim() || poolRegion;
  if (region !== poolRegion) throw new AttachUsageError(`--region ${region} does not match the Region of pool ${userPoolId} (${poolRegion})`);

  const stage = values.stage?.trim() || DEFAULT_STAGE;
  deployedFunctionName(stage, 'verifyAuthChallenge'); // validates the stage

  const version = values['pre-token-version']?.trim() || DEFAULT_PRE_TOKEN_VERSION;
  if (!(PRE_TOKEN_VERSIONS as readonly string[]).includes(version)) {
    throw new AttachUsageError(`--pre-token-version "${version}": use ${PRE_TOKEN_VERSIONS.join(', ')}`);
  }
  const only = values.only === undefined ? [...ALL_TRIGGER_KEYS] : parseTriggerList(values.only);
  const functions = values.functions === undefined ? {} : parseFunctionOverrides(values.functions);
  const unused = Object.keys(functions).filter((key) => !only.includes(key as TriggerKey));
  if (unused.length > 0) throw new AttachUsageError(`--functions gives ${unused.join(', ')}, which --only leaves out`);
  if (values.detach && values.force) throw new AttachUsageError('--force has no meaning with --detach: detach never touches another function\'s trigger');

  return {
    userPoolId,
    region,
    stage,
    only,
    functions,
    preTokenVersion: version as PreTokenVersion,
    force: values.force,
    detach: values.detach,
    dryRun: values['dry-run'],
  };
}
