/**
 * The frame of a page for admins and planners only (`/import`, `/setup`): title, sign-in redirect
 * for anonymous callers, loading and error states, a refusal card for other roles, the header and
 * a scrolling body. `children` is rendered only for admins and planners.
 */
import { type ReactNode, useEffect } from 'react';
import { loginHref } from '../auth/next-path';
import { hasRole } from '../auth/roles';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/zh-cn';
import { Header } from './header';

export interface PlanningPageProps {
  /** Message key of the page's title (header and document title). */
  title: MessageKey;
  /** Message key of the refusal shown to other roles. */
  forbidden: MessageKey;
  /** `data-testid` prefix: `<id>-page` on the body, `<id>-forbidden` on the refusal. */
  testId: string;
  /** Extra class of the inner column. */
  innerClass?: string;
  children: ReactNode;
}

export function PlanningPage({ title, forbidden, testId, innerClass, children }: PlanningPageProps) {
  const { t } = useI18n();
  const { state } = useSession();

  useEffect(() => {
    document.title = `${t(title)} · ${t('app.name')} GridAtlas`;
  }, [t, title]);
  useEffect(() => {
    if (state.status === 'anonymous') location.replace(loginHref());
  }, [state.status]);

  let body;
  if (state.status === 'loading' || state.status === 'anonymous') body = <p className="page-status">{t('common.loading')}</p>;
  else if (state.status === 'error') body = <p className="form-error">{state.error.message}</p>;
  else if (!hasRole(state.me, 'admin') && !hasRole(state.me, 'planner')) {
    body = (
      <div className="notice-card panel" role="alert" data-testid={`${testId}-forbidden`}>
        <h1 className="notice-title">{t(forbidden)}</h1>
        <a className="btn btn-primary" href="/">{t('app.backToMap')}</a>
      </div>
    );
  } else body = children;

  return (
    <div className="app">
      <Header page={t(title)} />
      <main className="page-scroll" data-testid={`${testId}-page`} data-state={state.status}>
        <div className={innerClass ? `page-inner ${innerClass}` : 'page-inner'}>{body}</div>
      </main>
    </div>
  );
}
