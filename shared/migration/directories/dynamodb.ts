import { createDynamoDb } from '../../aws/services.js';
import { createDynamoDirectory, type LegacyDirectory } from '../directory.js';

/** The DynamoDB table directory with its client. Imported statically here, so esbuild keeps only the commands used. */
export function openDynamoDirectory(tableName: string): LegacyDirectory {
  return createDynamoDirectory(createDynamoDb(), tableName);
}
