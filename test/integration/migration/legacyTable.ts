import { type AttributeValue, BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createLegacyTable as createTable } from '../../../local/legacyImport.js';
import { createDynamoDb, type DynamoDb } from '../../../shared/aws/services.js';

/** The legacy directory table as the migration trigger reads it: partition key `username` (S). */
export const LEGACY_TABLE = 'legacy-users';

export interface LegacyRow {
  username: string;
  passwordHash: string;
  email?: string;
  emailVerified?: boolean;
  phoneNumber?: string;
  phoneNumberVerified?: boolean;
  attributes?: Record<string, string>;
  disabled?: boolean;
}

export function dynamoClient(endpoint: string, maxAttempts?: number): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
  });
}

/** The client the migration trigger reads the directory with (the functions' own, not the SDK). */
export function directoryClient(endpoint: string): DynamoDb {
  return createDynamoDb({ endpoint });
}

export async function createLegacyTable(client: DynamoDBClient, tableName = LEGACY_TABLE): Promise<void> {
  await createTable(client, tableName);
}

export function toItem(row: LegacyRow): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = { username: { S: row.username }, passwordHash: { S: row.passwordHash } };
  if (row.email !== undefined) item.email = { S: row.email };
  if (row.emailVerified !== undefined) item.emailVerified = { BOOL: row.emailVerified };
  if (row.phoneNumber !== undefined) item.phoneNumber = { S: row.phoneNumber };
  if (row.phoneNumberVerified !== undefined) item.phoneNumberVerified = { BOOL: row.phoneNumberVerified };
  if (row.attributes !== undefined) {
    item.attributes = { M: Object.fromEntries(Object.entries(row.attributes).map(([k, v]) => [k, { S: v }])) };
  }
  if (row.disabled !== undefined) item.disabled = { BOOL: row.disabled };
  return item;
}

/** Writes items (raw, so a test can also store deliberately wrong types) 25 at a time. */
export async function putItems(client: DynamoDBClient, items: readonly Record<string, AttributeValue>[], tableName = LEGACY_TABLE): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    await client.send(
      new BatchWriteItemCommand({ RequestItems: { [tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }),
    );
  }
}
