import { describe, expect, it } from 'vitest';
import {
  challengeMetadataFor,
  chooseDestination,
  CLIENT_METADATA_KEYS,
  codeIdFromMetadata,
  codeStateKey,
  decoyDestination,
  foldCase,
  planChallenge,
  roundKeyFor,
  typedIdentifier,
} from '../../../shared/auth/challenge.js';
import type { Channel } from '../../../shared/auth/config.js';
import type { SessionEntry } from '../../../shared/auth/events.js';
import { maskEmail, maskPhone } from '../../../shared/otp/mask.js';
import type { IssuedCode, UserCodeState } from '../../../shared/store/codeStore.js';

const BOTH: Channel[] = ['EMAIL', 'SMS'];
const SMS_FIRST: Channel[] = ['SMS', 'EMAIL'];
const SECRET = Buffer.from('unit-test-secret-0123456789-abcdefghijklmnop', 'utf8');

const EMAIL_ATTRS = { email: 'jo@example.com', email_verified: 'true' };
const PHONE_ATTRS = { phone_number: '+12125550100', phone_number_verified: 'true' };
const BOTH_ATTRS = { ...EMAIL_ATTRS, ...PHONE_ATTRS };

/** Shapes of the masks shown for real destinations. */
const EMAIL_MASK = /^[^@*]\*\*\*@[^@*]\*\*\*\.[^@*.]+$/u;
const PHONE_MASK = /^\+\*+\d{4}$/;

describe('chooseDestination', () => {
  it('picks the first configured channel the user has verified', () => {
    expect(chooseDestination(BOTH_ATTRS, BOTH, undefined)).toEqual({ channel: 'EMAIL', address: 'jo@example.com', masked: 'j***@e***.com' });
    expect(chooseDestination(BOTH_ATTRS, SMS_FIRST, undefined)).toEqual({ channel: 'SMS', address: '+12125550100', masked: '+*******0100' });
  });

  it('skips a configured channel the user has not verified', () => {
    const attributes = { ...BOTH_ATTRS, email_verified: 'false' };
    expect(chooseDestination(attributes, BOTH, undefined)?.channel).toBe('SMS');
  });

  it.each([
    ['email_verified "false"', { email: 'jo@example.com', email_verified: 'false' }, ['EMAIL'] as Channel[]],
    ['no email_verified at all', { email: 'jo@example.com' }, ['EMAIL'] as Channel[]],
    ['email_verified "TRUE"-ish values other than "true"', { email: 'jo@example.com', email_verified: 'yes' }, ['EMAIL'] as Channel[]],
    ['phone_number_verified "false"', { phone_number: '+12125550100', phone_number_verified: 'false' }, ['SMS'] as Channel[]],
    ['a verified flag without an address', { email_verified: 'true', phone_number_verified: 'true' }, BOTH],
  ])('never uses an unverified destination (%s)', (_what, attributes, channels) => {
    expect(chooseDestination(attributes, channels, undefined)).toBeUndefined();
  });

  it('never uses a verified channel that is not configured', () => {
    expect(chooseDestination(PHONE_ATTRS, ['EMAIL'], undefined)).toBeUndefined();
    expect(chooseDestination(PHONE_ATTRS, ['EMAIL'], 'SMS')).toBeUndefined();
  });

  it('with no attributes at all, gives no destination', () => {
    expect(chooseDestination({}, BOTH, undefined)).toBeUndefined();
  });

  it.each(['SMS', 'sms', 'Sms'])('honours a request (%s) for another verified channel', (requested) => {
    expect(chooseDestination(BOTH_ATTRS, BOTH, requested)?.channel).toBe('SMS');
  });

  it('honours a request for the first channel too', () => {
    expect(chooseDestination(BOTH_ATTRS, SMS_FIRST, 'EMAIL')?.channel).toBe('EMAIL');
  });

  it('ignores a request for a channel the user has not verified', () => {
    const attributes = { ...BOTH_ATTRS, phone_number_verified: 'false' };
    expect(chooseDestination(attributes, BOTH, 'SMS')).toEqual({ channel: 'EMAIL', address: 'jo@example.com', masked: 'j***@e***.com' });
  });

  it('ignores a request for a channel that is not configured', () => {
    expect(chooseDestination(BOTH_ATTRS, ['EMAIL'], 'SMS')?.channel).toBe('EMAIL');
  });

  it.each(['FAX', '', ' sms'])('ignores a request for an unknown channel (%j)', (requested) => {
    expect(chooseDestination(BOTH_ATTRS, BOTH, requested)?.channel).toBe('EMAIL');
  });
});

describe('decoyDestination', () => {
  it('is the same every time for the same user name', () => {
    expect(decoyDestination('ghost', BOTH, SECRET)).toEqual(decoyDestination('ghost', BOTH, SECRET));
    expect(decoyDestination('ghost', ['SMS'], SECRET)).toEqual(decoyDestination('ghost', ['SMS'], SECRET));
  });

  it('is never sent anywhere (no address)', () => {
    for (const name of ['ghost', 'ghost@example.com', '+12125550123']) {
      for (const channels of [BOTH, SMS_FIRST, ['EMAIL'], ['SMS']] as Channel[][]) {
        expect(decoyDestination(name, channels, SECRET).address).toBeUndefined();
      }
    }
  });

  it('varies between user names', () => {
    const names = Array.from({ length: 30 }, (_, index) => `ghost-${index}`);
    expect(new Set(names.map((name) => decoyDestination(name, ['EMAIL'], SECRET).masked)).size).toBeGreaterThan(10);
    expect(new Set(names.map((name) => decoyDestination(name, ['SMS'], SECRET).masked)).size).toBeGreaterThan(10);
  });

  it('depends on the secret, so it cannot be predicted from the user name alone', () => {
    const other = Buffer.from('another-secret-0123456789-abcdefghijklmnopq', 'utf8');
    const names = Array.from({ length: 10 }, (_, index) => `ghost-${index}`);
    const differs = names.some((name) => decoyDestination(name, ['SMS'], SECRET).masked !== decoyDestination(name, ['SMS'], other).masked);
    expect(differs).toBe(true);
  });

  it('an email decoy has the shape of a real masked email', () => {
    const decoy = decoyDestination('ghost', ['EMAIL'], SECRET);
    expect(decoy.channel).toBe('EMAIL');
    expect(decoy.masked).toMatch(EMAIL_MASK);
    expect(maskEmail('jo@example.com')).toMatch(EMAIL_MASK);
  });

  it('an SMS decoy has the shape of a real masked phone number', () => {
    const decoy = decoyDestination('ghost', ['SMS'], SECRET);
    expect(decoy.channel).toBe('SMS');
    expect(decoy.masked).toMatch(PHONE_MASK);
    expect(decoy.masked).toHaveLength(maskPhone('+12125550100').length);
  });

  it('for a user name that is an email address, shows that address masked, as for a real user', () => {
    expect(decoyDestination('nobody@example.org', BOTH, SECRET)).toEqual({ channel: 'EMAIL', address: undefined, masked: maskEmail('nobody@example.org'), decoyFor: 'nobody@example.org' });
    expect(decoyDestination('nobody@example.org', SMS_FIRST, SECRET).channel).toBe('EMAIL');
  });

  it('for a user name that is a phone number, shows that number masked, as for a real user', () => {
    expect(decoyDestination('+12125550123', BOTH, SECRET)).toEqual({ channel: 'SMS', address: undefined, masked: maskPhone('+12125550123'), decoyFor: '+12125550123' });
  });

  describe('the channel follows the configuration', () => {
    it('with only EMAIL configured, is an email even for a phone-like user name', () => {
      const decoy = decoyDestination('+12125550123', ['EMAIL'], SECRET);
      expect(decoy.channel).toBe('EMAIL');
      expect(decoy.masked).toMatch(EMAIL_MASK);
    });

    it('with only SMS configured, is a phone number even for an email-like user name', () => {
      const decoy = decoyDestination('nobody@example.org', ['SMS'], SECRET);
      expect(decoy.channel).toBe('SMS');
      expect(decoy.masked).toMatch(PHONE_MASK);
    });

    it('for a plain user name, uses the first configured channel', () => {
      expect(decoyDestination('ghost', BOTH, SECRET).channel).toBe('EMAIL');
      expect(decoyDestination('ghost', SMS_FIRST, SECRET).channel).toBe('SMS');
    });
  });
});

describe('decoys cannot be told from real destinations', () => {
  const names = Array.from({ length: 300 }, (_, index) => `User.${index}_Ñame`);
  const US = new Set(['US']);

  it('an invented email mask holds only a lower-case ASCII letter, the stars and ".com", as a typical real one', () => {
    for (const name of names) expect(decoyDestination(name, ['EMAIL'], SECRET).masked).toMatch(/^[a-z]\*\*\*@[a-z]\*\*\*\.com$/);
  });

  it('an invented phone mask holds only stars and four digits, as long as a real US number’s', () => {
    for (const name of names) expect(decoyDestination(name, ['SMS'], SECRET).masked).toMatch(/^\+\*{7}\d{4}$/);
  });

  it.each(['Nobody@Example.ORG', 'NOBODY@EXAMPLE.ORG', ' nobody@example.org '])('a typed address in any case (%j) shows as a real user’s stored address would', (typed) => {
    expect(decoyDestination(typed, ['EMAIL'], SECRET)).toEqual({ channel: 'EMAIL', address: undefined, masked: 'n***@e***.org', decoyFor: 'nobody@example.org' });
    expect(decoyDestination(typed, ['EMAIL'], SECRET).masked).toBe(chooseDestination({ email: 'nobody@example.org', email_verified: 'true' }, ['EMAIL'], undefined)?.masked);
  });

  it('a typed phone number shows as the real number would, in E.164', () => {
    expect(decoyDestination('+1 212 555 0123', ['SMS'], SECRET, US)).toEqual({ channel: 'SMS', address: undefined, masked: '+*******0123', decoyFor: '+12125550123' });
  });

  it('a phone number in a country SMS may not go to gets what a real user with that number gets: no SMS, so an invented destination on the first channel', () => {
    const decoy = decoyDestination('+447700900123', ['SMS'], SECRET, US);
    expect(decoy.masked).not.toBe(maskPhone('+447700900123'));
    expect(decoy.decoyFor).toBe('decoy +447700900123');
    expect(decoyDestination('+447700900123', ['SMS', 'EMAIL'], SECRET, US).channel).toBe('SMS');
  });

  it('the invented destination is the same for a name in any case', () => {
    expect(decoyDestination('GHOST', BOTH, SECRET)).toEqual(decoyDestination('ghost', BOTH, SECRET));
  });
});

describe('typedIdentifier: what the user most likely typed', () => {
  const known = (userName: string, userAttributes: Record<string, string> = {}) => ({ userName, userNotFound: false, userAttributes });

  it('for an unknown user, the name as Cognito passed it', () => {
    expect(typedIdentifier({ userName: 'Ghost', userNotFound: true, userAttributes: { email: 'x@y.z' } })).toBe('Ghost');
  });

  it('for a known user whose name is an address, the name', () => {
    expect(typedIdentifier(known('jo@example.com', { phone_number: '+12125550100' }))).toBe('jo@example.com');
    expect(typedIdentifier(known('+12125550100', { email: 'jo@example.com' }))).toBe('+12125550100');
  });

  it('for a known user with an internal name (the sub), the email on file, else the phone, else the name', () => {
    expect(typedIdentifier(known('0b7c-uuid', { email: 'jo@example.com', phone_number: '+12125550100' }))).toBe('jo@example.com');
    expect(typedIdentifier(known('0b7c-uuid', { phone_number: '+12125550100' }))).toBe('+12125550100');
    expect(typedIdentifier(known('0b7c-uuid'))).toBe('0b7c-uuid');
  });
});

describe('codeStateKey', () => {
  it('a known user’s state is under their name, unchanged', () => {
    expect(codeStateKey({ userName: 'Jo', userNotFound: false })).toBe('Jo');
  });

  it('an unknown name is folded (ASCII only) and kept apart from every real name (which has no spaces)', () => {
    expect(codeStateKey({ userName: 'GHOST@Example.com', userNotFound: true })).toBe('unknown ghost@example.com');
    expect(codeStateKey({ userName: '\u212Aim', userNotFound: true })).toBe('unknown \u212Aim');
  });

  it('foldCase lowers A–Z only', () => {
    expect(foldCase('AZaz\u212A\u0130')).toBe('azaz\u212A\u0130');
  });
});

describe('roundKeyFor', () => {
  const session: SessionEntry[] = [{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'OTP-abc' }];
  const base = { userName: 'jo', session, clientMetadata: {} };

  it('gives the same key for the same inputs', () => {
    expect(roundKeyFor(base)).toBe(roundKeyFor(structuredClone(base)));
    expect(roundKeyFor(base)).toHaveLength(32);
  });

  it.each([
    ['the user name', { ...base, userName: 'ana' }],
    ['one more session round', { ...base, session: [...session, { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false }] }],
    ['an empty session', { ...base, session: [] }],
    ['the challenge result', { ...base, session: [{ ...session[0]!, challengeResult: true }] }],
    ['the challenge metadata', { ...base, session: [{ ...session[0]!, challengeMetadata: 'OTP-xyz' }] }],
    ['a requested channel', { ...base, clientMetadata: { [CLIENT_METADATA_KEYS.channel]: 'SMS' } }],
    ['a resend request', { ...base, clientMetadata: { [CLIENT_METADATA_KEYS.resend]: 'true' } }],
  ])('differs when %s differs', (_what, changed) => {
    expect(roundKeyFor(changed)).not.toBe(roundKeyFor(base));
  });

  it('ignores clientMetadata keys the triggers do not read', () => {
    expect(roundKeyFor({ ...base, clientMetadata: { trackingId: 'x' } })).toBe(roundKeyFor(base));
  });
});

describe('challenge metadata', () => {
  it('carries the code id there and back', () => {
    expect(codeIdFromMetadata(challengeMetadataFor('abc'))).toBe('abc');
  });

  it.each([undefined, '', 'EMAIL_OTP_1', 'otp-abc'])('metadata %j carries no code id', (metadata) => {
    expect(codeIdFromMetadata(metadata)).toBeUndefined();
  });
});

describe('planChallenge', () => {
  const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
  const WINDOW = 20_000;
  const ROUND = 'round-key-1';
  const live: IssuedCode & { used: boolean; withdrawn: boolean } = {
    codeId: 'code-1',
    codeHash: 'hash',
    channel: 'EMAIL',
    maskedDestination: 'j***@e***.com',
    codeLength: 6,
    issuedAt: NOW - 5_000,
    expiresAt: NOW + 295_000,
    roundKey: ROUND,
    used: false,
    withdrawn: false,
  };
  const stateWith = (code: Partial<typeof live> | undefined, rest: Partial<UserCodeState> = {}): UserCodeState => ({
    code: code === undefined ? undefined : { ...live, ...code },
    failedAttempts: 0,
    lockedUntil: undefined,
    ...rest,
  });
  const afterWrongAnswer = (codeId = live.codeId): SessionEntry[] => [
    { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: challengeMetadataFor(codeId) },
  ];
  const request = (session: SessionEntry[] = [], clientMetadata: Record<string, string> = {}) => ({ session, clientMetadata });

  describe('a locked user', () => {
    it('is refused while the lock lasts', () => {
      expect(planChallenge(stateWith(live, { lockedUntil: NOW + 1 }), request(), ROUND, NOW, WINDOW)).toEqual({ action: 'refuse', reason: 'locked' });
    });

    it('is refused even for a Cognito retry of the round', () => {
      expect(planChallenge(stateWith(live, { lockedUntil: NOW + 60_000 }), request(), ROUND, NOW, WINDOW).action).toBe('refuse');
    });

    it('is refused without a live code too', () => {
      expect(planChallenge(stateWith(undefined, { lockedUntil: NOW + 1 }), request(), ROUND, NOW, WINDOW).action).toBe('refuse');
    });

    it.each([0, 1])('is no longer refused when the lock ended %i ms ago', (ago) => {
      expect(planChallenge(stateWith(undefined, { lockedUntil: NOW - ago }), request(), ROUND, NOW, WINDOW)).toEqual({
        action: 'issue',
        replacesCodeId: undefined,
      });
    });
  });

  it('with no state, issues a first code', () => {
    expect(planChallenge(undefined, request(), ROUND, NOW, WINDOW)).toEqual({ action: 'issue', replacesCodeId: undefined });
  });

  it('with state but no code (only a failure count), issues a first code', () => {
    expect(planChallenge(stateWith(undefined, { failedAttempts: 4 }), request(), ROUND, NOW, WINDOW)).toEqual({
      action: 'issue',
      replacesCodeId: undefined,
    });
  });

  describe('a Cognito retry of the same round', () => {
    it('within the window, reuses the live code and sends nothing new', () => {
      expect(planChallenge(stateWith(live), request(), ROUND, NOW, WINDOW)).toEqual({ action: 'reuse', code: { ...live }, reason: 'cognito-retry' });
    });

    it('exactly at the end of the window, still reuses', () => {
      expect(planChallenge(stateWith({ issuedAt: NOW - WINDOW }), request(), ROUND, NOW, WINDOW)).toMatchObject({ action: 'reuse', reason: 'cognito-retry' });
    });

    it('after the window, issues a replacement', () => {
      expect(planChallenge(stateWith({ issuedAt: NOW - WINDOW - 1 }), request(), ROUND, NOW, WINDOW)).toEqual({ action: 'issue', replacesCodeId: 'code-1' });
    });

    it('when the code was withdrawn (marked used after a failed send), sends again', () => {
      expect(planChallenge(stateWith({ used: true }), request(), ROUND, NOW, WINDOW)).toEqual({ action: 'issue', replacesCodeId: 'code-1' });
    });

    it('a different round key is not a retry', () => {
      expect(planChallenge(stateWith(live), request(), 'round-key-2', NOW, WINDOW)).toEqual({ action: 'issue', replacesCodeId: 'code-1' });
    });
  });

  describe('after a wrong answer in the same session', () => {
    it('reuses the live code the session was answering', () => {
      expect(planChallenge(stateWith(live), request(afterWrongAnswer()), 'round-key-2', NOW, WINDOW)).toEqual({
        action: 'reuse',
        code: { ...live },
        reason: 'same-session',
      });
    });

    it('reuses it after several wrong answers', () => {
      const session = [...afterWrongAnswer(), ...afterWrongAnswer()];
      expect(planChallenge(stateWith(live), request(session), 'round-key-3', NOW, WINDOW)).toMatchObject({ action: 'reuse', reason: 'same-session' });
    });

    it('reuses it after the password rounds of the second-factor flow', () => {
      const session: SessionEntry[] = [
        { challengeName: 'SRP_A', challengeResult: true },
        { challengeName: 'PASSWORD_VERIFIER', challengeResult: true },
        ...afterWrongAnswer(),
      ];
      expect(planChallenge(stateWith(live), request(session), 'round-key-2', NOW, WINDOW)).toMatchObject({ action: 'reuse', reason: 'same-session' });
    });

    it('reuses it when the requested channel is the live one, in any case', () => {
      const ask = { [CLIENT_METADATA_KEYS.channel]: 'email' };
      expect(planChallenge(stateWith(live), request(afterWrongAnswer(), ask), 'round-key-2', NOW, WINDOW)).toMatchObject({ action: 'reuse' });
    });

    it('issues a new code when the live code has expired', () => {
      expect(planChallenge(stateWith({ expiresAt: NOW }), request(afterWrongAnswer()), 'round-key-2', NOW, WINDOW)).toEqual({
        action: 'issue',
        replacesCodeId: 'code-1',
      });
    });

    it('issues a new code when the live code has been used', () => {
      expect(planChallenge(stateWith({ used: true }), request(afterWrongAnswer()), 'round-key-2', NOW, WINDOW)).toEqual({
        action: 'issue',
        replacesCodeId: 'code-1',
      });
    });

    it('issues a new code when the session was answering another code (the live one came from another session)', () => {
      expect(planChallenge(stateWith(live), request(afterWrongAnswer('code-0')), 'round-key-2', NOW, WINDOW)).toEqual({
        action: 'issue',
        replacesCodeId: 'code-1',
      });
    });

    it('issues a new code when a resend is requested', () => {
      const ask = { [CLIENT_METADATA_KEYS.resend]: 'true' };
      expect(planChallenge(stateWith(live), request(afterWrongAnswer(), ask), 'round-key-2', NOW, WINDOW)).toEqual({
        action: 'issue',
        replacesCodeId: 'code-1',
      });
    });

    it('does not treat otpResend other than "true" as a resend', () => {
      const ask = { [CLIENT_METADATA_KEYS.resend]: 'false' };
      expect(planChallenge(stateWith(live), request(afterWrongAnswer(), ask), 'round-key-2', NOW, WINDOW)).toMatchObject({ action: 'reuse' });
    });

    it('issues a new code when a different channel is requested', () => {
      const ask = { [CLIENT_METADATA_KEYS.channel]: 'SMS' };
      expect(planChallenge(stateWith(live), request(afterWrongAnswer(), ask), 'round-key-2', NOW, WINDOW)).toEqual({
        action: 'issue',
        replacesCodeId: 'code-1',
      });
    });
  });

  it('a new session (nothing answered yet) gets a new code, replacing the live one', () => {
    expect(planChallenge(stateWith(live), request([]), 'round-key-2', NOW, WINDOW)).toEqual({ action: 'issue', replacesCodeId: 'code-1' });
  });
});
