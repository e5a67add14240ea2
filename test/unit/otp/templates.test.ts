import { describe, expect, it } from 'vitest';
import { LANGUAGES, languageForLocale, renderEmail, renderSms } from '../../../shared/otp/templates.js';

const INPUT = { code: '081356', appName: 'Acme', minutesValid: 7 };

describe('languageForLocale', () => {
  it.each([
    ['es-MX', 'es'],
    ['es', 'es'],
    ['de_DE', 'de'],
    ['de-AT', 'de'],
    ['fr', 'fr'],
    ['fr-CA', 'fr'],
    ['FR', 'fr'],
    [' de-CH ', 'de'],
    ['en-GB', 'en'],
    ['pt-BR', 'en'],
    ['it', 'en'],
    ['', 'en'],
    ['e', 'en'],
    [undefined, 'en'],
  ])('%j → %s', (locale, language) => {
    expect(languageForLocale(locale)).toBe(language);
  });

  it.each([['frr-DE'], ['esu'], ['del']])('a three-letter language %s is not taken for a supported two-letter one', (locale) => {
    expect(languageForLocale(locale)).toBe('en');
  });
});

describe('renderEmail', () => {
  it.each(LANGUAGES)('%s: the text and html contain the code, the app name and the minutes', (language) => {
    const email = renderEmail(language, INPUT);
    for (const body of [email.text, email.html]) {
      expect(body).toContain('081356');
      expect(body).toContain('Acme');
      expect(body).toMatch(/\b7\b/);
    }
    expect(email.subject).toContain('Acme');
    expect(email.subject).not.toContain('081356');
  });

  it.each(LANGUAGES)('%s: the html declares its language', (language) => {
    expect(renderEmail(language, INPUT).html).toContain(`lang="${language}"`);
  });

  it('English says "minute" for one minute and "minutes" otherwise', () => {
    expect(renderEmail('en', { ...INPUT, minutesValid: 1 }).text).toContain('1 minute.');
    expect(renderEmail('en', INPUT).text).toContain('7 minutes.');
  });

  it('html escapes an app name such as <b>A&B</b>', () => {
    const email = renderEmail('en', { ...INPUT, appName: '<b>A&B</b>' });
    expect(email.html).not.toContain('<b>');
    expect(email.html).not.toContain('A&B');
    expect(email.html).toContain('&#60;b&#62;A&#38;B&#60;/b&#62;');
    expect(email.text).toContain('<b>A&B</b>');
  });

  it('html escapes quotes in the app name', () => {
    const html = renderEmail('en', { ...INPUT, appName: `"Bob's" <script>` }).html;
    expect(html).not.toContain('<script>');
    expect(html).not.toContain(`"Bob's"`);
  });

  it('Spanish text differs from English', () => {
    const en = renderEmail('en', INPUT);
    const es = renderEmail('es', INPUT);
    expect(es.text).not.toBe(en.text);
    expect(es.subject).not.toBe(en.subject);
    expect(es.text).toContain('código');
  });

  it('each language has its own text', () => {
    expect(new Set(LANGUAGES.map((language) => renderEmail(language, INPUT).text)).size).toBe(LANGUAGES.length);
  });
});

describe('renderSms', () => {
  it.each(LANGUAGES)('%s: contains the code, the app name and the minutes', (language) => {
    const sms = renderSms(language, INPUT);
    expect(sms).toContain('081356');
    expect(sms).toContain('Acme');
    expect(sms).toMatch(/\b7\b/);
  });

  it.each(LANGUAGES)('%s: starts with the code, so phones can offer to fill it in', (language) => {
    expect(renderSms(language, INPUT).startsWith('081356')).toBe(true);
  });

  it('Spanish text differs from English', () => {
    expect(renderSms('es', INPUT)).not.toBe(renderSms('en', INPUT));
  });
});
