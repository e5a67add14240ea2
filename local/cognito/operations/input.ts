import { CognitoError } from '../errors.js';

/** Reading a request body the way the service validates it (messages in the AWS validation format). */

export type Input = Record<string, unknown>;

const camel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

export function required(input: Input, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') {
    throw new CognitoError('InvalidParameterException', `1 validation error detected: Value null at '${camel(name)}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

export function optional(input: Input, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' ? value : undefined;
}

export function stringMap(input: Input, name: string): Record<string, string> | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new CognitoError('InvalidParameterException', `${name} must be a map of strings.`);
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

export function attributeInput(input: Input, name: string): { Name: string; Value?: string }[] {
  const value = input[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new CognitoError('InvalidParameterException', `${name} must be a list of attributes.`);
  return value.map((item: unknown) => {
    const entry = item as { Name?: unknown; Value?: unknown };
    if (typeof entry?.Name !== 'string') throw new CognitoError('InvalidParameterException', `${name}: every attribute needs a Name.`);
    return typeof entry.Value === 'string' ? { Name: entry.Name, Value: entry.Value } : { Name: entry.Name };
  });
}

export function toRecord(attributes: { Name: string; Value?: string }[]): Record<string, string> {
  return Object.fromEntries(attributes.filter((a) => a.Value !== undefined).map((a) => [a.Name, a.Value as string]));
}
