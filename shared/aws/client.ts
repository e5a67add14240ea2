import { timeLeftMs, sendOptions } from './deadline.js';
import { resolveEndpoint, type ServiceEndpointSpec } from './endpoint.js';
import { type HttpAnswer, HttpTransportError, type HttpTimeouts, sendHttp } from './http.js';
import { createSigner, credentialsFromEnv, type CredentialSource } from './signer.js';

/**
 * The suite's AWS client core: sign (SigV4), send (bounded in time), retry once what AWS's SDKs retry
 * (throttling, 5xx, a connection that failed or timed out), and turn an AWS error answer into an
 * AwsServiceError named like the SDK's exceptions (`ConditionalCheckFailedException`, …).
 * Written for cold start: the AWS SDK clients cost more to load than the whole rest of a function
 * (README, "Performance"); the protocols the suite needs (JSON for DynamoDB and Cognito, Query for SES
 * and SNS) are a few lines each. Messages never contain a request's body (codes travel in SES bodies).
 */

export interface AwsServiceSpec extends ServiceEndpointSpec {
  /** SigV4 service name, e.g. `dynamodb`, `ses`, `cognito-idp`. */
  signingName: string;
  /** First retry waits a random time up to this (full jitter), as the SDK does (25 ms for DynamoDB, else 100 ms). */
  retryBaseDelayMs?: number;
}

export interface AwsClientOptions {
  /** Overrides the endpoint (tests, stand-ins); otherwise AWS_ENDPOINT_URL_* or the regional endpoint. */
  endpoint?: string | undefined;
  /** Overrides AWS_REGION (a service in another region, e.g. an old user pool). */
  region?: string | undefined;
  env?: Readonly<Record<string, string | undefined>>;
  credentials?: CredentialSource;
  timeouts?: HttpTimeouts;
  /** Tries per call, the first included. */
  maxAttempts?: number;
}

export interface AwsCallOptions {
  /** Ends the call; by default the invocation's deadline (shared/aws/deadline.ts). */
  abortSignal?: AbortSignal | undefined;
}

/** Bounded connection and request times and one retry, so a slow dependency fails inside Cognito's 5 seconds. */
export const DEFAULT_TIMEOUTS: HttpTimeouts = { connectionTimeoutMs: 1_000, requestTimeoutMs: 1_500 };
export const DEFAULT_MAX_ATTEMPTS = 2;

/** AWS answered with an error. `name` is AWS's error code, as the SDK names its exceptions. */
export class AwsServiceError extends Error {
  readonly $fault: 'client' | 'server';
  constructor(
    override readonly name: string,
    message: string,
    readonly statusCode: number,
    readonly requestId: string | undefined,
    /** The error answer's other fields (e.g. DynamoDB's `Item` with ReturnValuesOnConditionCheckFailure). */
    readonly fields: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.$fault = statusCode >= 500 ? 'server' : 'client';
  }
}

/** An answer that is neither a success nor an AWS error the protocol can read. */
export class AwsProtocolError extends Error {
  override name = 'AwsProtocolError';
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
]);
const TRANSIENT_NETWORK = new Set(['TimeoutError', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);

export function isRetryable(error: unknown): boolean {
  if (error instanceof AwsServiceError) return error.statusCode >= 500 || error.statusCode === 429 || THROTTLING.has(error.name);
  if (error instanceof HttpTransportError) return TRANSIENT_NETWORK.has(error.name);
  return false;
}

export interface AwsRequest {
  headers: Record<string, string>;
  body: string;
}

export interface AwsRequester {
  readonly endpoint: URL;
  readonly region: string;
  /** Signs and sends `request` (retrying once what is retryable) and reads the answer with `read`, which throws AWS's errors. */
  send<T>(request: AwsRequest, read: (answer: HttpAnswer) => T, options?: AwsCallOptions): Promise<T>;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function createAwsRequester(spec: AwsServiceSpec, options: AwsClientOptions = {}): AwsRequester {
  const env = options.env ?? process.env;
  const { url, region } = resolveEndpoint(spec, env, { endpoint: options.endpoint, region: options.region });
  const signer = createSigner(spec.signingName, region, options.credentials ?? credentialsFromEnv(env));
  const timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const baseDelayMs = spec.retryBaseDelayMs ?? 100;
  const port = url.port === '' ? undefined : Number(url.port);
  const path = url.pathname === '' ? '/' : url.pathname;

  return {
    endpoint: url,
    region,
    async send(request, read, callOptions) {
      const abortSignal = callOptions?.abortSignal ?? sendOptions().abortSignal;
      for (let attempt = 1; ; attempt += 1) {
        try {
          const headers = await signer.sign({ method: 'POST', protocol: url.protocol, hostname: url.hostname, port, path, headers: { host: url.host, ...request.headers }, body: request.body });
          return read(await sendHttp({ url, method: 'POST', headers, body: request.body, abortSignal }, timeouts));
        } catch (error) {
          if (attempt >= maxAttempts || !isRetryable(error) || abortSignal?.aborted) throw error;
          const delay = Math.random() * baseDelayMs * 2 ** (attempt - 1);
          const left = timeLeftMs();
          if (left !== undefined && left <= delay) throw error;
          await pause(delay, abortSignal);
        }
      }
    },
  };
}
