import type { Logger } from '@aws-lambda-powertools/logger';
import { awsClientOptions } from '../../aws/clientOptions.js';
import type { LegacyDirectory } from '../directory.js';
import type { DirectorySettings } from './settings.js';

/**
 * The chosen directory, with its driver loaded by a dynamic import(): esbuild keeps each one a lazily
 * evaluated module of the bundle, so a deployment evaluates only the driver of its own directory.
 */
export async function openDirectory(settings: DirectorySettings, logger: Logger): Promise<LegacyDirectory> {
  switch (settings.kind) {
    case 'dynamodb': {
      const [{ DynamoDBClient }, { createDynamoDirectory }] = await Promise.all([import('@aws-sdk/client-dynamodb'), import('../directory.js')]);
      return createDynamoDirectory(new DynamoDBClient(awsClientOptions), settings.tableName);
    }
    case 'ldap':
      return (await import('./ldap.js')).createLdapDirectory(settings, logger);
    case 'postgres':
      return (await import('./postgres.js')).createPostgresDirectory(settings);
    case 'mysql':
      return (await import('./mysql.js')).createMysqlDirectory(settings);
    case 'http':
      return (await import('./http.js')).createHttpDirectory(settings, logger);
    case 'cognito':
      return (await import('./cognitoPool.js')).createCognitoPoolDirectory(settings, logger);
  }
}
