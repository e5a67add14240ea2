import cliProgress from 'cli-progress';
import type { ImportCounts } from './pipeline.js';

/**
 * Progress on stderr while an import runs: a bar (cli-progress) on a terminal, a plain line every
 * few seconds otherwise (logs, CI). Report lines (rejections) go through `print`, so on a terminal
 * they appear above the bar instead of tearing it.
 */

export interface ProgressOptions {
  counts: ImportCounts;
  bytesRead: () => number;
  totalBytes: number;
  stream?: NodeJS.WriteStream;
  /** Where report lines go (stdout). */
  out?: NodeJS.WriteStream;
  quiet?: boolean;
  /** Seconds between plain lines when stderr is not a terminal. */
  everySeconds?: number;
  now?: () => number;
}

export interface Progress {
  print(line: string): void;
  stop(): void;
  /** Rows per second and seconds elapsed so far. */
  rate(): { rowsPerSecond: number; seconds: number };
}

const number = (n: number) => n.toLocaleString('en-US');

export function describeCounts(counts: ImportCounts): string {
  const parts = [`${number(counts.read)} read`, `${number(counts.loaded)} loaded`];
  if (counts.present > 0) parts.push(`${number(counts.present)} already present`);
  if (counts.resumed > 0) parts.push(`${number(counts.resumed)} done earlier`);
  parts.push(`${number(counts.rejected)} rejected`);
  return parts.join(', ');
}

export function startProgress(options: ProgressOptions): Progress {
  const { counts, bytesRead, totalBytes, stream = process.stderr, out = process.stdout, quiet = false, now = Date.now } = options;
  const started = now();
  const rate = () => {
    const seconds = Math.max(0.001, (now() - started) / 1000);
    return { rowsPerSecond: counts.read / seconds, seconds };
  };
  if (quiet) return { print: () => undefined, stop: () => undefined, rate };

  if (stream.isTTY) {
    const bars = new cliProgress.MultiBar(
      {
        stream,
        format: '{bar} {percentage}% | {counts} | {rate} rows/s | {duration_formatted}',
        hideCursor: true,
        clearOnComplete: false,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    const bar = bars.create(Math.max(1, totalBytes), 0, { counts: describeCounts(counts), rate: 0 });
    const timer = setInterval(() => bar.update(bytesRead(), { counts: describeCounts(counts), rate: number(Math.round(rate().rowsPerSecond)) }), 200);
    return {
      print: (line) => (out.isTTY ? bars.log(`${line}\n`) : out.write(`${line}\n`)),
      stop() {
        clearInterval(timer);
        bar.update(bytesRead(), { counts: describeCounts(counts), rate: number(Math.round(rate().rowsPerSecond)) });
        bars.stop();
      },
      rate,
    };
  }

  const line = () => {
    const { rowsPerSecond, seconds } = rate();
    const percent = totalBytes > 0 ? ` (${Math.floor((100 * bytesRead()) / totalBytes)}% of the file)` : '';
    stream.write(`import: ${describeCounts(counts)}${percent}; ${number(Math.round(rowsPerSecond))} rows/s, ${Math.round(seconds)} s\n`);
  };
  const timer = setInterval(line, (options.everySeconds ?? 5) * 1000);
  timer.unref();
  return {
    print: (text) => out.write(`${text}\n`),
    stop: () => clearInterval(timer),
    rate,
  };
}
