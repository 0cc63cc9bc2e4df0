// UI strings in five languages (src/locales/*.json); Arabic turns the layout right to left.
import i18next from 'i18next';

export const LANGUAGES = ['en', 'ar', 'ru', 'hy', 'az'] as const;
export type Lang = (typeof LANGUAGES)[number];
const RTL = new Set<string>(['ar']);

// Each language's strings are a chunk of their own, fetched when the language is chosen.
const STRINGS: Record<Lang, () => Promise<{ default: object }>> = {
  en: () => import('./locales/en.json'),
  ar: () => import('./locales/ar.json'),
  ru: () => import('./locales/ru.json'),
  hy: () => import('./locales/hy.json'),
  az: () => import('./locales/az.json'),
};

export async function initI18n(lang: Lang): Promise<void> {
  await i18next.init({
    lng: lang,
    fallbackLng: false,
    resources: { [lang]: { translation: (await STRINGS[lang]()).default } },
    interpolation: { escapeValue: false },
    // No advertisement in the users' consoles.
    showSupportNotice: false,
  });
  applyDocument(lang);
}

export async function setLanguage(lang: Lang): Promise<void> {
  if (!i18next.hasResourceBundle(lang, 'translation')) i18next.addResourceBundle(lang, 'translation', (await STRINGS[lang]()).default);
  await i18next.changeLanguage(lang);
  applyDocument(lang);
}

function applyDocument(lang: Lang): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = RTL.has(lang) ? 'rtl' : 'ltr';
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n ?? '');
  }
}

export function t(key: string, vars?: Record<string, unknown>): string {
  return i18next.t(key, vars ?? {});
}

export function lang(): Lang {
  return (i18next.language as Lang) ?? 'en';
}

/// A scenario name in the current language, else English, else any.
export function named(names: Record<string, string> | undefined): string {
  if (!names) return '';
  return names[lang()] ?? names.en ?? Object.values(names)[0] ?? '';
}

/// Dates and numbers in the current language's conventions.
export function fmtDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : new Intl.DateTimeFormat(lang(), { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

export function fmtDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : new Intl.DateTimeFormat(lang(), { dateStyle: 'short', timeStyle: 'short', timeZone: 'UTC' }).format(d);
}

export function fmtNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(lang(), options).format(n);
}
