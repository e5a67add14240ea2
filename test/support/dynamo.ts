import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { awsClientOptions } from '../../shared/aws/clientOptions.js';

/** One DynamoDB request as a test saw it: the command's name and its input. */
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
 * A DynamoDB client for the stand-in that records every request (and whether it failed), and can
 * add latency or faults: a middleware in front of the SDK's own stack.
 */
export function testDynamo(endpoint: string, options: TestDynamoOptions = {}): { client: DynamoDBClient; requests: SeenRequest[] } {
  // dynalite answers from the test's own process: with a hundred requests in flight it can take longer
  // than the production connect timeout to accept one, which is not what these tests are about.
  const client = new DynamoDBClient({ ...awsClientOptions, requestHandler: { connectionTimeout: 10_000, requestTimeout: 10_000 }, endpoint });
  const requests: SeenRequest[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const seen: SeenRequest = { command: String(context.commandName), input: args.input as Record<string, any> };
      requests.push(seen);
      if (options.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      const fault = options.failWith?.(seen);
      if (fault !== undefined) {
        seen.error = fault.name;
        throw fault;
      }
      try {
        return await next(args);
      } catch (error) {
        seen.error = (error as Error).name;
        throw error;
      }
    },
    { step: 'initialize', name: 'testDynamo' },
  );
  return { client, requests };
}

/** Counts of one batch of requests: reads, writes, and conditional writes that lost. */
export function tally(requests: readonly SeenRequest[]): { reads: number; writes: number; conditionFailures: number; total: number } {
  const reads = requests.filter((request) => request.command === 'GetItemCommand').length;
  const conditionFailures = requests.filter((request) => request.error === 'ConditionalCheckFailedException').length;
  return { reads, writes: requests.length - reads, conditionFailures, total: requests.length };
}
