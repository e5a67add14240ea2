import { AwsProtocolError, AwsServiceError, createAwsRequester, type AwsCallOptions, type AwsClientOptions, type AwsServiceSpec } from './client.js';
import type { HttpAnswer } from './http.js';

/**
 * AWS's Query protocol (SES v1, SNS): the input as form parameters (`Action`, `Version`, nested members
 * joined with dots, list items as `.member.N`, map entries as `.entry.N.Name` / `.entry.N.Value`); the
 * answer is XML. The suite reads only a few elements of it, so no XML parser is loaded.
 */

export interface QueryServiceSpec extends AwsServiceSpec {
  apiVersion: string;
}

export interface QueryServiceClient {
  readonly endpoint: URL;
  /** Sends `Action=<action>`; returns the text of the answer's elements named in `read` (absent ones left out). */
  call(action: string, parameters: Record<string, string>, read: readonly string[], options?: AwsCallOptions): Promise<Record<string, string>>;
}

type QueryValue = string | number | boolean | undefined | readonly QueryValue[] | { readonly [key: string]: QueryValue };

/**
 * Flattens an input into Query parameters. `maps` names the members that are maps (their entries become
 * `.entry.N.Name` / `.entry.N.Value`); every other object is a structure.
 */
export function queryParameters(input: Record<string, QueryValue>, maps: ReadonlySet<string> = new Set()): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (prefix: string, member: string, value: QueryValue) => {
    if (value === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((item: QueryValue, index: number) => walk(`${prefix}.member.${index + 1}`, member, item));
    } else if (typeof value === 'object') {
      const entries = Object.entries(value as Record<string, QueryValue>).filter(([, item]) => item !== undefined);
      if (maps.has(member)) {
        entries.forEach(([key, item], index) => {
          out[`${prefix}.entry.${index + 1}.Name`] = key;
          walk(`${prefix}.entry.${index + 1}.Value`, '', item);
        });
      } else {
        for (const [key, item] of entries) walk(`${prefix}.${key}`, key, item);
      }
    } else {
      out[prefix] = String(value);
    }
  };
  for (const [key, value] of Object.entries(input)) walk(key, key, value);
  return out;
}

/** RFC 3986 percent-encoding, as SigV4 and AWS's form parsers expect (unlike URLSearchParams' `+` for space). */
export function formEncode(parameters: Record<string, string>): string {
  const encode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return Object.entries(parameters)
    .map(([key, value]) => `${encode(key)}=${encode(value)}`)
    .join('&');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXmlText(text: string): string {
  const unwrapped = text.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_, data: string) => data.replace(/&/g, '&amp;'));
  return unwrapped.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return ENTITIES[entity] ?? whole;
  });
}

/** The text of the first element named `tag` (any namespace prefix), or undefined. */
export function xmlElementText(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[A-Za-z_][\\w.-]*:)?${tag}>`).exec(xml);
  return match?.[1] === undefined ? undefined : decodeXmlText(match[1]).trim();
}

export function readQueryAnswer(answer: HttpAnswer, service: string, action: string, read: readonly string[]): Record<string, string> {
  const requestId = xmlElementText(answer.body, 'RequestId') ?? [answer.headers['x-amzn-requestid']].flat()[0];
  if (answer.statusCode >= 200 && answer.statusCode < 300) {
    if (!new RegExp(`<${action}Response[\\s>]`).test(answer.body)) {
      throw new AwsProtocolError(`${service} answered ${answer.statusCode} without a ${action}Response.`);
    }
    const values: Record<string, string> = {};
    for (const tag of read) {
      const value = xmlElementText(answer.body, tag);
      if (value !== undefined) values[tag] = value;
    }
    return values;
  }
  const code = xmlElementText(answer.body, 'Code') ?? (answer.statusCode >= 500 ? 'InternalServerError' : `HttpError${answer.statusCode}`);
  const message = xmlElementText(answer.body, 'Message') ?? `${service} answered ${answer.statusCode} (${code}).`;
  throw new AwsServiceError(code, message, answer.statusCode, requestId);
}

export function createQueryServiceClient(spec: QueryServiceSpec, options?: AwsClientOptions): QueryServiceClient {
  const requester = createAwsRequester(spec, options);
  return {
    endpoint: requester.endpoint,
    call(action, parameters, read, callOptions) {
      const body = formEncode({ Action: action, Version: spec.apiVersion, ...parameters });
      const request = { headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body };
      return requester.send(request, (answer) => readQueryAnswer(answer, spec.hostPrefix, action, read), callOptions);
    },
  };
}
