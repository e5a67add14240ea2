import { describe, expect, it } from 'vitest';
import { loadCreateConfig, loadDefineConfig, loadVerifyConfig, parseSecret } from '../../../shared/auth/config.js';
import type { Env } from '../../../shared/env.js';
import { ConfigError, TriggerError } from '../../../shared/errors.js';

const SECRET_32 = 'plain-secret-of-32-bytes-exactly';
const BASE: Env = { OTP_TABLE: 'otp-codes', OTP_SECRET: SECRET_32, EMAIL_FROM: 'Example <no-reply@example.com>', SMS_ALLOWED_COUNTRIES: 'US' };
const env = (overrides: Record<string, string | undefined>): Env => ({ ...BASE, ...overrides });

function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(TriggerError);
    expect((error as Error).name).toBe('ConfigError');
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('custom-auth configuration', () => {
  it('the test secret is exactly 32 bytes', () => {
    expect(Buffer.byteLength(SECRET_32)).toBe(32);
  });

  describe('defaults', () => {
    it('Define: 3 attempts, passwordless allowed', () => {
      expect(loadDefineConfig({})).toEqual({ maxAttempts: 3, allowPasswordless: true });
    });

    it('Create: 6 digits, 300 s, EMAIL then SMS, lockout 10 failures for 900 s', () => {
      const config = loadCreateConfig(BASE);
      expect(config).toMatchObject({
        tableName: 'otp-codes',
        codeLength: 6,
        ttlSeconds: 300,
        channels: ['EMAIL', 'SMS'],
        lockoutThreshold: 10,
        lockoutSeconds: 900,
        emailFrom: 'Example <no-reply@example.com>',
        appName: 'our app',
        smsSenderId: undefined,
        sesConfigurationSet: undefined,
        retryWindowSeconds: 20,
      });
      expect(config.secret.equals(Buffer.from(SECRET_32, 'utf8'))).toBe(true);
    });

    it('Verify: lockout 10 failures for 900 s', () => {
      expect(loadVerifyConfig(BASE)).toMatchObject({ tableName: 'otp-codes', lockoutThreshold: 10, lockoutSeconds: 900 });
    });

    it('empty or blank values count as unset', () => {
      expect(loadCreateConfig(env({ OTP_LENGTH: '', OTP_TTL_SECONDS: '  ', OTP_CHANNELS: '' }))).toMatchObject({
        codeLength: 6,
        ttlSeconds: 300,
        channels: ['EMAIL', 'SMS'],
      });
    });
  });

  describe('values in range are taken', () => {
    it.each(['6', '10'])('OTP_LENGTH %s', (value) => {
      expect(loadCreateConfig(env({ OTP_LENGTH: value })).codeLength).toBe(Number(value));
    });

    it.each(['30', '600'])('OTP_TTL_SECONDS %s', (value) => {
      expect(loadCreateConfig(env({ OTP_TTL_SECONDS: value })).ttlSeconds).toBe(Number(value));
    });

    it.each(['1', '10'])('OTP_MAX_ATTEMPTS %s', (value) => {
      expect(loadDefineConfig({ OTP_MAX_ATTEMPTS: value }).maxAttempts).toBe(Number(value));
    });

    it.each([
      ['false', false],
      ['FALSE', false],
      ['0', false],
      ['no', false],
      ['true', true],
      ['yes', true],
    ])('OTP_ALLOW_PASSWORDLESS %s', (value, allowed) => {
      expect(loadDefineConfig({ OTP_ALLOW_PASSWORDLESS: value }).allowPasswordless).toBe(allowed);
    });

    it('OTP_CHANNELS in any case and order, duplicates once', () => {
      expect(loadCreateConfig(env({ OTP_CHANNELS: 'sms, Email,SMS' })).channels).toEqual(['SMS', 'EMAIL']);
    });

    it('a plain EMAIL_FROM address', () => {
      expect(loadCreateConfig(env({ EMAIL_FROM: 'no-reply@example.com' })).emailFrom).toBe('no-reply@example.com');
    });
  });

  describe('an invalid or missing value throws a ConfigError naming the variable', () => {
    it.each([
      ['OTP_LENGTH', '5'],
      ['OTP_LENGTH', '11'],
      ['OTP_LENGTH', 'six'],
      ['OTP_LENGTH', '6.5'],
      ['OTP_LENGTH', '-6'],
      ['OTP_TTL_SECONDS', '601'],
      ['OTP_TTL_SECONDS', '29'],
      ['OTP_TTL_SECONDS', '5m'],
      ['OTP_LOCKOUT_THRESHOLD', '0'],
      ['OTP_LOCKOUT_THRESHOLD', '101'],
      ['OTP_LOCKOUT_SECONDS', '0'],
      ['OTP_LOCKOUT_SECONDS', '86401'],
      ['OTP_RETRY_WINDOW_SECONDS', '61'],
      ['OTP_CHANNELS', 'FAX'],
      ['OTP_CHANNELS', 'EMAIL,FAX'],
      ['OTP_CHANNELS', ' , '],
      ['EMAIL_FROM', 'not an address'],
      ['EMAIL_FROM', 'Example <not an address>'],
      ['SMS_SENDER_ID', 'TOO-LONG-SENDER'],
      ['SMS_SENDER_ID', '12345'],
    ])('%s=%j (Create)', (name, value) => {
      const error = configError(() => loadCreateConfig(env({ [name]: value })));
      expect(error.message).toContain(name);
    });

    it('the range message says what is allowed', () => {
      expect(configError(() => loadCreateConfig(env({ OTP_LENGTH: '5' }))).message).toMatch(/6 to 10/);
      expect(configError(() => loadCreateConfig(env({ OTP_TTL_SECONDS: '601' }))).message).toMatch(/30 to 600/);
    });

    it.each([
      ['OTP_MAX_ATTEMPTS', '0'],
      ['OTP_MAX_ATTEMPTS', '11'],
      ['OTP_MAX_ATTEMPTS', 'three'],
      ['OTP_ALLOW_PASSWORDLESS', 'maybe'],
    ])('%s=%j (Define)', (name, value) => {
      expect(configError(() => loadDefineConfig({ [name]: value })).message).toContain(name);
    });

    it.each([undefined, '', '   '])('OTP_TABLE missing (%j), for Create and Verify', (value) => {
      expect(configError(() => loadCreateConfig(env({ OTP_TABLE: value }))).message).toContain('OTP_TABLE');
      expect(configError(() => loadVerifyConfig(env({ OTP_TABLE: value }))).message).toContain('OTP_TABLE');
    });

    it.each([undefined, '', '   '])('EMAIL_FROM missing (%j) while the EMAIL channel is used', (value) => {
      expect(configError(() => loadCreateConfig(env({ EMAIL_FROM: value }))).message).toContain('EMAIL_FROM');
      expect(configError(() => loadCreateConfig(env({ EMAIL_FROM: value, OTP_CHANNELS: 'EMAIL' }))).message).toContain('EMAIL_FROM');
    });

    it('EMAIL_FROM is not needed when OTP_CHANNELS=SMS', () => {
      const config = loadCreateConfig(env({ EMAIL_FROM: undefined, OTP_CHANNELS: 'SMS' }));
      expect(config.channels).toEqual(['SMS']);
      expect(config.emailFrom).toBeUndefined();
    });
  });

  describe('OTP_SECRET', () => {
    const secretError = (value: string | undefined) => configError(() => parseSecret(env({ OTP_SECRET: value })));

    it.each([undefined, '', '   '])('missing (%j) is refused, for Create and Verify', (value) => {
      expect(secretError(value).message).toContain('OTP_SECRET');
      expect(configError(() => loadCreateConfig(env({ OTP_SECRET: value }))).message).toContain('OTP_SECRET');
      expect(configError(() => loadVerifyConfig(env({ OTP_SECRET: value }))).message).toContain('OTP_SECRET');
    });

    it('31 bytes is too short', () => {
      const error = secretError(SECRET_32.slice(1));
      expect(error.message).toContain('OTP_SECRET');
      expect(error.message).toContain('32');
    });

    it('32 bytes of plain text is taken as UTF-8 bytes', () => {
      expect(parseSecret(env({ OTP_SECRET: SECRET_32 })).equals(Buffer.from(SECRET_32))).toBe(true);
    });

    it('bytes, not characters, are counted: 16 two-byte characters are enough', () => {
      expect(parseSecret(env({ OTP_SECRET: 'é'.repeat(16) }))).toHaveLength(32);
      expect(secretError('é'.repeat(15)).message).toContain('OTP_SECRET');
    });

    it('an unresolved {{resolve:...}} reference is refused', () => {
      const error = secretError('{{resolve:secretsmanager:otp-secret:SecretString:key}}');
      expect(error.message).toContain('OTP_SECRET');
      expect(error.message).toMatch(/unresolved/);
    });

    it('base64: decodes to the key bytes', () => {
      const key = Buffer.from(Array.from({ length: 32 }, (_, index) => index * 7));
      expect(parseSecret(env({ OTP_SECRET: `base64:${key.toString('base64')}` })).equals(key)).toBe(true);
    });

    it('base64: of 31 bytes is too short', () => {
      expect(secretError(`base64:${Buffer.alloc(31, 1).toString('base64')}`).message).toContain('OTP_SECRET');
    });

    it('hex: decodes to the key bytes, in either case', () => {
      const key = Buffer.from(Array.from({ length: 32 }, (_, index) => 255 - index));
      expect(parseSecret(env({ OTP_SECRET: `hex:${key.toString('hex')}` })).equals(key)).toBe(true);
      expect(parseSecret(env({ OTP_SECRET: `hex:${key.toString('hex').toUpperCase()}` })).equals(key)).toBe(true);
    });

    it.each([
      ['a non-hex digit', `hex:${'zz'.repeat(32)}`],
      ['an odd number of digits', `hex:${'a'.repeat(65)}`],
      ['nothing after the prefix', 'hex:'],
      ['only 31 bytes', `hex:${'ab'.repeat(31)}`],
    ])('hex: with %s is refused', (_what, value) => {
      expect(secretError(value).message).toContain('OTP_SECRET');
    });

    describe('the error message never contains the secret value', () => {
      const cases: [string, string, string][] = [
        ['too short plain text', 'short-but-secret-value', 'short-but-secret-value'],
        ['31 bytes of plain text', 'S3cr3t-S3cr3t-S3cr3t-S3cr3t-S3c', 'S3cr3t-S3cr3t-S3cr3t-S3cr3t-S3c'],
        ['bad hex', `hex:${'0123456789abcdeg'.repeat(4)}`, '0123456789abcdeg'],
        ['short hex', `hex:${'deadbeef'.repeat(7)}`, 'deadbeef'],
        ['short base64', `base64:${Buffer.from('base64-secret-bytes').toString('base64')}`, Buffer.from('base64-secret-bytes').toString('base64')],
        ['a reference', '{{resolve:ssm-secure:/otp/secret-name}}', '/otp/secret-name'],
      ];

      it.each(cases)('%s', (_what, value, secretPart) => {
        const error = secretError(value);
        expect(error.message).not.toContain(secretPart);
        expect(error.stack ?? '').not.toContain(secretPart);
        expect(String(error)).not.toContain(secretPart);
      });

      it('when another variable is invalid, the valid secret is not in the message either', () => {
        for (const overrides of [{ OTP_LENGTH: '5' }, { OTP_CHANNELS: 'FAX' }, { EMAIL_FROM: 'bad' }, { OTP_TABLE: undefined }]) {
          expect(configError(() => loadCreateConfig(env(overrides))).message).not.toContain(SECRET_32);
        }
      });
    });
  });

  describe('operator text never carries control characters (they would split an email header or an SMS)', () => {
    it.each([
      ['APP_NAME', 'Acme\r\nBcc: victim@example.com', '000D'],
      ['APP_NAME', 'Acme\u0000', '0000'],
      ['APP_NAME', 'Ac\u2028me', '2028'],
      ['EMAIL_FROM', 'Acme <no-reply@example.com>\nX: y', '000A'],
      ['SES_CONFIGURATION_SET', 'set\u0085x', '0085'],
      ['OTP_TABLE', 'otp\tcodes', '0009'],
    ])('%s with U+%s fails the cold start naming the variable', (name, value, code) => {
      const error = configError(() => loadCreateConfig(env({ [name]: value })));
      expect(error.message).toContain(name);
      expect(error.message).toContain(`U+${code}`);
    });

    it('a trailing newline from copy and paste is trimmed, not refused', () => {
      expect(loadCreateConfig(env({ APP_NAME: 'Acme\n' })).appName).toBe('Acme');
    });
  });

  it.each([['base64:!!!!'], ['base64:abcde'], ['base64:ab cd']])('OTP_SECRET=%s says it is not valid base64, never quoting it', (value) => {
    const error = configError(() => parseSecret({ OTP_SECRET: value }));
    expect(error.message).toBe('OTP_SECRET after "base64:" is not valid base64.');
  });
});
