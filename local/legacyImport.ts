import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CreateTableCommand, DynamoDBClient, ResourceNotFoundException, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { CheckpointMismatchError, defaultCheckpointPath, readCheckpoint } from './import/checkpoint.js';
import { DIALECT_KINDS, type Dialect } from './import/dialects.js';
import { firebaseEnvLines, ParameterError } from './import/firebaseParameters.js';
import { MEMBERSHIP_ALGORITHMS, type MembershipAlgorithm } from './import/hashStrings.js';
import { createImport, type ImportResult } from './import/pipeline.js';
import { describeCounts, startProgress } from './import/progress.js';
import { type ExportFormat, ExportFormatError, formatOfPath, openRecords } from './import/records.js';
import { openRejectsFile } from './import/rejects.js';
import { createDirectoryWriter } from './import/writer.js';

/**
 * npm run legacy:import -- <export> [options]  (see USAGE)
 * Streams a legacy export into the directory table (LEGACY_USERS_TABLE), on a stand-in or on AWS,
 * chosen by the usual AWS_ENDPOINT_URL_DYNAMODB / credential variables.
 */

const USAGE = `Usage: npm run legacy:import -- <file.json|file.jsonl|file.csv> [options]
  --table NAME              the directory table (default $LEGACY_USERS_TABLE)
  --create-table            create it (on demand, key "username") if missing
  --dry-run                 read and check everything, write nothing
  --from KIND               ${DIALECT_KINDS.join(' | ')} (default directory)
  --format FORMAT           json | jsonl | csv (default from the file name)
  --concurrency N           batches of 25 in flight, 1-64 (default 8)
  --rejects FILE            write rejected rows there, to fix and load again (.csv for CSV exports, .jsonl otherwise)
  --checkpoint FILE         where progress is kept for a rerun (default <export>.checkpoint.json)
  --no-checkpoint           keep none (users already in the table are still never overwritten)
  --quiet                   no progress, no report; the exit code says how it went
  Firebase (--from firebase): --firebase-signer-key B64 --firebase-salt-separator B64
                            --firebase-rounds N --firebase-mem-cost N [--print-firebase-env]
  ASP.NET Membership (--from aspnet-membership): --aspnet-hash sha1|hmacsha256 (web.config hashAlgorithmType)
Exit code: 0 all rows loaded or already present, 1 some rejected or the import stopped, 2 bad usage.`;

export const DEFAULT_CONCURRENCY = 8;

export async function createLegacyTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'username', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'username', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ResourceInUseException') throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: tableName });
}

/** Loads an export in this suite's own format with no checkpoint (the demo and stand-ins' sample directory). */
export async function loadExport(client: DynamoDBClient, tableName: string, path: string): Promise<ImportResult> {
  const source = openRecords(path, formatOfPath(path));
  const writer = createDirectoryWriter({ client, tableName });
  const result = await createImport({ source, dialect: { kind: 'directory' }, writer, concurrency: DEFAULT_CONCURRENCY }).run();
  if (result.failure !== undefined) throw result.failure;
  return result;
}

class UsageError extends Error {}

/** Report lines quote the export's own text (user names, attribute names): no control characters reach the terminal. */
function printable(line: string): string {
  return line.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
}

function parseCommandLine(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      table: { type: 'string' },
      'create-table': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      from: { type: 'string', default: 'directory' },
      format: { type: 'string' },
      concurrency: { type: 'string', default: String(DEFAULT_CONCURRENCY) },
      rejects: { type: 'string' },
      checkpoint: { type: 'string' },
      'no-checkpoint': { type: 'boolean' },
      quiet: { type: 'boolean' },
      'firebase-signer-key': { type: 'string' },
      'firebase-salt-separator': { type: 'string' },
      'firebase-rounds': { type: 'string' },
      'firebase-mem-cost': { type: 'string' },
      'print-firebase-env': { type: 'boolean' },
      'aspnet-hash': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const file = positionals[0];
  const table = values.table ?? process.env.LEGACY_USERS_TABLE;
  if (values.help || file === undefined || positionals.length > 1) throw new UsageError('');
  if (table === undefined) throw new UsageError('no table: pass --table or set LEGACY_USERS_TABLE');
  const format = (values.format ?? formatOfPath(file)) as ExportFormat;
  if (!['json', 'jsonl', 'csv'].includes(format)) throw new UsageError('--format must be json, jsonl or csv');
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError('--concurrency must be a whole number from 1 to 64');
  if (values.rejects !== undefined && (format === 'csv') !== values.rejects.toLowerCase().endsWith('.csv')) {
    throw new UsageError(format === 'csv' ? '--rejects must name a .csv file for a CSV export' : '--rejects must name a .jsonl file for a JSON export');
  }
  let dialect: Dialect;
  let envLines: string[] = [];
  switch (values.from) {
    case 'directory':
    case 'keycloak':
      dialect = { kind: values.from };
      break;
    case 'firebase': {
      envLines = firebaseEnvLines({
        signerKey: values['firebase-signer-key'],
        saltSeparator: values['firebase-salt-separator'],
        rounds: values['firebase-rounds'],
        memCost: values['firebase-mem-cost'],
      });
      dialect = { kind: 'firebase' };
      break;
    }
    case 'aspnet-membership': {
      const algorithm = values['aspnet-hash']?.toLowerCase();
      if (!(MEMBERSHIP_ALGORITHMS as readonly (string | undefined)[]).includes(algorithm)) {
        throw new UsageError('--aspnet-hash sha1|hmacsha256 is required: the hash algorithm is not in the table (web.config <membership hashAlgorithmType>)');
      }
      dialect = { kind: 'aspnet-membership', algorithm: algorithm as MembershipAlgorithm };
      break;
    }
    default:
      throw new UsageError(`--from must be one of ${DIALECT_KINDS.join(', ')}`);
  }
  return {
    file,
    table,
    format,
    dialect,
    concurrency,
    envLines,
    dryRun: values['dry-run'] === true,
    createTable: values['create-table'] === true,
    rejects: values.rejects,
    checkpoint: values['no-checkpoint'] ? undefined : (values.checkpoint ?? defaultCheckpointPath(file)),
    quiet: values.quiet === true,
    printFirebaseEnv: values['print-firebase-env'] === true,
  };
}

type CommandLine = ReturnType<typeof parseCommandLine>;

async function runImport(options: CommandLine, client: DynamoDBClient): Promise<number> {
  const { file, table, format, dialect, dryRun, quiet } = options;
  const say = (text: string) => (quiet ? undefined : process.stdout.write(`${text}\n`));
  const saved = dryRun || options.checkpoint === undefined ? undefined : readCheckpoint(options.checkpoint, file, table);
  if (saved?.complete) {
    say(`${file} was loaded completely into ${table} (${saved.updatedAt}; checkpoint ${options.checkpoint}). Nothing to do: move the checkpoint away to load the file again.`);
    return 0;
  }
  if (saved !== undefined) say(`Resuming: the first ${saved.done.toLocaleString('en-US')} records were settled by an earlier run (checkpoint ${options.checkpoint}).`);
  if (options.createTable && !dryRun) await createLegacyTable(client, table);

  const source = openRecords(file, format);
  const rejects = options.rejects === undefined ? undefined : openRejectsFile(options.rejects, format === 'csv' ? 'csv' : 'jsonl', source.header);
  const writer = dryRun ? undefined : createDirectoryWriter({ client, tableName: table });
  const run = createImport({
    source,
    dialect,
    writer,
    concurrency: options.concurrency,
    ...(options.checkpoint === undefined || dryRun ? {} : { checkpoint: { path: options.checkpoint, exportPath: file, table, resumeAfter: saved?.done ?? 0 } }),
    ...(rejects === undefined ? {} : { rejects }),
    onRejected: ({ line, username, reason }) => progress.print(printable(`  line ${line}${username ? ` (${username})` : ''}: ${reason}`)),
    onPresent: (line, username) => {
      if (presentShown < 20) progress.print(printable(`  line ${line} (${username}): already in ${table}, left unchanged`));
      presentShown += 1;
    },
    signal: interruption.signal,
  });
  let presentShown = 0;
  const progress = startProgress({ counts: run.counts, bytesRead: source.bytesRead, totalBytes: statSync(file).size, quiet });
  let result: ImportResult;
  try {
    result = await run.run();
  } finally {
    progress.stop();
  }
  const { counts, failure, interrupted } = result;
  const { rowsPerSecond, seconds } = progress.rate();
  if (presentShown > 20) say(`  … and ${(presentShown - 20).toLocaleString('en-US')} more already present`);
  say(`${dryRun ? 'Dry run' : failure || interrupted ? 'Stopped' : 'Done'}: ${describeCounts(counts)}${dryRun ? ' (loaded = would be loaded)' : ''} into ${table}; ${Math.round(rowsPerSecond).toLocaleString('en-US')} rows/s over ${seconds.toFixed(1)} s.`);
  if (writer !== undefined && writer.stats.throttled > 0) {
    say(`DynamoDB throttled or left work unprocessed ${writer.stats.throttled.toLocaleString('en-US')} times; all of it was retried with backoff (a lower --concurrency eases it).`);
  }
  if (options.rejects !== undefined && counts.rejected > 0) say(`Rejected rows are in ${options.rejects}: fix them there and load that file the same way.`);
  if (options.envLines.length > 0) {
    if (options.printFirebaseEnv) say(['Set on the migration function:', ...options.envLines].join('\n'));
    else say('Set MIGRATION_FIREBASE_SIGNER_KEY, _SALT_SEPARATOR, _ROUNDS and _MEM_COST on the migration function (--print-firebase-env prints the lines).');
  }
  if (failure !== undefined) {
    const hint = failure instanceof ResourceNotFoundException ? ` (does table ${table} exist? --create-table makes it)` : '';
    process.stderr.write(`Import failed: ${failure.name}: ${failure.message}${hint}\n`);
  }
  if (failure !== undefined || interrupted) {
    process.stderr.write(options.checkpoint ? `Run the same command again to continue from ${options.checkpoint}.\n` : 'Run it again: users already in the table are skipped.\n');
    return 1;
  }
  return counts.rejected === 0 ? 0 : 1;
}

const interruption = new AbortController();

async function main(): Promise<number> {
  let options: CommandLine;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof ParameterError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) throw error;
    process.stderr.write(`${(error as Error).message ? `${(error as Error).message}\n` : ''}${USAGE}\n`);
    return 2;
  }
  process.once('SIGINT', () => {
    process.stderr.write('\nStopping: finishing the batches in flight and saving the checkpoint…\n');
    interruption.abort();
  });
  // Throttled requests are retried by the SDK too; its adaptive mode also slows the sending down while DynamoDB throttles.
  const client = new DynamoDBClient({ maxAttempts: 8, retryMode: 'adaptive' });
  try {
    return await runImport(options, client);
  } catch (error) {
    if (error instanceof CheckpointMismatchError || error instanceof ExportFormatError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`Cannot import ${options.file}: ${(error as Error).message}\n`);
      return 2;
    }
    const hint = error instanceof ResourceNotFoundException ? ` (does table ${options.table} exist? --create-table makes it)` : '';
    process.stderr.write(`Import failed: ${(error as Error).name}: ${(error as Error).message}${hint}\n`);
    return 1;
  } finally {
    client.destroy();
  }
}

if (process.argv[1]?.endsWith('legacyImport.ts')) {
  main().then((code) => process.exit(code));
}
