// UI strings in five languages (src/locales/*.json); Arabic turns the layout right to left.
import i18next from 'i18next';
import en from './locales/en.json';
import ar from './locales/ar.json';
import ru from './locales/ru.json';
import hy from './locales/hy.json';
import az from './locales/az.json';

export const LANGUAGES = ['en', 'ar', 'ru', 'hy', 'az'] as const;
export type Lang = (typeof LANGUAGES)[number];
const RTL = new Set<string>(['ar']);

export async function initI18n(lang: Lang): Promise<void> {
  await i18next.init({
    lng: lang,
    fallbackLng: false,
    resources: {
      en: { translation: en },
      ar: { translation: ar },
      ru: { translation: ru },
      hy: { translation: hy },
      az: { translation: az },
    },
    interpolation: { escapeValue: false },
    // No advertisement in the users' consoles.
    showSupportNotice: false,
  });
  applyDocument(lang);
}

export async function setLanguage(lang: Lang): Promise<void> {
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

export function fmtNumber(n: number): string {
  return new Intl.NumberFormat(lang()).format(n);
}
