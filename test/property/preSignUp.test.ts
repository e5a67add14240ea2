import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makePreSignUpHandler } from '../../functions/preSignUp/handler.js';
import { sampleEvent } from '../support/events.js';
import { capturingLogger } from '../support/logs.js';
import { directoryOf, memoryPendingStore, nativeUser, recordingAdmin, signUpConfig } from '../unit/signup/helpers.js';
import { asCognitoSeesIt, expectNoPrototypePollution, expectSuiteRefusal, mutatedEvent, runs, settle } from './support.js';

/**
 * preSignUp under random and mutated events: it answers with exactly the three flags (booleans), confirms
 * only a self sign-up marked passwordless, verifies nothing, links only on a verified email from a listed
 * provider, or refuses with the suite's own error — never a crash.
 */

const SAMPLES = readdirSync(join(__dirname, '..', '..', 'events', 'preSignUp')).map((file) => sampleEvent(`preSignUp/${file}`));
const logs = capturingLogger();

describe('preSignUp under random and mutated events', () => {
  it('answers with the three flags or refuses with a TriggerError; auto-confirms only marked self sign-ups; never auto-verifies; links only as allowed', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedEvent(SAMPLES), async (event) => {
        const admin = recordingAdmin([nativeUser('u-jo', 'jo@example.com')]);
        const pending = memoryPendingStore();
        const handler = makePreSignUpHandler({
          config: signUpConfig({ linkProviders: ['Google'], blockedEmailDomains: ['mailinator.com'] }),
          directory: directoryOf(['ana@example.es']),
          pending,
          admin,
          logger: logs.logger,
          now: () => 0,
        });
        // What the assertions need, read before the handler replaces the response (the events may nest deeply: no clone).
        const e = event as any;
        const input = {
          triggerSource: e?.triggerSource,
          userName: e?.userName,
          emailVerified: e?.request?.userAttributes?.email_verified,
          marked: e?.request?.clientMetadata?.passwordlessSignUp === 'true' || e?.request?.validationData?.passwordlessSignUp === 'true',
        };
        const outcome = await settle(() => handler(event as any));
        expectNoPrototypePollution();
        if (!outcome.ok) {
          expectSuiteRefusal(outcome.error);
          expect(pending.items.size).toBe(0);
          return;
        }
        const response = asCognitoSeesIt(outcome.value)?.response;
        expect(Object.keys(response).sort()).toEqual(['autoConfirmUser', 'autoVerifyEmail', 'autoVerifyPhone']);
        expect(response.autoVerifyEmail).toBe(false);
        expect(response.autoVerifyPhone).toBe(false);
        if (response.autoConfirmUser) {
          expect(input.triggerSource).toBe('PreSignUp_SignUp');
          expect(input.marked).toBe(true);
          expect(pending.items.size).toBe(1);
        } else {
          expect(pending.items.size).toBe(0);
        }
        for (const link of admin.links) {
          expect(input.triggerSource).toBe('PreSignUp_ExternalProvider');
          expect(String(input.emailVerified).toLowerCase()).toBe('true');
          expect(String(input.userName).toLowerCase().startsWith('google_')).toBe(true);
          expect(link.nativeUserName).toBe('u-jo');
        }
      }),
      { numRuns: runs(300) },
    );
  });
});
