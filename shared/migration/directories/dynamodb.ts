import { createDynamoDb } from '../../aws/services.js';
import { createDynamoDirectory, type LegacyDirectory } from '../directory.js';

/** The DynamoDB table directory with the functions' own DynamoDB client (shared/aws). */
export function openDynamoDirectory(tableName: string): LegacyDirectory {
  return createDynamoDirectory(createDynamoDb(), tableName);
}
