/**
 * The frame of the phone pages (/report, /track, /tasks): a slim top bar with the title and the
 * language toggle, and one scrolling column sized for 360–430 px screens (styles/resident.css).
 */
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n';

export function PhoneShell({ title, testId, state, children, actions }: { title: string; testId: string; state: string; children: ReactNode; actions?: ReactNode }) {
  const { lang, setLang } = useI18n();
  return (
    <div className="rs-app" data-testid={testId} data-state={state}>
      <header className="rs-bar">
        <h1 className="rs-bar-title">{title}</h1>
        {actions}
        <button type="button" className="rs-lang" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>
          {lang === 'en' ? '中文' : 'EN'}
        </button>
      </header>
      <main className="rs-main">{children}</main>
    </div>
  );
}

/** A date-time in the page's language, short (month, day, hour, minute). */
export function shortTime(iso: string, lang: string): string {
  return new Date(iso).toLocaleString(lang, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
