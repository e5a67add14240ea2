import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { REJECT_COLUMNS } from './rows.js';

/**
 * The rejects file: every rejected record as it was in the export, plus the line it came from and
 * why, so it can be fixed and loaded again with the same command (the import ignores those two
 * columns). A CSV export's rejects are CSV with the same header; a JSON export's are JSON Lines.
 * It holds password hashes like the export itself, so it is created readable by its owner only.
 */

export interface RejectedRecord {
  line: number;
  reason: string;
  value?: unknown;
  fields?: readonly string[];
}

export interface RejectsFile {
  add(rejected: RejectedRecord): Promise<void>;
  close(): Promise<void>;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

async function writeLine(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

export function openRejectsFile(path: string, kind: 'csv' | 'jsonl', header: () => string[] | undefined): RejectsFile {
  const stream = createWriteStream(path, { mode: 0o600 });
  let headerWritten = false;
  let kept: number[] = [];
  return {
    async add({ line, reason, value, fields }) {
      if (kind === 'jsonl') {
        const record = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : { record: value ?? null };
        await writeLine(stream, `${JSON.stringify({ ...record, rejectedLine: line, rejectedReason: reason })}\n`);
        return;
      }
      const names = header() ?? [];
      if (!headerWritten) {
        // A rejects file loaded again brings its own reject columns: they are replaced, not repeated.
        kept = names.map((_, index) => index).filter((index) => !(REJECT_COLUMNS as readonly string[]).includes(names[index] ?? ''));
        await writeLine(stream, `${[...kept.map((index) => names[index] ?? ''), ...REJECT_COLUMNS].map(csvField).join(',')}\r\n`);
        headerWritten = true;
      }
      const values = [...kept.map((index) => fields?.[index] ?? ''), String(line), reason];
      await writeLine(stream, `${values.map(csvField).join(',')}\r\n`);
    },
    async close() {
      stream.end();
      await once(stream, 'finish');
    },
  };
}
