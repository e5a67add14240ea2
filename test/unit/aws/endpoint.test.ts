import { describe, expect, it } from 'vitest';
import { resolveEndpoint } from '../../../shared/aws/endpoint.js';

const dynamodb = { envId: 'DYNAMODB', hostPrefix: 'dynamodb' };
const ses = { envId: 'SES', hostPrefix: 'email' };
const cognito = { envId: 'COGNITO_IDENTITY_PROVIDER', hostPrefix: 'cognito-idp' };

const host = (spec: typeof dynamodb, env: Record<string, string>, explicit = {}) => resolveEndpoint(spec, env, explicit).url.href;

describe('where an AWS service is reached', () => {
  it('is the regional endpoint of the function region, in its partition', () => {
    expect(host(dynamodb, { AWS_REGION: 'eu-west-1' })).toBe('https://dynamodb.eu-west-1.amazonaws.com/');
    expect(host(ses, { AWS_REGION: 'us-east-1' })).toBe('https://email.us-east-1.amazonaws.com/');
    expect(host(cognito, { AWS_REGION: 'us-gov-west-1' })).toBe('https://cognito-idp.us-gov-west-1.amazonaws.com/');
    expect(host(dynamodb, { AWS_REGION: 'cn-north-1' })).toBe('https://dynamodb.cn-north-1.amazonaws.com.cn/');
  });

  it('is the FIPS endpoint with AWS_USE_FIPS_ENDPOINT=true', () => {
    expect(host(dynamodb, { AWS_REGION: 'us-east-2', AWS_USE_FIPS_ENDPOINT: 'true' })).toBe('https://dynamodb-fips.us-east-2.amazonaws.com/');
  });

  it('follows AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, as the AWS SDKs do', () => {
    const env = { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ENDPOINT_URL_DYNAMODB: 'http://localhost:8000' };
    expect(host(dynamodb, env)).toBe('http://localhost:8000/');
    expect(host(ses, env)).toBe('http://127.0.0.1:4566/');
    expect(host(dynamodb, { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toBe('https://dynamodb.us-east-1.amazonaws.com/');
  });

  it('takes an explicit endpoint and region over the environment', () => {
    const resolved = resolveEndpoint(cognito, { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://x:1' }, { endpoint: 'http://127.0.0.1:9229', region: 'eu-central-1' });
    expect(resolved.url.href).toBe('http://127.0.0.1:9229/');
    expect(resolved.region).toBe('eu-central-1');
    expect(host(cognito, { AWS_REGION: 'us-east-1' }, { region: 'ap-southeast-2' })).toBe('https://cognito-idp.ap-southeast-2.amazonaws.com/');
    // A stand-in's pool id may name no real region ("local_…"): with an endpoint, the region only scopes the signature.
    expect(resolveEndpoint(cognito, {}, { endpoint: 'http://127.0.0.1:9229', region: 'local' }).region).toBe('local');
  });

  it('refuses what it cannot serve with a message naming the setting', () => {
    expect(() => resolveEndpoint(dynamodb, {})).toThrow('AWS_REGION is not set');
    expect(() => resolveEndpoint(dynamodb, { AWS_REGION: 'not a region' })).toThrow('AWS_REGION is not an AWS region name: "not a region"');
    expect(() => resolveEndpoint(cognito, { AWS_REGION: 'us-east-1' }, { region: 'local' })).toThrow('The cognito-idp region is not an AWS region name: "local"');
    expect(() => resolveEndpoint(dynamodb, { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_DYNAMODB: 'localhost:8000' })).toThrow('AWS_ENDPOINT_URL_DYNAMODB must be an http(s) URL');
    expect(() => resolveEndpoint(dynamodb, { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_DYNAMODB: 'not a url' })).toThrow('AWS_ENDPOINT_URL_DYNAMODB is not a URL');
    expect(() => resolveEndpoint(dynamodb, { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'https://user:pw@example.com' })).toThrow('without credentials');
    expect(() => resolveEndpoint(dynamodb, { AWS_REGION: 'us-east-1', AWS_USE_DUALSTACK_ENDPOINT: 'true' })).toThrow('AWS_USE_DUALSTACK_ENDPOINT=true is not supported');
    expect(() => resolveEndpoint(dynamodb, { AWS_REGION: 'us-east-1', AWS_USE_FIPS_ENDPOINT: 'yes' })).toThrow('AWS_USE_FIPS_ENDPOINT must be true or false');
  });
});
