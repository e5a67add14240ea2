import { AwsProtocolError, AwsServiceError, createAwsRequester, type AwsCallOptions, type AwsClientOptions, type AwsServiceSpec } from './client.js';
import type { HttpAnswer } from './http.js';

/**
 * AWS's JSON protocol (DynamoDB: 1.0, Cognito user pools: 1.1): one POST per operation, named in
 * `X-Amz-Target`; the input and output are the operation's shapes as JSON. Timestamps travel as epoch
 * seconds and blobs as base64 (`Wire<T>` types them so), which the suite's calls do not use.
 */

/** A shape as it travels in the JSON protocol. */
export type Wire<T> = T extends Date
  ? number
  : T extends Uint8Array
    ? string
    : T extends readonly (infer U)[]
      ? Wire<U>[]
      : T extends object
        ? { [K in keyof T as K extends '$metadata' ? never : K]: Wire<T[K]> }
        : T;

export type OperationMap = Record<string, { input: unknown; output: unknown }>;

export interface JsonServiceClient<Ops extends OperationMap> {
  readonly endpoint: URL;
  call<K extends keyof Ops & string>(operation: K, input: Ops[K]['input'], options?: AwsCallOptions): Promise<Ops[K]['output']>;
}

export interface JsonServiceSpec extends AwsServiceSpec {
  /** `X-Amz-Target` prefix, e.g. DynamoDB_20120810. */
  targetPrefix: string;
  jsonVersion: '1.0' | '1.1';
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** AWS's error code from `X-Amzn-ErrorType` or `__type`: `aws.protocols#Name:http://…` → `Name`. */
export function errorCode(raw: string): string {
  const afterHash = raw.slice(raw.lastIndexOf('#') + 1);
  const colon = afterHash.indexOf(':');
  return colon === -1 ? afterHash : afterHash.slice(0, colon);
}

export function readJsonAnswer(answer: HttpAnswer, service: string): unknown {
  const body = parseJson(answer.body);
  const requestId = [answer.headers['x-amzn-requestid']].flat()[0];
  if (answer.statusCode >= 200 && answer.statusCode < 300) {
    if (body === undefined || typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AwsProtocolError(`${service} answered ${answer.statusCode} with a body that is not a JSON object.`);
    }
    return body;
  }
  const fields = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const typeHeader = [answer.headers['x-amzn-errortype']].flat()[0];
  const rawType = typeHeader ?? (typeof fields.__type === 'string' ? fields.__type : typeof fields.code === 'string' ? fields.code : undefined);
  const name = rawType === undefined ? (answer.statusCode >= 500 ? 'InternalServerError' : `HttpError${answer.statusCode}`) : errorCode(rawType);
  const message = [fields.message, fields.Message, fields.errorMessage].find((value): value is string => typeof value === 'string') ?? `${service} answered ${answer.statusCode} (${name}).`;
  const { __type: _type, message: _m, Message: _M, ...rest } = fields;
  throw new AwsServiceError(name, message, answer.statusCode, requestId, rest);
}

export function createJsonServiceClient<Ops extends OperationMap>(spec: JsonServiceSpec, options?: AwsClientOptions): JsonServiceClient<Ops> {
  const requester = createAwsRequester(spec, options);
  const contentType = `application/x-amz-json-${spec.jsonVersion}`;
  return {
    endpoint: requester.endpoint,
    async call(operation, input, callOptions) {
      const request = { headers: { 'content-type': contentType, 'x-amz-target': `${spec.targetPrefix}.${operation}` }, body: JSON.stringify(input ?? {}) };
      return (await requester.send(request, (answer) => readJsonAnswer(answer, spec.hostPrefix), callOptions)) as Ops[typeof operation]['output'];
    },
  };
}
