import { InvalidEventError } from '../errors.js';
import { isObject } from '../json.js';
import type { MigrationRequest } from './migrate.js';

const TRIGGER_SOURCES = ['UserMigration_Authentication', 'UserMigration_ForgotPassword'] as const;

export function parseMigrationEvent(event: unknown): MigrationRequest {
  if (!isObject(event)) throw new InvalidEventError('Invalid event: expected a Cognito trigger event object.');
  const root = event;
  const triggerSource = TRIGGER_SOURCES.find((source) => source === root.triggerSource);
  if (triggerSource === undefined) throw new InvalidEventError(`Invalid event: triggerSource must be one of ${TRIGGER_SOURCES.join(', ')}.`);
  if (typeof root.userName !== 'string' || root.userName === '') throw new InvalidEventError('Invalid event: userName must be a non-empty string.');
  if (root.userName.length > 128) throw new InvalidEventError('Invalid event: userName is longer than 128 characters.');
  const request = root.request;
  if (!isObject(request)) throw new InvalidEventError('Invalid event: request must be an object.');
  if (!isObject(root.response)) throw new InvalidEventError('Invalid event: response must be an object.');
  const password = request.password;
  if (triggerSource === 'UserMigration_Authentication' && typeof password !== 'string') {
    throw new InvalidEventError('Invalid event: request.password must be a string for UserMigration_Authentication.');
  }
  return { triggerSource, userName: root.userName, password: typeof password === 'string' ? password : undefined };
}
