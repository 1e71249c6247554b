/**
 * `/admin`, for administrators: the audit log and kiosk links. Anonymous visitors are sent to the
 * login page (and come back); signed-in users without the admin role see 无权访问. The server
 * enforces the same rule on every admin route; this page only avoids showing a useless console.
 */
import { useEffect, useState } from 'react';
import { loginHref } from '../auth/next-path';
import { hasRole, roleNames } from '../auth/roles';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { localMessage } from '../i18n/server-message';
import { Header } from '../ui/header';
import { AuditLog } from './admin/audit-log';
import { KioskLinks } from './admin/kiosk-links';
import { QrLinks } from './admin/qr-links';

type Tab = 'audit' | 'kiosk' | 'qr';

function initialTab(): Tab {
  const tab = new URLSearchParams(location.search).get('tab');
  return tab === 'kiosk' || tab === 'qr' ? tab : 'audit';
}

export function AdminPage() {
  const { t, lang } = useI18n();
  const session = useSession();
  const { state } = session;

  useEffect(() => {
    document.title = `${t('admin.title')} · ${t('app.name')} GridAtlas`;
  }, [t]);

  useEffect(() => {
    if (state.status === 'anonymous') location.replace(loginHref());
  }, [state.status]);

  let body;
  if (state.status === 'loading') {
    body = <p className="page-status">{t('common.loading')}</p>;
  } else if (state.status === 'anonymous') {
    body = <p className="page-status">{t('admin.redirecting')}</p>;
  } else if (state.status === 'error') {
    body = (
      <div className="notice-card panel" role="alert">
        <p className="form-error">{localMessage(state.error.message, lang)}</p>
        <button type="button" className="btn" onClick={() => void session.refresh()}>
          {t('common.retry')}
        </button>
      </div>
    );
  } else if (!hasRole(state.me, 'admin')) {
    body = (
      <div className="notice-card panel" role="alert" data-testid="admin-forbidden">
        <svg className="notice-icon" viewBox="0 0 24 24" aria-hidden="true">
          <rect x="5" y="10.5" width="14" height="10" rx="2" fill="none" stroke="currentColor" strokeWidth="1.6" />
          <path d="M8 10.5V8a4 4 0 0 1 8 0v2.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
        </svg>
        <h1 className="notice-title">{t('admin.forbidden')}</h1>
        <p>{t('admin.forbiddenBody', { name: state.me.displayName, roles: roleNames(state.me, t).join('、') || '—' })}</p>
        <p className="dim">{t('admin.forbiddenHint')}</p>
        <div className="notice-actions">
          <a className="btn btn-primary" href="/">
            {t('app.backToMap')}
          </a>
          <a className="btn" href={loginHref()}>
            {t('admin.switchAccount')}
          </a>
        </div>
      </div>
    );
  } else {
    body = <AdminConsole />;
  }

  return (
    <div className="app">
      <Header page={t('admin.title')} />
      <main className="page-scroll" data-testid="admin-page" data-state={state.status}>
        <div className="page-inner">{body}</div>
      </main>
    </div>
  );
}

function AdminConsole() {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>(initialTab);

  function choose(next: Tab) {
    setTab(next);
    const url = new URL(location.href);
    if (next === 'audit') url.searchParams.delete('tab');
    else url.searchParams.set('tab', next);
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  }

  const tabs: [Tab, string][] = [
    ['audit', t('admin.tab.audit')],
    ['kiosk', t('admin.tab.kiosk')],
    ['qr', t('qr.tab')],
  ];
  return (
    <>
      <div className="page-head">
        <h1 className="page-title">{t('admin.title')}</h1>
        <div className="tabs" role="tablist">
          {tabs.map(([id, label]) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={tab === id}
              className={`tab${tab === id ? ' active' : ''}`}
              onClick={() => choose(id)}
              data-testid={`tab-${id}`}
            >
              {label}
            </button>
          ))}
        </div>
      </div>
      <div role="tabpanel">{tab === 'audit' ? <AuditLog /> : tab === 'kiosk' ? <KioskLinks /> : <QrLinks />}</div>
    </>
  );
}
