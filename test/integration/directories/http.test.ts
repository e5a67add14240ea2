import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import type { Env } from '../../../shared/env.js';
import { loadDirectorySettings } from '../../../shared/migration/directories/settings.js';
import { type HttpsTestServer, makeCertificates, startHttpsServer, type TestCertificates } from '../../support/https.js';
import { captureAllLogs, directoryFrom, entries, expectNoSecretIn, type Logs, migrator, outcomes, REFUSED, UNAVAILABLE } from './support.js';

const RIGHT = 'Api-Legacy-Pw-3Kd!';
const WRONG = 'Api-Wrong-Pw-7Vb?';
const API_SECRET = 'Api-Shared-Secret-5Pq-long-enough';
const SECRETS = [RIGHT, WRONG, API_SECRET];

let certificates: TestCertificates;
let api: HttpsTestServer;
let logs: Logs;
const requestsOnSocket = new WeakMap<object, number>();
const received: { auth: 'bearer' | 'hmac' | 'none'; body: Record<string, unknown> }[] = [];

function authOf(request: IncomingMessage, body: string): 'bearer' | 'hmac' | 'none' {
  if (request.headers.authorization === `Bearer ${API_SECRET}`) return 'bearer';
  const timestamp = String(request.headers['x-signature-timestamp'] ?? '');
  const signature = Buffer.from(String(request.headers['x-signature'] ?? ''));
  const expected = Buffer.from(`sha256=${createHmac('sha256', API_SECRET).update(`${timestamp}.${body}`).digest('hex')}`);
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
  return fresh && signature.length === expected.length && timingSafeEqual(signature, expected) ? 'hmac' : 'none';
}

/** The legacy login API as the README documents it; some user names make it misbehave. */
async function legacyApi(request: IncomingMessage, text: string, response: ServerResponse): Promise<void> {
  const auth = authOf(request, text);
  const body = JSON.parse(text) as { username: string; password?: string };
  received.push({ auth, body });
  const send = (status: number, answer: unknown) => {
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(typeof answer === 'string' ? answer : JSON.stringify(answer));
  };
  if (auth === 'none') return send(401, { error: 'unauthorised' });
  const onSocket = (requestsOnSocket.get(request.socket) ?? 0) + 1;
  requestsOnSocket.set(request.socket, onSocket);
  // As a server does with a connection it has already given up on: reset it, no answer.
  if (body.username === 'hangup@example.com' && onSocket > 1) return void request.socket.destroy();
  const jo = { id: 'u-1001', email: 'jo@example.com', emailVerified: true, phoneNumber: '+15555550100', phoneNumberVerified: true, attributes: { given_name: 'Jo' } };
  switch (body.username) {
    case 'jo@example.com':
      if (body.password === undefined) return send(200, { result: 'found', user: jo });
      return send(200, body.password === RIGHT ? { result: 'accepted', user: jo } : { result: 'refused' });
    case 'hangup@example.com':
      return send(200, { result: 'accepted', user: jo });
    case 'off@example.com':
      return send(200, { result: 'disabled' });
    case 'slow@example.com':
      await new Promise((r) => setTimeout(r, 3_000));
      return send(200, { result: 'accepted', user: jo });
    case 'fail@example.com':
      return send(503, { error: 'down for maintenance' });
    case 'malformed@example.com':
      return send(200, '<html>not json</html>');
    case 'noresult@example.com':
      return send(200, { ok: true });
    case 'nouser@example.com':
      return send(200, { result: 'accepted' });
    case 'badattr@example.com':
      return send(200, { result: 'accepted', user: { attributes: { given_name: ['a', 'list'] } } });
    default:
      return send(200, { result: 'unknown' });
  }
}

function env(overrides: Env = {}): Env {
  return {
    LEGACY_DIRECTORY: 'http',
    LEGACY_HTTP_URL: api.url,
    LEGACY_HTTP_AUTH: 'bearer',
    LEGACY_DIRECTORY_SECRET: API_SECRET,
    LEGACY_DIRECTORY_CA_FILE: certificates.caFile,
    LEGACY_DIRECTORY_TIMEOUT_MS: '800',
    ...overrides,
  };
}
const http = async (overrides: Env = {}) => migrator(await directoryFrom(env(overrides), logs), logs);

describe('legacy login API directory against a local HTTPS server', () => {
  beforeAll(async () => {
    certificates = makeCertificates();
    api = await startHttpsServer(certificates, legacyApi);
  });
  afterAll(async () => {
    await api?.close();
    certificates?.remove();
  });
  beforeEach(() => {
    logs = captureAllLogs();
    received.length = 0;
  });
  afterEach(() => {
    logs.restore();
    expectNoSecretIn(logs, SECRETS);
  });

  it.each(['bearer', 'hmac'] as const)('migrates an accepted user, authenticated by %s, with the API id as legacy id', async (auth) => {
    expect(await (await http({ LEGACY_HTTP_AUTH: auth })).signIn('jo@example.com', RIGHT)).toEqual({
      ok: true,
      finalUserStatus: 'CONFIRMED',
      attributes: { given_name: 'Jo', 'custom:legacy_id': 'u-1001', email: 'jo@example.com', email_verified: 'true', phone_number: '+15555550100', phone_number_verified: 'true' },
    });
    expect(received).toEqual([{ auth, body: { username: 'jo@example.com', password: RIGHT } }]);
  });

  it('gives the one refusal for refused, unknown and disabled answers', async () => {
    const m = await http();
    expect(await m.signIn('jo@example.com', WRONG)).toEqual(REFUSED);
    expect(await m.signIn('nobody@example.com', RIGHT)).toEqual(REFUSED);
    expect(await m.signIn('off@example.com', RIGHT)).toEqual(REFUSED);
    expect(outcomes(logs)).toEqual(['wrong-password', 'unknown-user', 'disabled']);
  });

  it('never sends an empty password', async () => {
    expect(await (await http()).signIn('jo@example.com', '')).toEqual(REFUSED);
    expect(received).toEqual([]);
  });

  it('serves forgot-password by a look-up without a password', async () => {
    expect(await (await http()).forgotPassword('jo@example.com')).toMatchObject({ ok: true, finalUserStatus: undefined, attributes: { email_verified: 'true' } });
    expect(received).toEqual([{ auth: 'bearer', body: { username: 'jo@example.com' } }]);
  });

  it('keeps one TLS connection across warm invocations', async () => {
    const m = await http();
    const before = api.connections();
    for (let i = 0; i < 5; i++) expect(await m.signIn('jo@example.com', RIGHT)).toMatchObject({ ok: true });
    expect(api.connections() - before).toBe(1);
  });

  it('tries once more on a new connection when the kept-alive one is reset under the request', async () => {
    const m = await http();
    expect(await m.signIn('jo@example.com', RIGHT)).toMatchObject({ ok: true });
    const before = api.connections();
    expect(await m.signIn('hangup@example.com', RIGHT)).toMatchObject({ ok: true });
    expect(api.connections() - before).toBe(1);
    expect(received.filter((r) => r.body.username === 'hangup@example.com')).toHaveLength(2);
  });

  it.each([
    ['a slow answer', 'slow@example.com', /no answer within/],
    ['HTTP 503', 'fail@example.com', /HTTP 503/],
    ['a body that is not JSON', 'malformed@example.com', /not JSON/],
    ['JSON without a known result', 'noresult@example.com', /no known "result"/],
    ['"accepted" without a user', 'nouser@example.com', /no "user" object/],
  ])('fails closed on %s, inside the timeout, with a clear log line', async (_what, userName, reason) => {
    const started = Date.now();
    expect(await (await http()).signIn(userName, RIGHT)).toEqual(UNAVAILABLE);
    expect(Date.now() - started).toBeLessThan(1_500);
    const line = entries(logs.lines).find((e) => e.message === 'Legacy directory look-up failed');
    expect((line?.error as { message?: string } | undefined)?.message).toMatch(reason);
  });

  it('refuses a profile Cognito could not take, as an unusable entry', async () => {
    expect(await (await http()).signIn('badattr@example.com', RIGHT)).toEqual(REFUSED);
    expect(outcomes(logs)).toEqual(['unusable-entry']);
  });

  it('fails closed when the API rejects the secret, or its certificate is not from the configured CAs', async () => {
    expect(await (await http({ LEGACY_DIRECTORY_SECRET: 'not-the-secret' })).signIn('jo@example.com', RIGHT)).toEqual(UNAVAILABLE);
    expect(await (await http({ LEGACY_DIRECTORY_CA_FILE: '' })).signIn('jo@example.com', RIGHT)).toEqual(UNAVAILABLE);
    expect(logs.text()).not.toContain('not-the-secret');
  });

  it('refuses plain http:// and credentials in the URL at cold start', () => {
    expect(() => loadDirectorySettings(env({ LEGACY_HTTP_URL: 'http://127.0.0.1/login' }))).toThrow(ConfigError);
    expect(() => loadDirectorySettings(env({ LEGACY_HTTP_URL: 'https://user:pw@127.0.0.1/login' }))).toThrow(/must not carry credentials/);
    expect(() => loadDirectorySettings(env({ LEGACY_DIRECTORY_SECRET: '' }))).toThrow(/LEGACY_DIRECTORY_SECRET is not set/);
  });
});
