import { describe, expect, it } from 'vitest';
import { createSigner, credentialsFromEnv } from '../../../shared/aws/signer.js';

// AWS's Signature Version 4 test suite (docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html).
const SUITE_CREDENTIALS = () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' });
const SUITE_DATE = new Date('2015-08-30T12:36:00Z');

describe('signing a request (SigV4)', () => {
  it("signs AWS's post-x-www-form-urlencoded vector exactly as AWS publishes it", async () => {
    const headers = await createSigner('service', 'us-east-1', SUITE_CREDENTIALS).sign(
      {
        method: 'POST',
        protocol: 'https:',
        hostname: 'example.amazonaws.com',
        path: '/',
        headers: { host: 'example.amazonaws.com', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Param1=value1',
      },
      SUITE_DATE,
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
    );
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
  });

  it('sends and signs the session token of temporary credentials', async () => {
    const headers = await createSigner('dynamodb', 'eu-west-1', () => ({ ...SUITE_CREDENTIALS(), sessionToken: 'session-token-value' })).sign(
      { method: 'POST', protocol: 'https:', hostname: 'dynamodb.eu-west-1.amazonaws.com', path: '/', headers: { host: 'dynamodb.eu-west-1.amazonaws.com' }, body: '{}' },
      SUITE_DATE,
    );
    expect(headers['x-amz-security-token']).toBe('session-token-value');
    expect(headers.authorization).toContain('/20150830/eu-west-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token,');
  });

  it('reads the credentials at every call, so renewed keys are used', async () => {
    const env: Record<string, string | undefined> = { AWS_ACCESS_KEY_ID: 'FIRST', AWS_SECRET_ACCESS_KEY: 'secret-1' };
    const signer = createSigner('sns', 'us-east-1', credentialsFromEnv(env));
    const request = { method: 'POST', protocol: 'https:', hostname: 'sns.us-east-1.amazonaws.com', path: '/', headers: { host: 'sns.us-east-1.amazonaws.com' }, body: '' };
    expect((await signer.sign(request)).authorization).toContain('Credential=FIRST/');
    env.AWS_ACCESS_KEY_ID = 'SECOND';
    expect((await signer.sign(request)).authorization).toContain('Credential=SECOND/');
  });

  it('without credentials in the environment, says which variables are missing and never echoes a value', () => {
    const source = credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEONLYKEYID' });
    expect(source).toThrow('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set');
    expect(source).not.toThrow(/AKIAEXAMPLEONLYKEYID/);
  });
});
