import { describe, expect, it } from 'vitest';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { makeCreateAuthChallengeHandler } from '../../functions/createAuthChallenge/handler.js';
import { makeVerifyAuthChallengeHandler } from '../../functions/verifyAuthChallenge/handler.js';
import { loadCreateConfig, loadVerifyConfig } from '../../shared/auth/config.js';
import { createDynamoDb, createSes, createSns } from '../../shared/aws/services.js';
import { DEFAULT_MAX_ATTEMPTS } from '../../shared/aws/client.js';
import { createSesEmailSender } from '../../shared/delivery/ses.js';
import { createSnsSmsSender } from '../../shared/delivery/sns.js';
import { createDynamoCodeStore } from '../../shared/store/codeStore.js';
import { sendLimiterFor } from '../../shared/store/sendLimits.js';
import { capturingLogger } from '../support/logs.js';
import { messageCount, TEST_SECRET, testClock, useLocalSuite } from '../support/suite.js';
import { sampleEvent } from '../support/events.js';
const createEmailEvent = sampleEvent('createAuthChallenge/email.json');
const createSmsEvent = sampleEvent('createAuthChallenge/sms.json');
const verifyEvent = sampleEvent('verifyAuthChallenge/answer.json');

const suite = useLocalSuite();

const env = { OTP_TABLE: 'otp-test', OTP_SECRET: TEST_SECRET, EMAIL_FROM: 'no-reply@example.com', SMS_ALLOWED_COUNTRIES: 'US' };
/** An address where nothing listens: connection refused at once. */
const DEAD_ENDPOINT = 'http://127.0.0.1:9';

function createHandler(endpoints: { dynamo: string; ses: string; sns: string }) {
  const logs = capturingLogger();
  const config = loadCreateConfig(env);
  const handler = makeCreateAuthChallengeHandler({
    config,
    store: createDynamoCodeStore(createDynamoDb({ endpoint: endpoints.dynamo }), config),
    limiter: sendLimiterFor(createDynamoDb({ endpoint: endpoints.dynamo }), config),
    email: createSesEmailSender(createSes({ endpoint: endpoints.ses }), { from: env.EMAIL_FROM }),
    sms: createSnsSmsSender(createSns({ endpoint: endpoints.sns }), {}),
    logger: logs.logger,
    now: testClock().now,
  });
  return { handler, logs };
}

function event<T>(sample: T, userName: string): T {
  return { ...structuredClone(sample), userName };
}

async function storedItem(userName: string) {
  const client = new DynamoDBClient({ endpoint: suite.aws.dynamo.endpoint });
  return (await client.send(new GetItemCommand({ TableName: 'otp-test', Key: { pk: { S: `USER#${userName}` } }, ConsistentRead: true }))).Item;
}

describe('when a dependency is down', () => {
  it('DynamoDB unavailable: Create sends nothing and fails with a generic message and a clear log line', async () => {
    const { handler, logs } = createHandler({ dynamo: DEAD_ENDPOINT, ses: suite.aws.ses.endpoint, sns: suite.aws.sms.endpoint });
    await expect(handler(event(createEmailEvent, 'down-1') as never)).rejects.toThrow('Sign-in is temporarily unavailable. Please try again later.');
    expect(await messageCount(suite.aws)).toBe(0);
    expect(logs.text()).toContain('Reading code state failed');
  });

  it('DynamoDB unavailable: Verify accepts nothing', async () => {
    const logs = capturingLogger();
    const config = loadVerifyConfig(env);
    const handler = makeVerifyAuthChallengeHandler({
      config,
      store: createDynamoCodeStore(createDynamoDb({ endpoint: DEAD_ENDPOINT }), config),
      logger: logs.logger,
      now: Date.now,
    });
    await expect(handler(structuredClone(verifyEvent) as never)).rejects.toThrow('Sign-in is temporarily unavailable');
    expect(logs.text()).toContain('Taking a guess failed');
  });

  it('SES unavailable: the stored code is withdrawn, nothing counts as sent, and the next round can send again', async () => {
    const { handler, logs } = createHandler({ dynamo: suite.aws.dynamo.endpoint, ses: DEAD_ENDPOINT, sns: suite.aws.sms.endpoint });
    await expect(handler(event(createEmailEvent, 'ses-down') as never)).rejects.toThrow('Sign-in is temporarily unavailable');
    expect(logs.text()).toContain('Sending the code failed; code withdrawn');
    expect((await storedItem('ses-down'))?.used?.BOOL).toBe(true);

    const healthy = createHandler({ dynamo: suite.aws.dynamo.endpoint, ses: suite.aws.ses.endpoint, sns: suite.aws.sms.endpoint });
    const result = await healthy.handler(event(createEmailEvent, 'ses-down') as never);
    expect(result.response.publicChallengeParameters.channel).toBe('EMAIL');
    expect(await messageCount(suite.aws)).toBe(1);
  });

  it('SNS throttling: the SDK retries, then the round fails clearly and the code is withdrawn', async () => {
    const { handler, logs } = createHandler({ dynamo: suite.aws.dynamo.endpoint, ses: suite.aws.ses.endpoint, sns: suite.aws.sms.endpoint });
    suite.aws.sms.throttleNext(DEFAULT_MAX_ATTEMPTS);
    await expect(handler(event(createSmsEvent, 'sns-throttled') as never)).rejects.toThrow('Sign-in is temporarily unavailable');
    expect(logs.text()).toContain('"name":"Throttling"');
    expect((await storedItem('sns-throttled'))?.used?.BOOL).toBe(true);
    expect(suite.aws.sms.messages).toHaveLength(0);
  });

  it('SNS throttled once: the SDK’s retry delivers the one message', async () => {
    const { handler } = createHandler({ dynamo: suite.aws.dynamo.endpoint, ses: suite.aws.ses.endpoint, sns: suite.aws.sms.endpoint });
    suite.aws.sms.throttleNext(1);
    await handler(event(createSmsEvent, 'sns-throttled-once') as never);
    expect(suite.aws.sms.messages).toHaveLength(1);
  });
});
