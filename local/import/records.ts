import { createReadStream, type ReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import Assembler from 'stream-json/assembler.js';
import { jsoncParser } from 'stream-json/jsonc/parser.js';

/**
 * Reads an export as a stream of records, each with the line a user would open in an editor:
 * for JSON the line where the record starts, for JSON Lines its line, for CSV the file line where
 * the record starts (the header is line 1; a quoted field may span lines). Memory stays bounded by
 * the largest record, whatever the file's size.
 */

export type ExportFormat = 'json' | 'jsonl' | 'csv';

export type SourceRecord =
  /** `fields`: a CSV record's values in column order, kept for the rejects file. */
  | { line: number; value: unknown; fields?: string[] }
  /** The record cannot be read at all (a line that is not JSON, a CSV row with too many fields). */
  | { line: number; problem: string; fields?: string[] };

export interface RecordSource {
  records: AsyncIterable<SourceRecord>;
  /** Bytes of the file read so far (for progress). */
  bytesRead: () => number;
  /** CSV only: the header's column names, once the header has been read. */
  header: () => string[] | undefined;
}

export function formatOfPath(path: string): ExportFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  return 'json';
}

/** An error in the file's structure that stops the import (the file cannot be read on from there). */
export class ExportFormatError extends Error {
  override name = 'ExportFormatError';
}

export function openRecords(path: string, format: ExportFormat): RecordSource {
  const stream = createReadStream(path, format === 'csv' ? {} : { encoding: 'utf8' });
  const bytesRead = () => stream.bytesRead;
  if (format === 'csv') {
    let header: string[] | undefined;
    return { records: csvRecords(stream, (names) => (header = names)), bytesRead, header: () => header };
  }
  return { records: format === 'jsonl' ? jsonLinesRecords(stream) : jsonRecords(stream), bytesRead, header: () => undefined };
}

async function* jsonLinesRecords(stream: ReadStream): AsyncGenerator<SourceRecord> {
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    line += 1;
    const trimmed = (line === 1 ? text.replace(/^\uFEFF/, '') : text).trim();
    if (trimmed === '') continue;
    try {
      yield { line, value: JSON.parse(trimmed) as unknown };
    } catch {
      yield { line, problem: 'line is not valid JSON' };
    }
  }
}

// stream-chain's markers for "no value" and "several values" (global symbols, see stream-chain/defs.js).
const NONE = Symbol.for('object-stream.none');
const MANY = Symbol.for('object-stream.many');
type Token = { name: string; value?: string };

function tokensOf(result: unknown): Token[] {
  if (result === NONE || result === undefined) return [];
  const many = result as { [MANY]?: 1; values: Token[] };
  return many[MANY] === 1 ? many.values : [result as Token];
}

function newlinesIn(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count += 1;
  return count;
}

const VALUE_START = new Set(['startObject', 'startArray', 'stringValue', 'numberValue', 'nullValue', 'trueValue', 'falseValue']);

/**
 * A JSON array of records, or an object whose top-level `users` holds that array (Firebase
 * `auth:export`, a Keycloak realm export; other top-level keys are skipped without being built).
 * Newlines can only sit in whitespace (or comments) between tokens, so counting them there gives
 * each record's line exactly.
 */
async function* jsonRecords(stream: ReadStream): AsyncGenerator<SourceRecord> {
  const tokenize = jsoncParser({ packValues: true, streamValues: false, streamWhitespace: true, streamComments: false, packComments: true });
  let line = 1;
  let depth = 0;
  let recordDepth: number | undefined; // depth of the records array's elements once found
  let usersKey = false; // the last top-level key was "users"
  let found = false; // the records array was found (and, once it closed, nothing else is read as records)
  let recordLine = 0;
  let assembler: Assembler | undefined;
  let first = true;
  const handle = (token: Token): SourceRecord | undefined => {
    const { name } = token;
    if (name === 'whitespace' || name === 'commentValue') {
      line += newlinesIn(token.value ?? '');
      return undefined;
    }
    if (assembler === undefined && recordDepth === depth && VALUE_START.has(name)) {
      recordLine = line;
      assembler = new Assembler();
    }
    if (assembler !== undefined) {
      assembler.consume(token as Parameters<Assembler['consume']>[0]);
      if (name === 'startObject' || name === 'startArray') depth += 1;
      else if (name === 'endObject' || name === 'endArray') depth -= 1;
      if (!assembler.done) return undefined;
      const value = assembler.current;
      assembler = undefined;
      return { line: recordLine, value };
    }
    if (name === 'startArray' || name === 'startObject') {
      if (!found && depth === 0 && name === 'startArray') recordDepth = 1;
      if (!found && depth === 1 && usersKey && name === 'startArray') recordDepth = 2;
      found ||= recordDepth !== undefined;
      depth += 1;
    } else if (name === 'endArray' || name === 'endObject') {
      depth -= 1;
      if (recordDepth !== undefined && depth < recordDepth) recordDepth = undefined;
    } else if (depth === 0 && VALUE_START.has(name)) {
      throw new ExportFormatError('a JSON export must be an array of users or an object with a "users" array');
    }
    if (depth === 1 && name === 'keyValue') usersKey = token.value === 'users';
    return undefined;
  };
  try {
    for await (const chunk of stream) {
      const text = first ? (chunk as string).replace(/^\uFEFF/, '') : (chunk as string);
      first = false;
      for (const token of tokensOf(tokenize(text))) {
        const record = handle(token);
        if (record !== undefined) yield record;
      }
    }
    for (const token of tokensOf(tokenize(NONE as unknown as string))) {
      const record = handle(token);
      if (record !== undefined) yield record;
    }
  } catch (error) {
    if (error instanceof ExportFormatError) throw error;
    const at = await lineOfJsonError(stream.path.toString());
    throw new ExportFormatError(`the JSON is not well formed at line ${at}: ${(error as Error).message}`);
  } finally {
    stream.destroy();
  }
  if (!found) throw new ExportFormatError('a JSON export must be an array of users or an object with a "users" array');
}

/**
 * The parser reads a block at a time, so when it fails the tokens before the fault are lost with the
 * block: only then, the file is read again a line at a time to find the line.
 */
async function lineOfJsonError(path: string): Promise<number> {
  const tokenize = jsoncParser({ packValues: true, streamValues: false, streamWhitespace: false, streamComments: false, packComments: false });
  let line = 0;
  try {
    for await (const text of createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })) {
      line += 1;
      tokenize(`${line === 1 ? text.replace(/^\uFEFF/, '') : text}\n`);
    }
    tokenize(NONE as unknown as string);
  } catch {
    return line;
  }
  return line;
}

const LINE_BREAK = /\r\n|\r|\n/g;

function lineBreaksIn(text: string): number {
  return text.match(LINE_BREAK)?.length ?? 0;
}

function leadingLineBreaks(text: string): number {
  return lineBreaksIn(/^(?:\r\n|\r|\n)*/.exec(text)?.[0] ?? '');
}

/**
 * CSV (RFC 4180, with csv-parse): the first record is the header. csv-parse's own line count
 * counts a CRLF inside a quoted field twice, so lines are counted here from each record's raw text
 * (which carries the blank lines skipped before it).
 */
async function* csvRecords(stream: ReadStream, onHeader: (names: string[]) => void): AsyncGenerator<SourceRecord> {
  const parser = stream.pipe(parseCsv({ raw: true, bom: true, skip_empty_lines: true, relax_column_count: true }));
  stream.on('error', (error) => parser.destroy(error));
  let breaksBefore = 0;
  let header: string[] | undefined;
  try {
    for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      const line = 1 + breaksBefore + leadingLineBreaks(raw);
      breaksBefore += lineBreaksIn(raw);
      if (header === undefined) {
        header = record.map((name) => name.trim());
        onHeader(header);
        continue;
      }
      if (record.length > header.length) {
        yield { line, problem: `has ${record.length} fields, the header has ${header.length}`, fields: record };
        continue;
      }
      const columns = header;
      yield { line, value: Object.fromEntries(columns.map((name, index) => [name, record[index] ?? ''])), fields: record };
    }
  } catch (error) {
    // csv-parse's messages can quote a field (a hash): only its code is shown.
    const { code = (error as Error).name, lines } = error as { code?: string; lines?: number };
    throw new ExportFormatError(`the CSV cannot be read near line ${lines ?? 1 + breaksBefore} (${code})`);
  } finally {
    stream.destroy();
  }
}
