import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';

/**
 * Local stand-ins for the AWS services the triggers use, started in-process on loopback:
 * dynalite (DynamoDB), aws-ses-v2-local (SES) and a small capturing SNS endpoint for SMS.
 */

export interface CapturedEmail {
  to: string[];
  from: string;
  subject: string;
  text: string | undefined;
  html: string | undefined;
}

export interface CapturedSms {
  phoneNumber: string;
  message: string;
  attributes: Record<string, string>;
}

export interface StandIn {
  endpoint: string;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${actual}`);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

export const CODE_TABLE_KEY = 'pk';

export async function createCodeTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: CODE_TABLE_KEY, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: CODE_TABLE_KEY, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 10, minDelay: 1 }, { TableName: tableName });
  client.destroy();
}

export async function startDynamo(port = 0): Promise<StandIn> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const endpoint = await listen(server, port);
  return { endpoint, close: () => closeServer(server) };
}

export interface SesStandIn extends StandIn {
  emails(): Promise<CapturedEmail[]>;
  clear(): Promise<void>;
}

export async function startSes(port = 0): Promise<SesStandIn> {
  const module = (await import('aws-ses-v2-local')) as unknown as { default: unknown };
  const start = ((module.default as { default?: unknown }).default ?? module.default) as (config: { host: string; port: number }) => Promise<Server>;
  const server = await start({ host: '127.0.0.1', port });
  const { port: actual } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${actual}`;
  return {
    endpoint,
    close: () => closeServer(server),
    async emails() {
      const response = await fetch(`${endpoint}/store`);
      const body = (await response.json()) as {
        emails: { from: string; destination: { to: string[] }; subject: string; body: { text?: string; html?: string } }[];
      };
      return body.emails.map((email) => ({
        to: email.destination.to,
        from: email.from,
        subject: email.subject,
        text: email.body.text,
        html: email.body.html,
      }));
    },
    async clear() {
      await fetch(`${endpoint}/clear-store`, { method: 'POST' });
    },
  };
}

export interface SmsStandIn extends StandIn {
  messages: CapturedSms[];
  /** Make the next `count` Publish calls fail with a throttling error. */
  throttleNext(count: number): void;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** SNS has no usable emulator on npm: this endpoint speaks just enough of the Query API for Publish. */
export async function startSms(port = 0): Promise<SmsStandIn> {
  const messages: CapturedSms[] = [];
  let throttled = 0;
  let nextId = 1;
  const server = createServer(async (request, response) => {
    // Not SNS: the captured messages, for tools in another process (npm run invoke -- … --answer-last-code).
    if (request.method === 'GET' && request.url === '/messages') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(messages));
      return;
    }
    const form = new URLSearchParams(await readBody(request));
    if (form.get('Action') !== 'Publish') {
      response.writeHead(400, { 'content-type': 'text/xml' });
      response.end('<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Only Publish is supported</Message></Error></ErrorResponse>');
      return;
    }
    if (throttled > 0) {
      throttled -= 1;
      response.writeHead(400, { 'content-type': 'text/xml' });
      response.end('<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>local</RequestId></ErrorResponse>');
      return;
    }
    const attributes: Record<string, string> = {};
    for (let index = 1; form.has(`MessageAttributes.entry.${index}.Name`); index += 1) {
      attributes[form.get(`MessageAttributes.entry.${index}.Name`) ?? ''] = form.get(`MessageAttributes.entry.${index}.Value.StringValue`) ?? '';
    }
    messages.push({ phoneNumber: form.get('PhoneNumber') ?? '', message: form.get('Message') ?? '', attributes });
    const messageId = `local-${nextId++}`;
    response.writeHead(200, { 'content-type': 'text/xml' });
    response.end(
      `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult>` +
        '<ResponseMetadata><RequestId>local</RequestId></ResponseMetadata></PublishResponse>',
    );
  });
  const endpoint = await listen(server, port);
  return {
    endpoint,
    messages,
    throttleNext(count) {
      throttled = count;
    },
    close: () => closeServer(server),
  };
}

export interface LocalAws {
  dynamo: StandIn;
  ses: SesStandIn;
  sms: SmsStandIn;
  /** The standard per-service endpoint variables and fake credentials that point the SDK at the stand-ins. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startLocalAws(options: { tableName: string; ports?: { dynamo?: number; ses?: number; sms?: number } }): Promise<LocalAws> {
  const [dynamo, ses, sms] = await Promise.all([startDynamo(options.ports?.dynamo), startSes(options.ports?.ses), startSms(options.ports?.sms)]);
  await createCodeTable(dynamo.endpoint, options.tableName);
  return {
    dynamo,
    ses,
    sms,
    env: {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SES: ses.endpoint,
      AWS_ENDPOINT_URL_SNS: sms.endpoint,
    },
    close: async () => {
      await Promise.all([dynamo.close(), ses.close(), sms.close()]);
    },
  };
}
