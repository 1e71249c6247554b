/**
 * Minimal i18n: a React context holding the current language and a `t()` that looks keys up.
 * zh-CN is the default because the users are Chinese street and community offices; English is a
 * toggle for visitors. The choice is remembered in localStorage and can be forced with `?lang=en`.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from './en';
import { zhCN, type MessageKey, type Messages } from './zh-cn';

export type Lang = 'zh-CN' | 'en';

const CATALOGS: Record<Lang, Messages> = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'gridatlas.lang';

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  /** Translate a key; `{name}` placeholders are filled from `params`. */
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  /** Format a count with the language's digit grouping. */
  num: (n: number) => string;
}

function initialLang(): Lang {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl === 'en' || fromUrl === 'zh-CN') return fromUrl;
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh-CN') return stored;
  } catch {
    /* storage may be disabled; fall through to the default */
  }
  return 'zh-CN';
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      /* not fatal */
    }
  }, []);

  const value = useMemo<I18n>(() => {
    const catalog = CATALOGS[lang];
    const fmt = new Intl.NumberFormat(lang);
    return {
      lang,
      setLang,
      t: (key, params) => {
        const s = catalog[key] ?? zhCN[key] ?? key;
        if (!params) return s;
        return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
      },
      num: (n) => fmt.format(n),
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n must be used inside <I18nProvider>');
  return ctx;
}
