import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefineConfig } from '../../../shared/auth/config.js';
import { decideNextStep, type DefineDecision, type DefinePolicy } from '../../../shared/auth/define.js';
import { parseDefineEvent, type SessionEntry } from '../../../shared/auth/events.js';

const round = (challengeName: string, challengeResult: boolean): SessionEntry => ({ challengeName, challengeResult });
const code = (ok: boolean): SessionEntry => ({ challengeName: 'CUSTOM_CHALLENGE', challengeResult: ok, challengeMetadata: 'OTP-abc' });
const wrong = (count: number): SessionEntry[] => Array.from({ length: count }, () => code(false));
const SRP_OK = round('SRP_A', true);
const PASSWORD_OK = round('PASSWORD_VERIFIER', true);

/** The production defaults: OTP_MAX_ATTEMPTS 3, passwordless allowed. */
const DEFAULTS: DefinePolicy = loadDefineConfig({});
const SECOND_FACTOR_ONLY: DefinePolicy = { ...DEFAULTS, allowPasswordless: false };

const askCode: DefineDecision = { outcome: 'challenge', challengeName: 'CUSTOM_CHALLENGE' };
const askPassword: DefineDecision = { outcome: 'challenge', challengeName: 'PASSWORD_VERIFIER' };
const tokens: DefineDecision = { outcome: 'issueTokens' };
const failWith = (reason: string) => ({ outcome: 'fail', reason });

describe('decideNextStep', () => {
  describe('the first call', () => {
    it('with an empty session, asks for a code', () => {
      expect(decideNextStep([], false, DEFAULTS)).toEqual(askCode);
    });

    it('with an empty session for an unknown user, still asks for a code (same experience as a known user)', () => {
      expect(decideNextStep([], true, DEFAULTS)).toEqual(askCode);
    });

    it('with an empty session when passwordless sign-in is not allowed, the sign-in fails', () => {
      expect(decideNextStep([], false, SECOND_FACTOR_ONLY)).toEqual(failWith('passwordless-not-allowed'));
    });

    it('uses OTP_MAX_ATTEMPTS 3 and passwordless allowed by default', () => {
      expect(DEFAULTS).toEqual({ maxAttempts: 3, allowPasswordless: true });
    });
  });

  describe('password first (SRP), then a code', () => {
    it('after a successful SRP_A, asks for the password verifier', () => {
      expect(decideNextStep([SRP_OK], false, DEFAULTS)).toEqual(askPassword);
    });

    it('after a successful SRP_A and password, asks for a code', () => {
      expect(decideNextStep([SRP_OK, PASSWORD_OK], false, DEFAULTS)).toEqual(askCode);
    });

    it('when the password is wrong, the sign-in fails', () => {
      expect(decideNextStep([SRP_OK, round('PASSWORD_VERIFIER', false)], false, DEFAULTS)).toEqual(failWith('password-failed'));
    });

    it('when SRP_A failed, the sign-in fails', () => {
      expect(decideNextStep([round('SRP_A', false)], false, DEFAULTS)).toEqual(failWith('password-failed'));
    });

    it('after the password and a right code, issues tokens', () => {
      expect(decideNextStep([SRP_OK, PASSWORD_OK, code(true)], false, DEFAULTS)).toEqual(tokens);
    });

    it('the password rounds do not count as wrong codes', () => {
      expect(decideNextStep([SRP_OK, PASSWORD_OK, ...wrong(2)], false, DEFAULTS)).toEqual(askCode);
      expect(decideNextStep([SRP_OK, PASSWORD_OK, ...wrong(3)], false, DEFAULTS)).toEqual(failWith('too-many-wrong-codes'));
    });

    describe('in second-factor mode (passwordless not allowed)', () => {
      it('after SRP_A, asks for the password verifier', () => {
        expect(decideNextStep([SRP_OK], false, SECOND_FACTOR_ONLY)).toEqual(askPassword);
      });

      it('after the password, asks for a code', () => {
        expect(decideNextStep([SRP_OK, PASSWORD_OK], false, SECOND_FACTOR_ONLY)).toEqual(askCode);
      });

      it('after the password and a wrong code, asks for another code', () => {
        expect(decideNextStep([SRP_OK, PASSWORD_OK, code(false)], false, SECOND_FACTOR_ONLY)).toEqual(askCode);
      });

      it('after the password and a right code, issues tokens', () => {
        expect(decideNextStep([SRP_OK, PASSWORD_OK, code(true)], false, SECOND_FACTOR_ONLY)).toEqual(tokens);
      });

      it('a right code without the password step never issues tokens', () => {
        expect(decideNextStep([code(true)], false, SECOND_FACTOR_ONLY)).toEqual(failWith('passwordless-not-allowed'));
      });

      it('a wrong code without the password step fails instead of asking again', () => {
        expect(decideNextStep([code(false)], false, SECOND_FACTOR_ONLY)).toEqual(failWith('passwordless-not-allowed'));
      });
    });
  });

  describe('code rounds', () => {
    it('when the last code is right, issues tokens', () => {
      expect(decideNextStep([code(true)], false, DEFAULTS)).toEqual(tokens);
    });

    it('when the second code is right after a wrong one, issues tokens', () => {
      expect(decideNextStep([code(false), code(true)], false, DEFAULTS)).toEqual(tokens);
    });

    it('when the third code is right after two wrong ones, issues tokens', () => {
      expect(decideNextStep([code(false), code(false), code(true)], false, DEFAULTS)).toEqual(tokens);
    });

    it('when the first code is wrong, asks for another code', () => {
      expect(decideNextStep(wrong(1), false, DEFAULTS)).toEqual(askCode);
    });

    it('when the second code is wrong, asks for another code', () => {
      expect(decideNextStep(wrong(2), false, DEFAULTS)).toEqual(askCode);
    });

    it('when the third code is wrong, the sign-in fails', () => {
      expect(decideNextStep(wrong(3), false, DEFAULTS)).toEqual(failWith('too-many-wrong-codes'));
    });

    it('more wrong codes than the maximum still fail', () => {
      expect(decideNextStep(wrong(7), false, DEFAULTS)).toEqual(failWith('too-many-wrong-codes'));
    });

    it.each([1, 2, 5, 10])('with maxAttempts %i, the sign-in fails at that many wrong codes and not before', (maxAttempts) => {
      const policy = { ...DEFAULTS, maxAttempts };
      if (maxAttempts > 1) expect(decideNextStep(wrong(maxAttempts - 1), false, policy)).toEqual(askCode);
      expect(decideNextStep(wrong(maxAttempts), false, policy)).toEqual(failWith('too-many-wrong-codes'));
    });

    it('a right code on the last allowed attempt still issues tokens', () => {
      expect(decideNextStep([...wrong(2), code(true)], false, { ...DEFAULTS, maxAttempts: 3 })).toEqual(tokens);
    });
  });

  describe('unknown users (userNotFound)', () => {
    it('a "right" code for an unknown user fails instead of issuing tokens', () => {
      expect(decideNextStep([code(true)], true, DEFAULTS)).toEqual(failWith('user-not-found'));
    });

    it('a "right" code after the password step for an unknown user fails', () => {
      expect(decideNextStep([SRP_OK, PASSWORD_OK, code(true)], true, DEFAULTS)).toEqual(failWith('user-not-found'));
    });

    it('a wrong code for an unknown user asks again, as for a known user', () => {
      expect(decideNextStep(wrong(1), true, DEFAULTS)).toEqual(decideNextStep(wrong(1), false, DEFAULTS));
    });

    it('the last wrong code for an unknown user fails as for a known user', () => {
      expect(decideNextStep(wrong(3), true, DEFAULTS)).toEqual(failWith('too-many-wrong-codes'));
    });

    it('never issues tokens, whatever the session', () => {
      const sessions: SessionEntry[][] = [
        [],
        [code(true)],
        [code(false), code(true)],
        [code(false), code(false), code(true)],
        [SRP_OK],
        [SRP_OK, PASSWORD_OK],
        [SRP_OK, PASSWORD_OK, code(true)],
        [SRP_OK, PASSWORD_OK, code(false), code(true)],
        [code(true), code(true)],
      ];
      for (const policy of [DEFAULTS, SECOND_FACTOR_ONLY, { ...DEFAULTS, maxAttempts: 10 }]) {
        for (const session of sessions) {
          expect(decideNextStep(session, true, policy).outcome, JSON.stringify(session)).not.toBe('issueTokens');
        }
      }
    });
  });

  describe('challenges this suite does not run', () => {
    const others = ['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER', 'NEW_PASSWORD_REQUIRED', 'ADMIN_NO_SRP_AUTH', 'MADE_UP_CHALLENGE', ''];

    it.each(others)('a session that starts with a successful %s fails', (name) => {
      expect(decideNextStep([round(name, true)], false, DEFAULTS)).toEqual(failWith('unexpected-sequence'));
    });

    it.each(others)('a successful %s after the password fails (never tokens)', (name) => {
      expect(decideNextStep([SRP_OK, PASSWORD_OK, round(name, true)], false, DEFAULTS)).toEqual(failWith('unexpected-sequence'));
    });

    it.each(others)('a successful %s after a wrong code fails (never tokens)', (name) => {
      expect(decideNextStep([code(false), round(name, true)], false, DEFAULTS)).toEqual(failWith('unexpected-sequence'));
    });

    it('a successful SMS_MFA after the password, then a right code, fails', () => {
      expect(decideNextStep([SRP_OK, PASSWORD_OK, round('SMS_MFA', true), code(true)], false, DEFAULTS)).toEqual(
        failWith('unexpected-sequence'),
      );
    });

    it('challenge names are case-sensitive: "custom_challenge" is not a code round', () => {
      expect(decideNextStep([round('custom_challenge', true)], false, DEFAULTS)).toEqual(failWith('unexpected-sequence'));
    });
  });

  describe('sequences Cognito does not produce', () => {
    const cases: [string, SessionEntry[]][] = [
      ['a right code followed by a wrong one', [code(true), code(false)]],
      ['a right code followed by another right one', [code(true), code(true)]],
      ['a right code in the middle of wrong ones', [code(false), code(true), code(false)]],
      ['a code round before SRP_A', [code(false), SRP_OK, PASSWORD_OK]],
      ['a right code before SRP_A', [code(true), SRP_OK]],
      ['PASSWORD_VERIFIER without SRP_A', [PASSWORD_OK]],
      ['PASSWORD_VERIFIER without SRP_A, then a right code', [PASSWORD_OK, code(true)]],
      ['SRP_A twice', [SRP_OK, SRP_OK]],
      ['SRP_A followed by a right code, skipping the password', [SRP_OK, code(true)]],
      ['the password verified twice', [SRP_OK, PASSWORD_OK, PASSWORD_OK]],
      ['SRP_A again after the password', [SRP_OK, PASSWORD_OK, round('SRP_A', true)]],
      ['a right code after the password, then more rounds', [SRP_OK, PASSWORD_OK, code(true), code(false)]],
    ];

    it.each(cases)('%s: the sign-in fails', (_name, session) => {
      expect(decideNextStep(session, false, DEFAULTS)).toEqual(failWith('unexpected-sequence'));
    });

    it.each(cases)('%s: never issues tokens for an unknown user either', (_name, session) => {
      expect(decideNextStep(session, true, DEFAULTS).outcome).toBe('fail');
    });
  });
});

describe('the sample Define events in events/defineAuthChallenge/', () => {
  const directory = resolve(__dirname, '../../../events/defineAuthChallenge');
  const expected: Record<string, DefineDecision> = {
    'first-call.json': askCode,
    'after-wrong-answer.json': askCode,
    'after-last-wrong-answer.json': failWith('too-many-wrong-codes') as DefineDecision,
    'after-right-answer.json': tokens,
    'password-step.json': askPassword,
    'password-verified.json': askCode,
    'password-failed.json': failWith('password-failed') as DefineDecision,
    'user-not-found.json': failWith('user-not-found') as DefineDecision,
  };
  const files = readdirSync(directory).filter((name) => name.endsWith('.json')).sort();

  it('every sample event has an expected decision here', () => {
    expect(files).toEqual(Object.keys(expected).sort());
  });

  it.each(files)('%s parses and gives the decision its name implies (default policy)', (file) => {
    const event: unknown = JSON.parse(readFileSync(resolve(directory, file), 'utf8'));
    const request = parseDefineEvent(event);
    expect(decideNextStep(request.session, request.userNotFound, DEFAULTS)).toEqual(expected[file]);
  });
});
