import { describe, expect, it } from 'vitest';
import { AwsProtocolError, AwsServiceError, isRetryable } from '../../../shared/aws/client.js';
import { errorCode, readJsonAnswer } from '../../../shared/aws/jsonProtocol.js';
import { formEncode, queryParameters, readQueryAnswer, xmlElementText } from '../../../shared/aws/queryProtocol.js';

const answer = (statusCode: number, body: string, headers: Record<string, string> = {}) => ({ statusCode, body, headers });

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('the JSON protocol (DynamoDB, Cognito)', () => {
  it("names an error by AWS's code, without namespace or trailing URL", () => {
    expect(errorCode('com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException')).toBe('ConditionalCheckFailedException');
    expect(errorCode('UserNotFoundException:http://internal.amazon.com/coral/')).toBe('UserNotFoundException');
    expect(errorCode('ThrottlingException')).toBe('ThrottlingException');
  });

  it('turns an error answer into an AwsServiceError with its fields', () => {
    const error = caught(() =>
      readJsonAnswer(answer(400, JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed', Item: { pk: { S: 'x' } } }), { 'x-amzn-requestid': 'R1' }), 'dynamodb'),
    ) as AwsServiceError;
    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error.name).toBe('ConditionalCheckFailedException');
    expect(error.message).toBe('The conditional request failed');
    expect(error.$fault).toBe('client');
    expect(error.requestId).toBe('R1');
    expect(error.fields).toEqual({ Item: { pk: { S: 'x' } } });
  });

  it('prefers X-Amzn-ErrorType, reads Message, and names a bare 5xx', () => {
    expect((caught(() => readJsonAnswer(answer(400, '{"Message":"Bad"}', { 'x-amzn-errortype': 'InvalidParameterException:http://x/' }), 'cognito-idp')) as AwsServiceError).name).toBe('InvalidParameterException');
    const bare = caught(() => readJsonAnswer(answer(503, '<html>Service Unavailable</html>'), 'dynamodb')) as AwsServiceError;
    expect(bare.name).toBe('InternalServerError');
    expect(bare.$fault).toBe('server');
    expect(bare.message).toBe('dynamodb answered 503 (InternalServerError).');
  });

  it('refuses a success whose body is not a JSON object', () => {
    expect(caught(() => readJsonAnswer(answer(200, 'not json'), 'dynamodb'))).toBeInstanceOf(AwsProtocolError);
    expect(readJsonAnswer(answer(200, ''), 'dynamodb')).toEqual({});
  });
});

describe('the Query protocol (SES, SNS)', () => {
  it('flattens structures with dots, lists as .member.N and named maps as .entry.N.Name/Value', () => {
    expect(
      queryParameters(
        {
          Source: 'a@example.com',
          Destination: { ToAddresses: ['b@example.com', 'c@example.com'] },
          Skipped: undefined,
          MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
        },
        new Set(['MessageAttributes']),
      ),
    ).toEqual({
      Source: 'a@example.com',
      'Destination.ToAddresses.member.1': 'b@example.com',
      'Destination.ToAddresses.member.2': 'c@example.com',
      'MessageAttributes.entry.1.Name': 'AWS.SNS.SMS.SMSType',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'Transactional',
    });
  });

  it("percent-encodes as SigV4 expects: space as %20, RFC 3986's reserved characters too", () => {
    expect(formEncode({ 'Message.Subject.Data': "Your code: 1+2 = 3 & it's (ok)*~" })).toBe('Message.Subject.Data=Your%20code%3A%201%2B2%20%3D%203%20%26%20it%27s%20%28ok%29%2A~');
    expect(formEncode({ Data: 'Grüße ✓' })).toBe('Data=Gr%C3%BC%C3%9Fe%20%E2%9C%93');
  });

  it('reads elements of an XML answer, entities and CDATA decoded', () => {
    const xml = '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>a&amp;b &#x41;&#66;</MessageId></PublishResult><x:Note><![CDATA[<raw> &amp;]]></x:Note></PublishResponse>';
    expect(xmlElementText(xml, 'MessageId')).toBe('a&b AB');
    expect(xmlElementText(xml, 'Note')).toBe('<raw> &amp;');
    expect(xmlElementText(xml, 'Absent')).toBeUndefined();
    expect(readQueryAnswer(answer(200, xml), 'sns', 'Publish', ['MessageId'])).toEqual({ MessageId: 'a&b AB' });
  });

  it('turns an ErrorResponse into an AwsServiceError named by its Code', () => {
    const xml = '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>MessageRejected</Code><Message>Email address is not verified.</Message></Error><RequestId>r-1</RequestId></ErrorResponse>';
    const error = caught(() => readQueryAnswer(answer(400, xml), 'email', 'SendEmail', ['MessageId'])) as AwsServiceError;
    expect(error.name).toBe('MessageRejected');
    expect(error.message).toBe('Email address is not verified.');
    expect(error.requestId).toBe('r-1');
  });

  it('refuses a success that is not the expected response', () => {
    expect(caught(() => readQueryAnswer(answer(200, '<html>captive portal</html>'), 'email', 'SendEmail', ['MessageId']))).toBeInstanceOf(AwsProtocolError);
  });
});

describe('which failures are tried again', () => {
  it('throttling, 5xx and 429 are; a refused condition or a bad request is not', () => {
    expect(isRetryable(new AwsServiceError('ThrottlingException', 'slow down', 400, undefined))).toBe(true);
    expect(isRetryable(new AwsServiceError('ProvisionedThroughputExceededException', 'x', 400, undefined))).toBe(true);
    expect(isRetryable(new AwsServiceError('Throttling', 'Maximum sending rate exceeded.', 400, undefined))).toBe(true);
    expect(isRetryable(new AwsServiceError('InternalServerError', 'x', 500, undefined))).toBe(true);
    expect(isRetryable(new AwsServiceError('HttpError429', 'x', 429, undefined))).toBe(true);
    expect(isRetryable(new AwsServiceError('ConditionalCheckFailedException', 'x', 400, undefined))).toBe(false);
    expect(isRetryable(new AwsServiceError('ValidationException', 'x', 400, undefined))).toBe(false);
    expect(isRetryable(new AwsProtocolError('x'))).toBe(false);
  });
});
