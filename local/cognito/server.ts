import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CognitoError } from './errors.js';
import { OPERATIONS } from './operations/index.js';
import { LocalUserPool, type LocalUserPoolOptions } from './userPool.js';

/**
 * The cognito-idp JSON protocol (awsJson1_1) on loopback: POST / with
 * `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`, errors as `{"__type","message"}`
 * with status 400 (Amplify retries 5xx and 429, so only a bug in this endpoint answers 500),
 * the JWKS at /<poolId>/.well-known/jwks.json, and CORS for a front end on another port.
 */

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const JSON_TYPE = 'application/x-amz-json-1.1';
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers':
    'content-type, x-amz-target, x-amz-user-agent, cache-control, authorization, x-amz-date, x-amz-security-token, x-amz-content-sha256, amz-sdk-invocation-id, amz-sdk-request, x-amz-client-context',
  'access-control-expose-headers': 'x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date',
  'access-control-max-age': '600',
};

export interface CognitoEndpoint {
  endpoint: string;
  userPool: LocalUserPool;
  userPoolId: string;
  clientId: string;
  /** The variable the AWS SDK reads for this service's endpoint. */
  env: { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: string };
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...CORS, 'content-type': JSON_TYPE, 'x-amzn-requestid': crypto.randomUUID(), ...headers });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, code: string, message: string, status = 400): void {
  send(response, status, { __type: code, message }, { 'x-amzn-errortype': code });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function handle(userPool: LocalUserPool, endpoint: () => string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://local');
  if (request.method === 'OPTIONS') {
    response.writeHead(204, CORS);
    response.end();
    return;
  }
  if (request.method === 'GET') {
    const poolPath = `/${userPool.pool.userPoolId}/.well-known/`;
    if (url.pathname === `${poolPath}jwks.json`) return send(response, 200, userPool.tokens.jwks(), { 'content-type': 'application/json' });
    if (url.pathname === `${poolPath}openid-configuration`) {
      return send(
        response,
        200,
        { issuer: userPool.tokens.issuer, jwks_uri: `${endpoint()}${poolPath}jwks.json`, id_token_signing_alg_values_supported: ['RS256'], subject_types_supported: ['public'] },
        { 'content-type': 'application/json' },
      );
    }
    if (url.pathname === '/health') return send(response, 200, { ok: true }, { 'content-type': 'application/json' });
    return sendError(response, 'ResourceNotFoundException', `Nothing at ${url.pathname}.`);
  }
  const target = String(request.headers['x-amz-target'] ?? '');
  const operationName = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
  const operation = Object.hasOwn(OPERATIONS, operationName) ? OPERATIONS[operationName] : undefined;
  const text = await readBody(request);
  if (operation === undefined) {
    return sendError(response, 'UnknownOperationException', `The local Cognito endpoint does not implement ${operationName || '(no X-Amz-Target)'}.`);
  }
  let input: unknown;
  try {
    input = text === '' ? {} : JSON.parse(text);
  } catch {
    return sendError(response, 'SerializationException', 'The request body is not JSON.');
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return sendError(response, 'SerializationException', 'The request body must be a JSON object.');
  try {
    send(response, 200, await operation(userPool, input as Record<string, unknown>));
  } catch (error) {
    if (error instanceof CognitoError) return sendError(response, error.code, error.message);
    process.stderr.write(`local Cognito endpoint: ${operationName} failed: ${(error as Error).stack ?? String(error)}\n`);
    sendError(response, 'InternalErrorException', 'The local Cognito endpoint failed; see its log.', 500);
  }
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}

export async function startCognitoEndpoint(options: LocalUserPoolOptions & { port?: number }): Promise<CognitoEndpoint> {
  const userPool = new LocalUserPool(options);
  let endpoint = '';
  const server = createServer((request, response) => {
    handle(userPool, () => endpoint, request, response).catch((error: unknown) => {
      process.stderr.write(`local Cognito endpoint: ${(error as Error).message}\n`);
      if (!response.headersSent) sendError(response, 'InternalErrorException', 'The local Cognito endpoint failed; see its log.', 500);
    });
  });
  const address = await listen(server, options.port ?? 0, '127.0.0.1');
  endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    userPool,
    userPoolId: userPool.pool.userPoolId,
    clientId: userPool.pool.client.clientId,
    env: { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
