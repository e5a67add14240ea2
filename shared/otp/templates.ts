/** Message texts per language, chosen by the user's `locale` attribute, English as the fallback. */

export const LANGUAGES = ['en', 'es', 'de', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface CodeMessageInput {
  code: string;
  appName: string;
  minutesValid: number;
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

interface Phrases {
  subject: (appName: string) => string;
  intro: (appName: string) => string;
  validity: (minutes: number) => string;
  ignore: string;
  sms: (input: CodeMessageInput) => string;
}

const PHRASES: Record<Language, Phrases> = {
  en: {
    subject: (app) => `Your ${app} sign-in code`,
    intro: (app) => `Your ${app} sign-in code is:`,
    validity: (m) => `It expires in ${m} minute${m === 1 ? '' : 's'}. Do not share it with anyone.`,
    ignore: 'If you did not try to sign in, you can ignore this message.',
    sms: ({ code, appName, minutesValid }) => `${code} is your ${appName} sign-in code. It expires in ${minutesValid} min. Do not share it.`,
  },
  es: {
    subject: (app) => `Tu código de acceso a ${app}`,
    intro: (app) => `Tu código de acceso a ${app} es:`,
    validity: (m) => `Caduca en ${m} minuto${m === 1 ? '' : 's'}. No lo compartas con nadie.`,
    ignore: 'Si no has intentado iniciar sesión, ignora este mensaje.',
    sms: ({ code, appName, minutesValid }) => `${code} es tu código de acceso a ${appName}. Caduca en ${minutesValid} min. No lo compartas.`,
  },
  de: {
    subject: (app) => `Ihr Anmeldecode für ${app}`,
    intro: (app) => `Ihr Anmeldecode für ${app} lautet:`,
    validity: (m) => `Er läuft in ${m} Minute${m === 1 ? '' : 'n'} ab. Geben Sie ihn an niemanden weiter.`,
    ignore: 'Wenn Sie sich nicht anmelden wollten, ignorieren Sie diese Nachricht.',
    sms: ({ code, appName, minutesValid }) => `${code} ist Ihr Anmeldecode für ${appName}. Gültig für ${minutesValid} Min. Nicht weitergeben.`,
  },
  fr: {
    subject: (app) => `Votre code de connexion ${app}`,
    intro: (app) => `Votre code de connexion ${app} est :`,
    validity: (m) => `Il expire dans ${m} minute${m === 1 ? '' : 's'}. Ne le communiquez à personne.`,
    ignore: "Si vous n'avez pas essayé de vous connecter, ignorez ce message.",
    sms: ({ code, appName, minutesValid }) => `${code} est votre code de connexion ${appName}. Il expire dans ${minutesValid} min. Ne le partagez pas.`,
  },
};

/** "es-MX", "de_DE", "FR" → a supported language; anything else → English. */
export function languageForLocale(locale: string | undefined): Language {
  const prefix = locale?.trim().split(/[-_]/)[0]?.toLowerCase();
  return LANGUAGES.find((language) => language === prefix) ?? 'en';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderEmail(language: Language, input: CodeMessageInput): EmailContent {
  const p = PHRASES[language];
  const text = [p.intro(input.appName), '', input.code, '', p.validity(input.minutesValid), p.ignore].join('\n');
  const html = [
    `<!doctype html><html lang="${language}"><body style="font-family:sans-serif">`,
    `<p>${escapeHtml(p.intro(input.appName))}</p>`,
    `<p style="font-size:28px;font-weight:bold;letter-spacing:4px">${escapeHtml(input.code)}</p>`,
    `<p>${escapeHtml(p.validity(input.minutesValid))}</p>`,
    `<p style="color:#666">${escapeHtml(p.ignore)}</p>`,
    '</body></html>',
  ].join('');
  return { subject: p.subject(input.appName), text, html };
}

export function renderSms(language: Language, input: CodeMessageInput): string {
  return PHRASES[language].sms(input);
}
