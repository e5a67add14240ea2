import { describe, expect, it } from 'vitest';
import { TemporaryFailureError } from '../../../shared/errors.js';
import { whenLoaded } from '../../../shared/handler.js';
import { capturingLogger } from '../../support/logs.js';

/** Create's SMS path loads after the module (a dynamic import): the handler waits for it, and fails closed without it. */
describe('a handler whose wiring is still loading', () => {
  it('handles events once the load is done', async () => {
    const { logger } = capturingLogger();
    let release!: () => void;
    const loading = new Promise<void>((resolve) => (release = resolve));
    const handler = whenLoaded(logger, loading, async (event: number) => event * 2);
    const answer = handler(21);
    release();
    await expect(answer).resolves.toBe(42);
  });

  it('after a failed load, logs it once as a failed cold start and refuses every event with the generic error', async () => {
    const logs = capturingLogger();
    const handler = whenLoaded(logs.logger, Promise.reject(new Error('Cannot find module ./smsChannel')), async () => 'never');
    for (let i = 0; i < 3; i += 1) {
      const error = await handler().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TemporaryFailureError);
      expect((error as Error).message).toBe('Sign-in is temporarily unavailable. Please try again later.');
    }
    const failures = logs.lines.filter((line) => line.includes('Cold start failed'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('Cannot find module ./smsChannel');
  });
});
