/**
 * The renderer's side of the one resource tree (shared/i18n): i18next with react-i18next serves it
 * to components (`useTranslation`, re-render on a language change, plurals by `count`), all pages
 * in one namespace loaded at start, nothing registered during render. The language follows the OS /
 * browser (navigator.languages) until the user picks one, which is remembered.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Lang } from '../../../shared/i18n';
import { en } from '../../../shared/i18n/en';
import { fr } from '../../../shared/i18n/fr';

export type { Lang };
const KEY = 'sparkpolar.lang';

export function systemLanguage(): Lang {
  const list = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of list) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'fr' || base === 'en') return base;
  }
  return 'en';
}

export function savedLanguage(): Lang | null {
  const value = localStorage.getItem(KEY);
  return value === 'en' || value === 'fr' ? value : null;
}

export function initI18n(): typeof i18next {
  const lng = savedLanguage() ?? systemLanguage();
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, fr: { translation: fr } },
    lng,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = lng;
  return i18next;
}

/** `null` returns to the system language. */
export function setLanguage(lang: Lang | null): void {
  if (lang) localStorage.setItem(KEY, lang);
  else localStorage.removeItem(KEY);
  const next = lang ?? systemLanguage();
  void i18next.changeLanguage(next);
  document.documentElement.lang = next;
}

export function currentLang(): Lang {
  return i18next.language === 'fr' ? 'fr' : 'en';
}
