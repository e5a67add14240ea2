import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * Where an import got to, kept beside the export: every record up to `done` has been settled
 * (written, found present, or rejected). A rerun reads on from there, so a user written before a
 * failure is not written again — and an entry removed since (e.g. after the user migrated) is not
 * brought back. The checkpoint stays after a complete run for the same reason.
 */
export interface Checkpoint {
  /** The export it belongs to: name, size and modification time (a changed file is refused). */
  file: { name: string; size: number; mtimeMs: number };
  table: string;
  /** Records settled, counted from the start of the file. */
  done: number;
  complete: boolean;
  updatedAt: string;
}

export class CheckpointMismatchError extends Error {
  override name = 'CheckpointMismatchError';
}

export function fileIdentity(path: string): Checkpoint['file'] {
  const stat = statSync(path);
  return { name: basename(path), size: stat.size, mtimeMs: Math.floor(stat.mtimeMs) };
}

/** The checkpoint to resume from, undefined when there is none; refuses one made for another file or table. */
export function readCheckpoint(checkpointPath: string, exportPath: string, table: string): Checkpoint | undefined {
  if (!existsSync(checkpointPath)) return undefined;
  const saved = JSON.parse(readFileSync(checkpointPath, 'utf8')) as Checkpoint;
  const file = fileIdentity(exportPath);
  if (saved.file?.size !== file.size || saved.file.mtimeMs !== file.mtimeMs || saved.table !== table) {
    throw new CheckpointMismatchError(
      `${checkpointPath} was made for ${saved.file?.name ?? 'another file'} (${saved.file?.size ?? '?'} bytes) into table ${saved.table}; ` +
        'this file or table differs. Move the checkpoint away to start over (users already in the table are skipped, never overwritten).',
    );
  }
  return saved;
}

/** Writes the checkpoint atomically (a crash mid-write leaves the previous one). */
export function writeCheckpoint(checkpointPath: string, checkpoint: Checkpoint): void {
  const temporary = `${checkpointPath}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(checkpoint, null, 2)}\n`);
  renameSync(temporary, checkpointPath);
}

export function defaultCheckpointPath(exportPath: string): string {
  return `${exportPath}.checkpoint.json`;
}
