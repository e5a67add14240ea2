import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/**
 * One HTTP exchange with an AWS endpoint over kept-alive connections, bounded in time: connecting may
 * take `connectionTimeoutMs`, the whole answer `requestTimeoutMs` after that, and an abort signal (the
 * invocation's deadline) ends it whenever it fires. The answer is read whole: AWS's answers here are small.
 */

export interface HttpTimeouts {
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
}

export interface HttpExchange {
  url: URL;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  abortSignal?: AbortSignal | undefined;
}

export interface HttpAnswer {
  statusCode: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** The answers AWS sends here are a few KB; anything far larger is not an AWS answer. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** A failure before a whole answer arrived. `name` says which: TimeoutError, AbortError, or the socket's error code (ECONNRESET, …). */
export class HttpTransportError extends Error {
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

const agents = {
  'https:': new HttpsAgent({ keepAlive: true, maxSockets: 50 }),
  'http:': new HttpAgent({ keepAlive: true, maxSockets: 50 }),
};

export function sendHttp(exchange: HttpExchange, timeouts: HttpTimeouts): Promise<HttpAnswer> {
  const { url, abortSignal } = exchange;
  const where = `${url.protocol}//${url.host}`;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const timers: NodeJS.Timeout[] = [];
    let settled = false;
    const finish = (error: Error | undefined, answer?: HttpAnswer) => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      abortSignal?.removeEventListener('abort', onAbort);
      if (error !== undefined) {
        request.destroy();
        reject(error);
      } else resolve(answer as HttpAnswer);
    };
    const abandoned = () => new HttpTransportError('AbortError', `The request to ${where} was abandoned: the invocation's time is up.`);
    const onAbort = () => finish(abandoned());
    if (abortSignal?.aborted) {
      reject(abandoned());
      return;
    }

    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
    const request = send(url, { method: exchange.method, headers: { ...exchange.headers, 'content-length': String(Buffer.byteLength(exchange.body)) }, agent });
    abortSignal?.addEventListener('abort', onAbort, { once: true });

    const startAnswerTimer = () => {
      timers.push(setTimeout(() => finish(new HttpTransportError('TimeoutError', `No answer from ${where} within ${timeouts.requestTimeoutMs} ms.`)), timeouts.requestTimeoutMs));
    };
    request.on('socket', (socket) => {
      if (!socket.connecting) return startAnswerTimer();
      const connecting = setTimeout(() => finish(new HttpTransportError('TimeoutError', `Could not connect to ${where} within ${timeouts.connectionTimeoutMs} ms.`)), timeouts.connectionTimeoutMs);
      timers.push(connecting);
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
        clearTimeout(connecting);
        startAnswerTimer();
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      finish(new HttpTransportError(error.code ?? 'NetworkError', `The request to ${where} failed: ${error.code ?? error.message}.`));
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) finish(new HttpTransportError('NetworkError', `The answer from ${where} is larger than ${MAX_ANSWER_BYTES} bytes.`));
        else chunks.push(chunk);
      });
      response.on('error', (error: NodeJS.ErrnoException) => finish(new HttpTransportError(error.code ?? 'NetworkError', `Reading the answer from ${where} failed: ${error.code ?? error.message}.`)));
      response.on('end', () => finish(undefined, { statusCode: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      // A connection closed part-way through the answer ends without 'end' (or its error) on some Node versions.
      response.on('close', () => {
        if (!response.complete) finish(new HttpTransportError('ECONNRESET', `The connection to ${where} closed before the whole answer arrived.`));
      });
    });
    request.end(exchange.body);
  });
}
