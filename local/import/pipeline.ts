import { type AttributeValue } from '@aws-sdk/client-dynamodb';
import { LegacyUserError } from '../../shared/migration/legacyUser.js';
import { type Checkpoint, fileIdentity, writeCheckpoint } from './checkpoint.js';
import { type Dialect, rowFromRecord } from './dialects.js';
import type { RecordSource, SourceRecord } from './records.js';
import type { RejectsFile } from './rejects.js';
import { itemFromLegacyUser, legacyUserFromRow } from './rows.js';
import { BATCH_SIZE, type DirectoryWriter } from './writer.js';

/**
 * One pass over an export: each record is converted (dialect), validated, checked against every
 * user name before it, and written in batches with at most `concurrency` batches in flight. The
 * reader waits for a free slot, so memory holds at most `concurrency` batches plus the names seen.
 */

export interface Rejection {
  line: number;
  username: string | undefined;
  reason: string;
}

export interface ImportCounts {
  read: number;
  /** Written now (or, in a dry run, that would be). */
  loaded: number;
  /** Already in the table: left unchanged. */
  present: number;
  /** Settled by an earlier run (checkpoint): not looked at again. */
  resumed: number;
  rejected: number;
}

export interface ImportOptions {
  source: RecordSource;
  dialect: Dialect;
  /** Undefined for a dry run: nothing is read from or written to DynamoDB. */
  writer: DirectoryWriter | undefined;
  concurrency: number;
  /** Where progress is kept for a rerun; undefined keeps none. */
  checkpoint?: { path: string; exportPath: string; table: string; resumeAfter: number };
  rejects?: RejectsFile;
  onRejected?: (rejection: Rejection) => void;
  onPresent?: (line: number, username: string) => void;
  /** Stops reading (e.g. Ctrl-C): batches in flight finish and the checkpoint is saved. */
  signal?: AbortSignal;
  /** How often the checkpoint is saved while running (ms, default 1000). */
  checkpointEveryMs?: number;
}

export interface ImportResult {
  counts: ImportCounts;
  /** The write failure that stopped the import, if one did. */
  failure: Error | undefined;
  /** Stopped by the signal before the end of the file. */
  interrupted: boolean;
}

interface Pending {
  index: number;
  line: number;
  username: string;
  item: Record<string, AttributeValue>;
}

function usernameOf(record: SourceRecord): string | undefined {
  if (!('value' in record)) return undefined;
  const value = record.value as { username?: unknown } | null;
  return typeof value?.username === 'string' ? value.username.trim() || undefined : undefined;
}

/**
 * A copy of a name that shares no memory with the text it was cut from: the JSON parser's strings
 * are slices of 64 KB blocks of the file, and a kept slice would keep its whole block alive.
 */
function detached(name: string): string {
  return Buffer.from(name, 'utf8').toString('utf8');
}

export function createImport(options: ImportOptions) {
  const { source, dialect, writer, concurrency, checkpoint, rejects, signal } = options;
  const counts: ImportCounts = { read: 0, loaded: 0, present: 0, resumed: 0, rejected: 0 };
  const resumeAfter = checkpoint?.resumeAfter ?? 0;
  /** User name → the line of its first record, for duplicates anywhere in the file. */
  const seen = new Map<string, number>();
  /** First record index of each batch not yet settled (insertion order is ascending). */
  const unsettled = new Map<number, number>();
  const inFlight = new Set<Promise<void>>();
  let batch: Pending[] = [];
  let batchId = 0;
  let index = 0;
  let failure: Error | undefined;
  let lastSave = Date.now();

  function settledThrough(): number {
    const firsts = [...unsettled.values()];
    if (batch[0] !== undefined) firsts.push(batch[0].index);
    return firsts.length === 0 ? index : Math.min(...firsts) - 1;
  }

  function save(complete: boolean): void {
    if (checkpoint === undefined) return;
    const state: Checkpoint = {
      file: fileIdentity(checkpoint.exportPath),
      table: checkpoint.table,
      done: Math.max(resumeAfter, settledThrough()),
      complete,
      updatedAt: new Date().toISOString(),
    };
    writeCheckpoint(checkpoint.path, state);
    lastSave = Date.now();
  }

  async function reject(record: SourceRecord, username: string | undefined, reason: string): Promise<void> {
    counts.rejected += 1;
    options.onRejected?.({ line: record.line, username, reason });
    await rejects?.add({ line: record.line, reason, ...('value' in record ? { value: record.value } : {}), ...(record.fields ? { fields: record.fields } : {}) });
  }

  function submit(pending: Pending[], activeWriter: DirectoryWriter): void {
    const id = (batchId += 1);
    unsettled.set(id, (pending[0] as Pending).index);
    const write = activeWriter
      .writeBatch(pending.map((p) => p.item))
      .then(
        (outcome) => {
          counts.loaded += outcome.written.length;
          counts.present += outcome.present.length;
          const present = new Set(outcome.present);
          for (const p of pending) if (present.has(p.username)) options.onPresent?.(p.line, p.username);
          unsettled.delete(id);
        },
        (error: unknown) => {
          // The batch stays unsettled: the checkpoint never passes it, so a rerun writes it.
          failure ??= error instanceof Error ? error : new Error(String(error));
        },
      )
      .finally(() => inFlight.delete(write));
    inFlight.add(write);
  }

  async function flush(): Promise<void> {
    if (batch.length === 0 || writer === undefined) return;
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    if (failure !== undefined) return;
    submit(batch, writer);
    batch = [];
  }

  async function accept(record: SourceRecord): Promise<void> {
    if ('problem' in record) return reject(record, undefined, record.problem);
    let username = usernameOf(record);
    try {
      const row = rowFromRecord(dialect, record.value);
      username = typeof row.username === 'string' ? row.username.trim() : username;
      const user = legacyUserFromRow(row);
      const earlier = seen.get(user.username);
      if (earlier !== undefined) throw new LegacyUserError(`username appears earlier in the file, on line ${earlier}`);
      seen.set(detached(user.username), record.line);
      if (index <= resumeAfter) {
        counts.resumed += 1;
        return;
      }
      if (writer === undefined) {
        counts.loaded += 1;
        return;
      }
      batch.push({ index, line: record.line, username: user.username, item: itemFromLegacyUser(user) });
    } catch (error) {
      if (!(error instanceof LegacyUserError)) throw error;
      return reject(record, username, error.message);
    }
    if (batch.length === BATCH_SIZE) await flush();
  }

  async function run(): Promise<ImportResult> {
    let interrupted = false;
    let complete = false;
    try {
      for await (const record of source.records) {
        index += 1;
        counts.read += 1;
        await accept(record);
        if (failure !== undefined) break;
        if (signal?.aborted) {
          interrupted = true;
          break;
        }
        if (writer !== undefined && Date.now() - lastSave >= (options.checkpointEveryMs ?? 1_000)) save(false);
      }
      if (failure === undefined && !interrupted) await flush();
      complete = failure === undefined && !interrupted;
    } finally {
      await Promise.allSettled([...inFlight]);
      await rejects?.close();
      if (writer !== undefined) save(complete && failure === undefined);
    }
    return { counts, failure, interrupted };
  }

  return { run, counts };
}
