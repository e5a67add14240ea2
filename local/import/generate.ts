import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { ExportFormat } from './records.js';

/**
 * Writes a synthetic export of `rows` users for tests and the bench: every `rejectEvery`-th row has a
 * phone number Cognito would refuse, every `duplicateEvery`-th repeats the user name of the row
 * before it. JSON is pretty-printed (one record over several lines), as exports usually are.
 */

export interface GenerateOptions {
  rows: number;
  format: ExportFormat;
  rejectEvery?: number;
  duplicateEvery?: number;
}

/** A bcrypt hash (cost 4) from the sample directory: every generated user has it. */
export const GENERATED_PASSWORD_HASH = '$2b$04$2fJ4D6iz3qCCisIVtZWm3e84dxt2z1C40vwgkxB9mI4.nkaXtvXPS';

export interface GeneratedRow {
  username: string;
  passwordHash: string;
  email: string;
  emailVerified: boolean;
  phoneNumber: string;
  given_name: string;
}

export function generatedRow(n: number, options: Pick<GenerateOptions, 'rejectEvery' | 'duplicateEvery'> = {}): GeneratedRow {
  const duplicate = options.duplicateEvery !== undefined && n > 1 && n % options.duplicateEvery === 0;
  const id = duplicate ? n - 1 : n;
  const bad = options.rejectEvery !== undefined && n % options.rejectEvery === 0;
  return {
    username: `user${String(id).padStart(7, '0')}@example.com`,
    passwordHash: GENERATED_PASSWORD_HASH,
    email: `user${String(id).padStart(7, '0')}@example.com`,
    emailVerified: true,
    phoneNumber: bad ? '555-0100' : `+1555${String(id % 10_000_000).padStart(7, '0')}`,
    given_name: `User ${id}`,
  };
}

const CSV_COLUMNS = ['username', 'passwordHash', 'email', 'emailVerified', 'phoneNumber', 'given_name'] as const;

function render(row: GeneratedRow, format: ExportFormat, first: boolean): string {
  if (format === 'csv') return `${CSV_COLUMNS.map((column) => String(row[column])).join(',')}\n`;
  if (format === 'jsonl') return `${JSON.stringify(row)}\n`;
  const { given_name: givenName, ...fields } = row;
  const body = JSON.stringify({ ...fields, attributes: { given_name: givenName } }, null, 2).replace(/\n/g, '\n  ');
  return `${first ? '' : ',\n'}  ${body}`;
}

/** The file line where row n (1-based) starts, for the generated layouts. */
export function generatedLine(n: number, format: ExportFormat): number {
  if (format === 'csv') return n + 1;
  if (format === 'jsonl') return n;
  return 2 + (n - 1) * 10; // "[" then 10 lines per pretty-printed record
}

export async function generateExport(path: string, options: GenerateOptions): Promise<void> {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  if (options.format === 'csv') await write(`${CSV_COLUMNS.join(',')}\n`);
  if (options.format === 'json') await write('[\n');
  for (let n = 1; n <= options.rows; n += 1) await write(render(generatedRow(n, options), options.format, n === 1));
  if (options.format === 'json') await write('\n]\n');
  out.end();
  await once(out, 'finish');
}
