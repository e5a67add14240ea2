import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsServiceError } from '../../shared/aws/client.js';
import { runWithDeadline } from '../../shared/aws/deadline.js';
import { createCognitoIdp, createDynamoDb, createSes, createSns } from '../../shared/aws/services.js';
import { createSesEmailSender } from '../../shared/delivery/ses.js';
import { createSnsSmsSender } from '../../shared/delivery/sns.js';
import { sigv4Problem } from '../support/sigv4Verifier.js';

/**
 * The suite's AWS client against a local HTTP server that checks every signature independently and
 * answers as AWS does, including its failures.
 */

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  signatureProblem: string | undefined;
  /** The client's end of the connection the request came on. */
  clientPort: number | undefined;
}
type Answer = (request: Seen, response: ServerResponse) => void;

const SECRET = 'local-secret-access-key';
const credentials = () => ({ accessKeyId: 'AKIDLOCAL', secretAccessKey: SECRET, sessionToken: 'token-1' });
const SERVICE_OF: Record<string, string> = { '/dynamodb': 'dynamodb', '/cognito': 'cognito-idp', '/ses': 'ses', '/sns': 'sns' };

let server: Server;
let base: string;
let seen: Seen[] = [];
let answers: Answer[] = [];

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => (_request, response) => {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', ...headers }).end(JSON.stringify(body));
};
const xml = (status: number, body: string): Answer => (_request, response) => {
  response.writeHead(status, { 'content-type': 'text/xml' }).end(body);
};
const never: Answer = () => undefined;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '/';
      const service = SERVICE_OF[path.replace(/\/$/, '')] ?? 'unknown';
      const entry = { method: request.method ?? '', path, headers: request.headers, body, signatureProblem: sigv4Problem({ method: request.method ?? '', path, headers: request.headers, body }, SECRET, service), clientPort: request.socket.remotePort };
      seen.push(entry);
      (answers.shift() ?? json(500, { __type: 'NoAnswerQueued' }))(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen = [];
  answers = [];
});

const fast = { timeouts: { connectionTimeoutMs: 300, requestTimeoutMs: 300 } };
const dynamo = (options = {}) => createDynamoDb({ endpoint: `${base}/dynamodb`, credentials, ...options });

describe('every request the functions send', () => {
  it('carries a SigV4 signature that an independent check accepts, for each protocol', async () => {
    answers.push(json(200, { Item: { pk: { S: 'USER#a' } } }), json(200, { Username: 'a', UserAttributes: [] }), xml(200, '<SendEmailResponse><SendEmailResult><MessageId>m-1</MessageId></SendEmailResult></SendEmailResponse>'), xml(200, '<PublishResponse><PublishResult><MessageId>m-2</MessageId></PublishResult></PublishResponse>'));

    expect(await dynamo().call('GetItem', { TableName: 'otp', Key: { pk: { S: 'USER#a' } }, ConsistentRead: true })).toEqual({ Item: { pk: { S: 'USER#a' } } });
    expect(await createCognitoIdp({ endpoint: `${base}/cognito`, credentials }).call('AdminGetUser', { UserPoolId: 'us-east-1_x', Username: 'a' })).toEqual({ Username: 'a', UserAttributes: [] });
    await createSesEmailSender(createSes({ endpoint: `${base}/ses`, credentials }), { from: 'Bench <no-reply@example.com>' }).sendEmail('ünïcode+tag@example.com', { subject: 'Your code: 123 456 & more', text: "Code 123456 (it's ~*valid*~)", html: '<p>Code <b>123456</b></p>' });
    await createSnsSmsSender(createSns({ endpoint: `${base}/sns`, credentials }), { senderId: 'MyApp' }).sendSms('+14155550123', 'Your code is 123456');

    expect(seen.map((request) => request.signatureProblem)).toEqual([undefined, undefined, undefined, undefined]);
    expect(seen.map((request) => request.headers['x-amz-target'])).toEqual(['DynamoDB_20120810.GetItem', 'AWSCognitoIdentityProviderService.AdminGetUser', undefined, undefined]);
    expect(seen[0]?.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(seen[1]?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(seen[0]?.headers['x-amz-security-token']).toBe('token-1');
    const email = new URLSearchParams(seen[2]?.body);
    expect(email.get('Action')).toBe('SendEmail');
    expect(email.get('Version')).toBe('2010-12-01');
    expect(email.get('Destination.ToAddresses.member.1')).toBe('ünïcode+tag@example.com');
    expect(email.get('Message.Body.Text.Data')).toBe("Code 123456 (it's ~*valid*~)");
    expect(email.get('Message.Subject.Charset')).toBe('UTF-8');
    const sms = new URLSearchParams(seen[3]?.body);
    expect(Object.fromEntries(sms)).toMatchObject({
      Action: 'Publish',
      Version: '2010-03-31',
      PhoneNumber: '+14155550123',
      'MessageAttributes.entry.1.Name': 'AWS.SNS.SMS.SMSType',
      'MessageAttributes.entry.1.Value.StringValue': 'Transactional',
      'MessageAttributes.entry.2.Name': 'AWS.SNS.SMS.SenderID',
      'MessageAttributes.entry.2.Value.StringValue': 'MyApp',
    });
  });

  it('reuses one kept-alive connection for calls one after another', async () => {
    for (let i = 0; i < 3; i += 1) answers.push(json(200, {}));
    const client = dynamo();
    for (let i = 0; i < 3; i += 1) await client.call('GetItem', { TableName: 't', Key: { pk: { S: 'k' } } });
    expect(new Set(seen.map((request) => request.clientPort)).size).toBe(1);
  });
});

describe('when AWS fails', () => {
  it('a 503 is tried once more, and the second answer is the result', async () => {
    answers.push(json(503, { __type: 'ServiceUnavailable' }), json(200, { Attributes: { n: { N: '1' } } }));
    expect(await dynamo().call('UpdateItem', { TableName: 't', Key: { pk: { S: 'k' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1' } } })).toEqual({ Attributes: { n: { N: '1' } } });
    expect(seen).toHaveLength(2);
  });

  it('throttling that persists fails after two tries with the throttling error', async () => {
    answers.push(json(400, { __type: 'ThrottlingException', message: 'Rate exceeded' }), json(400, { __type: 'ThrottlingException', message: 'Rate exceeded' }), json(200, {}));
    await expect(dynamo().call('GetItem', { TableName: 't', Key: { pk: { S: 'k' } } })).rejects.toMatchObject({ name: 'ThrottlingException', statusCode: 400 });
    expect(seen).toHaveLength(2);
  });

  it('a refused condition is not tried again and keeps the fields AWS sent with it', async () => {
    answers.push(json(400, { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed', Item: { pk: { S: 'k' } } }));
    const error = (await dynamo().call('PutItem', { TableName: 't', Item: { pk: { S: 'k' } }, ConditionExpression: 'attribute_not_exists(pk)' }).catch((e: unknown) => e)) as AwsServiceError;
    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error.name).toBe('ConditionalCheckFailedException');
    expect(error.fields.Item).toEqual({ pk: { S: 'k' } });
    expect(seen).toHaveLength(1);
  });

  it('an error never carries what was sent: the code in an email is not in the error', async () => {
    answers.push(xml(400, '<ErrorResponse><Error><Code>MessageRejected</Code><Message>Email address is not verified.</Message></Error></ErrorResponse>'));
    const sender = createSesEmailSender(createSes({ endpoint: `${base}/ses`, credentials }), { from: 'no-reply@example.com' });
    const error = (await sender.sendEmail('a@example.com', { subject: 'Code 482913', text: 'Your code is 482913', html: '<p>482913</p>' }).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('MessageRejected');
    expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toContain('482913');
    expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toContain(SECRET);
  });

  it('nothing listening: two tries, then the connection error, at once', async () => {
    const started = Date.now();
    const client = createDynamoDb({ endpoint: 'http://127.0.0.1:9', credentials, ...fast });
    await expect(client.call('GetItem', { TableName: 't', Key: { pk: { S: 'k' } } })).rejects.toMatchObject({ name: 'ECONNREFUSED' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('a server that never answers: a TimeoutError after the request timeout, tried twice', async () => {
    answers.push(never, never);
    const started = Date.now();
    await expect(dynamo(fast).call('GetItem', { TableName: 't', Key: { pk: { S: 'k' } } })).rejects.toMatchObject({ name: 'TimeoutError', message: expect.stringContaining('No answer from') });
    const elapsed = Date.now() - started;
    expect(seen).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(580);
    expect(elapsed).toBeLessThan(1_500);
  });

  it("the invocation's deadline ends a call that the timeouts would let run on", async () => {
    answers.push(never, never);
    const started = Date.now();
    const slowTimeouts = { timeouts: { connectionTimeoutMs: 10_000, requestTimeoutMs: 10_000 } };
    const call = runWithDeadline({ getRemainingTimeInMillis: () => 700 }, Date.now(), () => dynamo(slowTimeouts).call('GetItem', { TableName: 't', Key: { pk: { S: 'k' } } }));
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(seen).toHaveLength(1);
  });

  it('a connection closed part-way through the answer is an error, tried again', async () => {
    answers.push((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': '100' });
      response.write('{"Item":');
      setTimeout(() => response.socket?.destroy(), 20);
    }, json(200, { Item: { pk: { S: 'k' } } }));
    expect(await dynamo().call('GetItem', { TableName: 't', Key: { pk: { S: 'k' } } })).toEqual({ Item: { pk: { S: 'k' } } });
    expect(seen).toHaveLength(2);
  });

  it('an answer far larger than any AWS answer is cut off with an error, not read into memory', async () => {
    answers.push((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i < 5; i += 1) response.write(chunk);
      response.end('{}');
    });
    await expect(dynamo().call('GetItem', { TableName: 't', Key: { pk: { S: 'k' } } })).rejects.toMatchObject({ name: 'NetworkError', message: expect.stringContaining('is larger than 4194304 bytes') });
    expect(seen).toHaveLength(1);
  });

  it('a success that is not an AWS answer fails closed, naming the service', async () => {
    answers.push((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>proxy login</html>'));
    await expect(dynamo().call('GetItem', { TableName: 't', Key: { pk: { S: 'k' } } })).rejects.toMatchObject({ name: 'AwsProtocolError', message: 'dynamodb answered 200 with a body that is not a JSON object.' });
  });
});
