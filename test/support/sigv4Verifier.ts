import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * An independent check of a SigV4-signed request, written from AWS's specification (not the signer the
 * suite uses), as a server would do it: rebuild the canonical request from what arrived, derive the key,
 * compare. Returns undefined when the signature holds, else what is wrong.
 */
export function sigv4Problem(request: { method: string; path: string; headers: IncomingHttpHeaders; body: string }, secretAccessKey: string, service: string): string | undefined {
  const authorization = String(request.headers.authorization ?? '');
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(authorization);
  if (!match) return `malformed Authorization: ${authorization.slice(0, 80)}`;
  const [, , day, region, signedService, signedHeaderList, signature] = match as unknown as [string, string, string, string, string, string, string];
  if (signedService !== service) return `signed for service ${signedService}, expected ${service}`;
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  if (!amzDate.startsWith(day)) return 'x-amz-date does not match the credential scope';
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) return 'host and x-amz-date must be signed';
  if (request.headers['x-amz-security-token'] !== undefined && !signedHeaders.includes('x-amz-security-token')) return 'the session token is not signed';
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${String(request.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = [request.method, request.path, '', canonicalHeaders, signedHeaderList, createHash('sha256').update(request.body).digest('hex')].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  let key: Buffer = createHmac('sha256', `AWS4${secretAccessKey}`).update(day).digest();
  for (const part of [region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
  return expected === signature ? undefined : 'signature does not match';
}
