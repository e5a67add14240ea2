import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCreateEvent, parseDefineEvent, parseVerifyEvent } from '../../../shared/auth/events.js';
import { InvalidEventError, TriggerError } from '../../../shared/errors.js';

type MutableEvent = Record<string, unknown> & { request: Record<string, unknown> };

function sample(path: string): MutableEvent {
  return JSON.parse(readFileSync(resolve(__dirname, '../../../events', path), 'utf8')) as MutableEvent;
}

const BASE = {
  define: sample('defineAuthChallenge/after-wrong-answer.json'),
  create: sample('createAuthChallenge/email.json'),
  verify: sample('verifyAuthChallenge/answer.json'),
};
const PARSERS = { define: parseDefineEvent, create: parseCreateEvent, verify: parseVerifyEvent };
type Kind = keyof typeof PARSERS;
const KINDS: Kind[] = ['define', 'create', 'verify'];

/** A fresh copy of the base event of a trigger, changed only where `change` says. */
function eventFor(kind: Kind, change: (event: MutableEvent) => void = () => {}): MutableEvent {
  const event = structuredClone(BASE[kind]);
  change(event);
  return event;
}

function invalid(kind: Kind, event: unknown): InvalidEventError {
  try {
    PARSERS[kind](event);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEventError);
    expect(error).toBeInstanceOf(TriggerError);
    expect((error as Error).name).toBe('InvalidEventError');
    return error as InvalidEventError;
  }
  throw new Error(`expected ${kind} parsing to throw an InvalidEventError`);
}

describe('parsing the custom-auth events', () => {
  describe('well-formed events', () => {
    it('reads a Define event: user, attributes, session, defaults', () => {
      const parsed = parseDefineEvent(eventFor('define'));
      expect(parsed.userName).toBe('jo');
      expect(parsed.userAttributes.email).toBe('jo@example.com');
      expect(parsed.session).toEqual([{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'OTP-4kQ2l0ZcYq5n9xW8mJ3sVA' }]);
      expect(parsed.clientMetadata).toEqual({});
      expect(parsed.userNotFound).toBe(false);
    });

    it('reads a Create event with its challenge name', () => {
      const parsed = parseCreateEvent(eventFor('create'));
      expect(parsed.challengeName).toBe('CUSTOM_CHALLENGE');
      expect(parsed.session).toEqual([]);
    });

    it('reads a Verify event with its private parameters and answer', () => {
      const parsed = parseVerifyEvent(eventFor('verify'));
      expect(parsed.privateChallengeParameters).toEqual({ codeId: '4kQ2l0ZcYq5n9xW8mJ3sVA' });
      expect(parsed.challengeAnswer).toBe('123456');
    });

    it('a null challengeMetadata in a session entry is dropped', () => {
      const parsed = parseDefineEvent(sample('defineAuthChallenge/password-step.json'));
      expect(parsed.session).toEqual([{ challengeName: 'SRP_A', challengeResult: true }]);
    });

    it.each([undefined, null])('a session that is %s reads as empty', (session) => {
      expect(parseDefineEvent(eventFor('define', (e) => void (e.request.session = session))).session).toEqual([]);
    });

    it.each(KINDS)('%s: missing userAttributes (unknown users) read as no attributes', (kind) => {
      expect(PARSERS[kind](eventFor(kind, (e) => delete e.request.userAttributes)).userAttributes).toEqual({});
    });

    it.each(KINDS)('%s: clientMetadata and userNotFound are read', (kind) => {
      const parsed = PARSERS[kind](
        eventFor(kind, (e) => {
          e.request.clientMetadata = { otpChannel: 'SMS' };
          e.request.userNotFound = true;
        }),
      );
      expect(parsed.clientMetadata).toEqual({ otpChannel: 'SMS' });
      expect(parsed.userNotFound).toBe(true);
    });
  });

  describe.each(KINDS)('malformed %s events give an InvalidEventError naming the field', (kind) => {
    it.each([null, undefined, 'event', 42, [], true])('an event that is not an object (%j)', (event) => {
      expect(invalid(kind, event).message).toMatch(/event object/);
    });

    it('a triggerSource of another trigger', () => {
      const other = kind === 'define' ? 'CreateAuthChallenge_Authentication' : 'DefineAuthChallenge_Authentication';
      expect(invalid(kind, eventFor(kind, (e) => void (e.triggerSource = other))).message).toContain('triggerSource');
    });

    it('a missing triggerSource', () => {
      expect(invalid(kind, eventFor(kind, (e) => delete e.triggerSource)).message).toContain('triggerSource');
    });

    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['a number', 42],
    ])('a userName that is %s', (_what, userName) => {
      expect(invalid(kind, eventFor(kind, (e) => void (e.userName = userName))).message).toContain('userName');
    });

    it.each([undefined, 'request', []])('a request that is not an object (%j)', (request) => {
      expect(invalid(kind, eventFor(kind, (e) => void (e.request = request as never))).message).toContain('request');
    });

    it('a missing response', () => {
      expect(invalid(kind, eventFor(kind, (e) => delete e.response)).message).toContain('response');
    });

    it('userAttributes with a non-string value', () => {
      const error = invalid(kind, eventFor(kind, (e) => void (e.request.userAttributes = { email: 'jo@example.com', email_verified: true })));
      expect(error.message).toContain('request.userAttributes');
    });

    it('userAttributes that are an array', () => {
      expect(invalid(kind, eventFor(kind, (e) => void (e.request.userAttributes = ['jo']))).message).toContain('request.userAttributes');
    });

    it('clientMetadata with a non-string value', () => {
      expect(invalid(kind, eventFor(kind, (e) => void (e.request.clientMetadata = { otpResend: true }))).message).toContain(
        'request.clientMetadata',
      );
    });

    it('a userNotFound that is not a boolean', () => {
      expect(invalid(kind, eventFor(kind, (e) => void (e.request.userNotFound = 'true'))).message).toContain('request.userNotFound');
    });
  });

  describe.each(['define', 'create'] as const)('malformed %s sessions give an InvalidEventError naming the field', (kind) => {
    it.each([{}, 'CUSTOM_CHALLENGE', 3])('a session that is not an array (%j)', (session) => {
      expect(invalid(kind, eventFor(kind, (e) => void (e.request.session = session))).message).toContain('request.session must be an array');
    });

    it('a session entry that is not an object', () => {
      expect(invalid(kind, eventFor(kind, (e) => void (e.request.session = ['SRP_A']))).message).toContain('request.session[0]');
    });

    it('a session entry without a string challengeName', () => {
      const session = [{ challengeName: 'SRP_A', challengeResult: true }, { challengeName: 7, challengeResult: true }];
      expect(invalid(kind, eventFor(kind, (e) => void (e.request.session = session))).message).toContain('request.session[1].challengeName');
    });

    it.each(['true', 1, null, undefined])('a challengeResult that is not a boolean (%j)', (challengeResult) => {
      const session = [{ challengeName: 'CUSTOM_CHALLENGE', challengeResult }];
      expect(invalid(kind, eventFor(kind, (e) => void (e.request.session = session))).message).toContain(
        'request.session[0].challengeResult',
      );
    });
  });

  describe('Create specifics', () => {
    it.each([undefined, 1, null])('a challengeName that is not a string (%j) is refused', (challengeName) => {
      expect(invalid('create', eventFor('create', (e) => void (e.request.challengeName = challengeName))).message).toContain(
        'request.challengeName',
      );
    });
  });

  describe('Verify specifics', () => {
    it.each([undefined, null])('privateChallengeParameters that are %s are refused', (value) => {
      expect(invalid('verify', eventFor('verify', (e) => void (e.request.privateChallengeParameters = value))).message).toContain(
        'request.privateChallengeParameters',
      );
    });

    it('privateChallengeParameters with a non-string value are refused', () => {
      expect(
        invalid('verify', eventFor('verify', (e) => void (e.request.privateChallengeParameters = { codeId: 1 }))).message,
      ).toContain('request.privateChallengeParameters');
    });

    it.each([123456, null, undefined, true, {}, ['123456']])('a challengeAnswer that is not a string (%j) reads as undefined', (answer) => {
      const event = eventFor('verify', (e) => void (e.request.challengeAnswer = answer));
      expect(() => parseVerifyEvent(event)).not.toThrow();
      expect(parseVerifyEvent(event).challengeAnswer).toBeUndefined();
    });

    it('an empty string answer is kept as it is', () => {
      expect(parseVerifyEvent(eventFor('verify', (e) => void (e.request.challengeAnswer = ''))).challengeAnswer).toBe('');
    });
  });
});
