import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP proxy in front of a stand-in that records every AWS request passing through it: the
 * operation (DynamoDB's X-Amz-Target, or the Query API's Action), whether it failed, and DynamoDB's
 * conditional-check failures. The bench points the functions' AWS_ENDPOINT_URL_* at it to count calls.
 */
export interface RecordedCall {
  service: string;
  operation: string;
  status: number;
  errorType: string | undefined;
  /** DynamoDB reads: whether the request asked for a strongly consistent read. */
  consistentRead: boolean;
}

export interface CountingProxy {
  endpoint: string;
  calls: RecordedCall[];
  close(): Promise<void>;
}

async function body(message: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function operationOf(service: string, headers: IncomingMessage['headers'], payload: string): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop() ?? target;
  if (service !== 'dynamodb') {
    const action = new URLSearchParams(payload).get('Action');
    if (action) return action;
  }
  return 'unknown';
}

export async function startCountingProxy(service: string, target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const calls: RecordedCall[] = [];
  const server: Server = createServer(async (incoming, outgoing) => {
    const payload = await body(incoming);
    const text = payload.toString('utf8');
    const operation = operationOf(service, incoming.headers, text);
    const forwarded = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers: incoming.headers },
      async (response) => {
        const answer = await body(response);
        let errorType: string | undefined;
        if ((response.statusCode ?? 500) >= 400) {
          const answerText = answer.toString('utf8');
          errorType = /"__type"\s*:\s*"[^"#]*#?([^"]+)"/.exec(answerText)?.[1] ?? /<Code>([^<]+)<\/Code>/.exec(answerText)?.[1] ?? `HTTP ${response.statusCode}`;
        }
        calls.push({ service, operation, status: response.statusCode ?? 0, errorType, consistentRead: /"ConsistentRead"\s*:\s*true/.test(text) });
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        outgoing.end(answer);
      },
    );
    forwarded.on('error', (error) => {
      outgoing.writeHead(502);
      outgoing.end(String(error));
    });
    forwarded.end(payload);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);

export interface CallCounts {
  dynamoReads: number;
  dynamoWrites: number;
  conditionalFailures: number;
  /** Read and write request units at on-demand pricing, for items under 1 KB (reads: 1 per strongly consistent read, ½ otherwise). */
  readUnits: number;
  writeUnits: number;
  emails: number;
  sms: number;
  other: string[];
}

export function countCalls(calls: readonly RecordedCall[]): CallCounts {
  const counts: CallCounts = { dynamoReads: 0, dynamoWrites: 0, conditionalFailures: 0, readUnits: 0, writeUnits: 0, emails: 0, sms: 0, other: [] };
  for (const call of calls) {
    if (call.service === 'dynamodb') {
      if (READS.has(call.operation)) {
        counts.dynamoReads += 1;
        counts.readUnits += call.consistentRead ? 1 : 0.5;
      } else {
        counts.dynamoWrites += 1;
        // A write refused by its condition is still billed (one unit for an item under 1 KB).
        counts.writeUnits += call.operation.startsWith('Transact') ? 2 : 1;
      }
      if (call.errorType === 'ConditionalCheckFailedException' || call.errorType === 'TransactionCanceledException') counts.conditionalFailures += 1;
    } else if (call.operation === 'SendEmail') counts.emails += 1;
    else if (call.operation === 'Publish') counts.sms += 1;
    else counts.other.push(`${call.service}:${call.operation}`);
  }
  return counts;
}
