import { Logger } from '@aws-lambda-powertools/logger';

/** A debug-level logger whose JSON lines are kept, so tests can assert what was (not) logged. */
export function capturingLogger(): { logger: Logger; lines: string[]; text: () => string } {
  const lines: string[] = [];
  const logger = new Logger({ serviceName: 'test', logLevel: 'DEBUG' });
  const sink = (...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  };
  // Powertools writes through its own Console instance; replace its methods with the sink.
  const target = logger as unknown as { console: Record<string, unknown> };
  target.console = { log: sink, info: sink, warn: sink, error: sink, debug: sink, trace: sink };
  return { logger, lines, text: () => lines.join('\n') };
}
