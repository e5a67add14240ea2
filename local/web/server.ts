import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { CognitoEndpoint } from '../cognito/server.js';
import type { LocalAws } from '../standins.js';

/**
 * The sign-in page of `npm run demo -- --web`: index.html, app.js (Amplify, bundled for the browser
 * once at start), the endpoint's settings as /config.json, and a viewer for the captured SMS at /sms
 * (aws-ses-v2-local has its own for email).
 */

export interface WebDemo {
  url: string;
  close(): Promise<void>;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function bundlePageScript(): Promise<string> {
  const result = await build({
    entryPoints: [join(__dirname, 'app.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

export async function startWebDemo(input: { aws: LocalAws; cognito: CognitoEndpoint; port?: number }): Promise<WebDemo> {
  const [html, script] = await Promise.all([readFile(join(__dirname, 'index.html'), 'utf8'), bundlePageScript()]);
  const config = JSON.stringify({ userPoolId: input.cognito.userPoolId, clientId: input.cognito.clientId, endpoint: input.cognito.endpoint, mailViewer: `${input.aws.ses.endpoint}/` });
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://local').pathname;
    const reply = (type: string, body: string) => {
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (path === '/' || path === '/index.html') return reply('text/html; charset=utf-8', html);
    if (path === '/app.js') return reply('text/javascript; charset=utf-8', script);
    if (path === '/config.json') return reply('application/json', config);
    if (path === '/sms.json') return reply('application/json', JSON.stringify(input.aws.sms.messages));
    if (path === '/sms') {
      const rows = [...input.aws.sms.messages].reverse().map((sms) => `<tr><td>${escapeHtml(sms.phoneNumber)}</td><td>${escapeHtml(sms.message)}</td></tr>`);
      return reply(
        'text/html; charset=utf-8',
        `<!doctype html><meta charset="utf-8"><title>Captured SMS</title><meta http-equiv="refresh" content="3"><h1>Captured SMS (newest first)</h1>` +
          `<table border="1" cellpadding="6"><tr><th>To</th><th>Message</th></tr>${rows.join('') || '<tr><td colspan="2">none yet</td></tr>'}</table>`,
      );
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('Not found');
  });
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(input.port ?? 0, '127.0.0.1', () => resolve(server.address() as AddressInfo));
  });
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
