import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { awsClientOptions } from '../../aws/clientOptions.js';
import { createDynamoDirectory, type LegacyDirectory } from '../directory.js';

/** The DynamoDB table directory with its client. Imported statically here, so esbuild keeps only the commands used. */
export function openDynamoDirectory(tableName: string): LegacyDirectory {
  return createDynamoDirectory(new DynamoDBClient(awsClientOptions), tableName);
}
