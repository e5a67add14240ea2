import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ExportFormat, formatOfPath, openRecords, type SourceRecord } from '../../../local/import/records.js';

const dir = mkdtempSync(join(tmpdir(), 'import-records-'));
let fileCount = 0;

async function read(content: string, format: ExportFormat): Promise<SourceRecord[]> {
  const path = join(dir, `export-${(fileCount += 1)}.${format}`);
  writeFileSync(path, content);
  const records: SourceRecord[] = [];
  for await (const record of openRecords(path, format).records) records.push(record);
  return records;
}

const lines = (records: SourceRecord[]) => records.map((r) => r.line);

describe('JSON exports', () => {
  it('give each record the line where it starts, in a pretty-printed array', async () => {
    const records = await read('[\n  {\n    "username": "a"\n  },\n\n  {"username":\n "b"}, {"username": "c"}\n]\n', 'json');
    expect(records).toEqual([
      { line: 2, value: { username: 'a' } },
      { line: 6, value: { username: 'b' } },
      { line: 7, value: { username: 'c' } },
    ]);
  });

  it('read the top-level "users" array of an object and skip everything else unbuilt', async () => {
    const realm = '{"realm": "acme",\n "clients": [{"users": ["not a user"]}],\n "users": [\n  {"username": "k"},\n  {"username": "l"}\n ],\n "groups": {"users": [1]}\n}';
    expect(await read(realm, 'json')).toEqual([
      { line: 4, value: { username: 'k' } },
      { line: 5, value: { username: 'l' } },
    ]);
  });

  it('count lines across a byte-order mark, CRLF line ends and comments', async () => {
    const records = await read('\uFEFF[\r\n// a comment\r\n/* two\r\nlines */ {"username": "a"},\r\n{"username": "b"}]', 'json');
    expect(lines(records)).toEqual([4, 5]);
  });

  it('pass on records that are not objects, for the import to reject with their line', async () => {
    expect(await read('[\n42,\n"text",\n[1]\n]', 'json')).toEqual([
      { line: 2, value: 42 },
      { line: 3, value: 'text' },
      { line: 4, value: [1] },
    ]);
  });

  it('refuse a file with no array of users, and name the line where the JSON breaks', async () => {
    await expect(read('{"realm": "acme"}', 'json')).rejects.toThrow(/array of users or an object with a "users" array/);
    await expect(read('"just text"', 'json')).rejects.toThrow(/array of users/);
    await expect(read('[{"username": "a"},\n\n{"username": ]', 'json')).rejects.toThrow(/at line 3/);
  });

  it('keep strings holding escaped line breaks on one line', async () => {
    expect(lines(await read('[{"username": "a\\nb"},\n{"username": "c"}]', 'json'))).toEqual([1, 2]);
  });
});

describe('JSON Lines exports', () => {
  it('number records by file line, blank lines included, and flag a line that is not JSON', async () => {
    expect(await read('{"username": "a"}\r\n\r\n{not json\n  {"username": "b"}  \n', 'jsonl')).toEqual([
      { line: 1, value: { username: 'a' } },
      { line: 3, problem: 'line is not valid JSON' },
      { line: 4, value: { username: 'b' } },
    ]);
  });
});

describe('CSV exports', () => {
  it('number records by the file line a user opens in an editor: the header is line 1', async () => {
    const records = await read('username,email\na,a@example.com\nb,b@example.com\n', 'csv');
    expect(records.map((r) => [r.line, 'value' in r ? r.value : undefined])).toEqual([
      [2, { username: 'a', email: 'a@example.com' }],
      [3, { username: 'b', email: 'b@example.com' }],
    ]);
  });

  for (const [name, eol] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ] as const) {
    it(`count blank lines and quoted fields spanning lines (${name})`, async () => {
      const text = ['username,note', 'a,1', '', '"b","two', 'lines"', 'c,"x', '', 'y"', 'd,4'].join(eol);
      const records = await read(text, 'csv');
      expect(lines(records)).toEqual([2, 4, 6, 9]);
      expect(records[1]).toMatchObject({ value: { username: 'b', note: `two${eol}lines` } });
    });
  }

  it('flag a row with more fields than the header, keeping its fields; fill missing ones with empty text', async () => {
    const records = await read('username,email\na,a@x.org,extra\nb\n', 'csv');
    expect(records).toEqual([
      { line: 2, problem: 'has 3 fields, the header has 2', fields: ['a', 'a@x.org', 'extra'] },
      { line: 3, value: { username: 'b', email: '' }, fields: ['b'] },
    ]);
  });

  it('stop at a broken quote with the line, never quoting the field (it may be a hash)', async () => {
    const error = await read('username,passwordHash\na,"$2b$10$secret"oops\n', 'csv').catch((e: Error) => e);
    expect(String(error)).toMatch(/cannot be read near line 2/);
    expect(String(error)).not.toContain('secret');
  });
});

describe('the format', () => {
  it('follows the file name unless given', () => {
    expect(['a.CSV', 'a.jsonl', 'a.ndjson', 'a.json', 'export'].map(formatOfPath)).toEqual(['csv', 'jsonl', 'jsonl', 'json', 'json']);
  });
});
