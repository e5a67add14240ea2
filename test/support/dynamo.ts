import { createDynamoDb, type DynamoDb } from '../../shared/aws/services.js';

/** One DynamoDB request as a test saw it: the operation's name and its input. */
export interface SeenRequest {
  command: string;
  input: Record<string, any>;
  /** Set when the request failed: the error's name (e.g. ConditionalCheckFailedException). */
  error?: string;
}

export interface TestDynamoOptions {
  /** Wait this long before every request (store latency). */
  delayMs?: number;
  /** Throw this instead of sending (a DynamoDB fault), for requests the predicate picks. */
  failWith?: (request: SeenRequest) => Error | undefined;
}

/**
 * The functions' DynamoDB client for the stand-in, wrapped to record every request (and whether it
 * failed), and to add latency or faults in front of it.
 */
export function testDynamo(endpoint: string, options: TestDynamoOptions = {}): { client: DynamoDb; requests: SeenRequest[] } {
  // dynalite answers from the test's own process: with a hundred requests in flight it can take longer
  // than the production connect timeout to accept one, which is not what these tests are about.
  const inner = createDynamoDb({ endpoint, timeouts: { connectionTimeoutMs: 10_000, requestTimeoutMs: 10_000 } });
  const requests: SeenRequest[] = [];
  const client: DynamoDb = {
    endpoint: inner.endpoint,
    async call(operation, input, callOptions) {
      const seen: SeenRequest = { command: operation, input: input as Record<string, any> };
      requests.push(seen);
      if (options.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      const fault = options.failWith?.(seen);
      if (fault !== undefined) {
        seen.error = fault.name;
        throw fault;
      }
      try {
        return await inner.call(operation, input, callOptions);
      } catch (error) {
        seen.error = (error as Error).name;
        throw error;
      }
    },
  };
  return { client, requests };
}

/** Counts of one batch of requests: reads, writes, and conditional writes that lost. */
export function tally(requests: readonly SeenRequest[]): { reads: number; writes: number; conditionFailures: number; total: number } {
  const reads = requests.filter((request) => request.command === 'GetItem').length;
  const conditionFailures = requests.filter((request) => request.error === 'ConditionalCheckFailedException').length;
  return { reads, writes: requests.length - reads, conditionFailures, total: requests.length };
}
