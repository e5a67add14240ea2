import { readFileSync } from 'node:fs';
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, ResourceNotFoundException, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { type ImportRow, itemFromLegacyUser, parseCsv, prepareImport, type RowRejection } from '../shared/migration/importRows.js';
import type { LegacyUser } from '../shared/migration/legacyUser.js';

/**
 * npm run legacy:import -- <file.json|file.csv> [--table NAME] [--create-table] [--dry-run]
 * Loads a legacy export into the directory table (LEGACY_USERS_TABLE), on a stand-in or on AWS,
 * chosen by the usual AWS_ENDPOINT_URL_DYNAMODB / credential variables.
 */

export function readExport(path: string): ImportRow[] {
  const content = readFileSync(path, 'utf8');
  if (path.toLowerCase().endsWith('.csv')) return parseCsv(content);
  const parsed = JSON.parse(content) as unknown;
  const rows = Array.isArray(parsed) ? parsed : (parsed as { users?: unknown }).users;
  if (!Array.isArray(rows)) throw new Error('a JSON export must be an array of users or {"users": [...]}');
  return rows.map((row) => (typeof row === 'object' && row !== null ? (row as ImportRow) : { username: undefined }));
}

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

/** Writes in batches of 25, retrying what DynamoDB leaves unprocessed. */
export async function writeUsers(client: DynamoDBClient, tableName: string, users: readonly LegacyUser[]): Promise<void> {
  for (let start = 0; start < users.length; start += 25) {
    let requests = users.slice(start, start + 25).map((user) => ({ PutRequest: { Item: itemFromLegacyUser(user) } }));
    for (let attempt = 0; requests.length > 0; attempt += 1) {
      if (attempt === 8) throw new Error(`DynamoDB left ${requests.length} writes unprocessed after ${attempt} tries`);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
      requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
}

export async function importLegacyUsers(
  client: DynamoDBClient,
  tableName: string,
  rows: readonly ImportRow[],
  options: { dryRun?: boolean } = {},
): Promise<{ loaded: number; rejected: RowRejection[] }> {
  const { users, rejected } = prepareImport(rows);
  if (!options.dryRun) await writeUsers(client, tableName, users);
  return { loaded: users.length, rejected };
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const file = args.find((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--table');
  const tableName = option(args, '--table') ?? process.env.LEGACY_USERS_TABLE;
  if (file === undefined || tableName === undefined) {
    process.stderr.write('Usage: npm run legacy:import -- <file.json|file.csv> [--table NAME] [--create-table] [--dry-run]\n(the table defaults to $LEGACY_USERS_TABLE)\n');
    return 2;
  }
  let rows: ImportRow[];
  try {
    rows = readExport(file);
  } catch (error) {
    process.stderr.write(`Cannot read ${file}: ${(error as Error).message}\n`);
    return 2;
  }
  const client = new DynamoDBClient({});
  const dryRun = args.includes('--dry-run');
  try {
    if (args.includes('--create-table') && !dryRun) await createLegacyTable(client, tableName);
    const { loaded, rejected } = await importLegacyUsers(client, tableName, rows, { dryRun });
    process.stdout.write(`${dryRun ? 'Would load' : 'Loaded'} ${loaded} of ${rows.length} rows into ${tableName}; rejected ${rejected.length}.\n`);
    for (const rejection of rejected) {
      process.stdout.write(`  row ${rejection.row}${rejection.username ? ` (${rejection.username})` : ''}: ${rejection.reason}\n`);
    }
    return rejected.length === 0 ? 0 : 1;
  } catch (error) {
    const hint = error instanceof ResourceNotFoundException ? ` (does table ${tableName} exist? --create-table makes it)` : '';
    process.stderr.write(`Import failed: ${(error as Error).name}: ${(error as Error).message}${hint}\n`);
    return 1;
  } finally {
    client.destroy();
  }
}

if (process.argv[1]?.endsWith('legacyImport.ts')) {
  main().then((code) => process.exit(code));
}
