import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:https';
import type { Logger } from '@aws-lambda-powertools/logger';
import { isObject } from '../../json.js';
import type { DirectoryVerdict, LegacyDirectory } from '../directory.js';
import { LegacyUserError } from '../legacyUser.js';
import { DirectoryUnavailableError, toLegacyUser, withinDeadline } from './common.js';
import type { HttpSettings } from './settings.js';

/**
 * A legacy login API over HTTPS (contract in the README, "Legacy login API"): POST {username, password}
 * to check a password, POST {username} to look a user up for forgot-password. Authenticated by a bearer
 * token or an HMAC-SHA256 signature of "<timestamp>.<body>". Anything but a well-formed 200 fails closed.
 */

const MAX_ANSWER_BYTES = 64 * 1024;

export function signatureHeaders(secret: string, body: string, now: number): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  return { 'X-Signature-Timestamp': timestamp, 'X-Signature': `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}` };
}

function post(settings: HttpSettings, agent: Agent, body: string, signal: AbortSignal): Promise<{ status: number; text: string }> {
  const auth = settings.auth === 'bearer' ? { Authorization: `Bearer ${settings.secret}` } : signatureHeaders(settings.secret, body, Date.now());
  return new Promise((resolve, reject) => {
    const req = request(
      settings.url,
      {
        method: 'POST',
        agent,
        signal,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': Buffer.byteLength(body), ...auth },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) req.destroy(new DirectoryUnavailableError(`login API answer is over ${MAX_ANSWER_BYTES} bytes`));
          else chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', (error) => {
      const code = 'code' in error ? String(error.code) : undefined;
      const failure = new DirectoryUnavailableError(`login API request failed: ${error.name}${code === undefined ? '' : ` ${code}`}`);
      // A kept-alive connection the server closed while the function was frozen: worth one new connection.
      if (req.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE')) Object.assign(failure, { staleConnection: true });
      reject(failure);
    });
    req.end(body);
  });
}

type Answer = { result: 'accepted' | 'found'; user: Record<string, unknown> } | { result: 'refused' | 'unknown' | 'disabled' };

/** Reads the API's answer; names what is wrong, never quotes it. */
export function parseAnswer(status: number, text: string): Answer {
  if (status !== 200) throw new DirectoryUnavailableError(`login API answered HTTP ${status}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DirectoryUnavailableError('login API answer is not JSON');
  }
  if (!isObject(json)) throw new DirectoryUnavailableError('login API answer is not a JSON object');
  const result = json.result;
  if (result === 'accepted' || result === 'found') {
    if (!isObject(json.user)) throw new DirectoryUnavailableError('login API answer has no "user" object');
    return { result, user: json.user };
  }
  if (result === 'refused' || result === 'unknown' || result === 'disabled') return { result };
  throw new DirectoryUnavailableError('login API answer has no known "result"');
}

function optionalText(user: Record<string, unknown>, field: string): string | undefined {
  const value = user[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw new LegacyUserError(`user.${field} must be a string`);
  return value;
}

function attributesOf(user: Record<string, unknown>): Record<string, string> {
  const raw = user.attributes;
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw new LegacyUserError('user.attributes must be an object');
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new LegacyUserError(`user.attributes.${name} must be a string, number or boolean`);
    attributes[name] = String(value);
  }
  return attributes;
}

export function createHttpDirectory(settings: HttpSettings, logger: Logger): LegacyDirectory {
  // Kept across warm invocations: one TLS handshake per container, not per sign-in.
  const agent = new Agent({ keepAlive: true, maxSockets: 4, ca: settings.ca });

  async function ask(body: Record<string, string>): Promise<Answer> {
    const text = JSON.stringify(body);
    const { status, text: answer } = await withinDeadline('login API', settings.timeoutMs, (signal) =>
      post(settings, agent, text, signal).catch((error: unknown) => {
        if ((error as { staleConnection?: boolean }).staleConnection === true) return post(settings, agent, text, signal);
        throw error;
      }),
    );
    return parseAnswer(status, answer);
  }

  function userOf(userName: string, user: Record<string, unknown>, disabled: boolean) {
    return toLegacyUser(
      {
        username: userName,
        legacyId: optionalText(user, 'id'),
        email: optionalText(user, 'email'),
        emailVerified: user.emailVerified === true,
        phoneNumber: optionalText(user, 'phoneNumber'),
        phoneNumberVerified: user.phoneNumberVerified === true,
        attributes: attributesOf(user),
        disabled: disabled || user.disabled === true,
      },
      settings.legacyIdAttribute,
    );
  }

  return {
    async findUser(userName) {
      const answer = await ask({ username: userName });
      if (answer.result === 'found' || answer.result === 'accepted') return userOf(userName, answer.user, false);
      if (answer.result === 'disabled') return userOf(userName, {}, true);
      return undefined;
    },

    async authenticate(userName, password): Promise<DirectoryVerdict> {
      if (password === '') return { outcome: 'wrong-password' };
      const answer = await ask({ username: userName, password });
      if (answer.result === 'accepted' || answer.result === 'found') {
        const user = userOf(userName, answer.user, false);
        if (user.disabled) return { outcome: 'disabled' };
        return { outcome: 'accepted', user };
      }
      if (answer.result !== 'refused') logger.info('Login API refused the user', { result: answer.result });
      return { outcome: answer.result === 'unknown' ? 'unknown-user' : answer.result === 'disabled' ? 'disabled' : 'wrong-password' };
    },
  };
}
