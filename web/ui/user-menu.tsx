/**
 * The header's account corner: a "登录" link when nobody is signed in; otherwise the display
 * name and roles, with "修改密码" (accounts only, not wall screens) and "退出登录".
 */
import { useEffect, useRef, useState } from 'react';
import { loginHref } from '../auth/next-path';
import { hasRole, ROLE_KEYS, roleNames, SCOPE_KEYS } from '../auth/roles';
import { useSession } from '../auth/session';
import { ApiError } from '../http/api-client';
import { useI18n } from '../i18n/i18n';
import { localMessage } from '../i18n/server-message';
import { PasswordDialog } from './password-dialog';

/** Pages that make no sense without a session: leaving them on sign-out goes to the login page. */
const PROTECTED = /^\/admin\/?$/;

export function UserMenu() {
  const { t, lang } = useI18n();
  const session = useSession();
  const [open, setOpen] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const { state } = session;
  if (state.status === 'loading') return <div className="user-menu" data-testid="user-menu" data-state="loading" />;
  if (state.status !== 'signed-in') {
    const onLoginPage = /^\/login\/?$/.test(location.pathname);
    return (
      <div className="user-menu" data-testid="user-menu" data-state="anonymous">
        {!onLoginPage && (
          <a className="header-btn" href={loginHref()} data-testid="login-link">
            {t('user.signIn')}
          </a>
        )}
      </div>
    );
  }

  const me = state.me;
  const roles = roleNames(me, t);
  const path = location.pathname;

  async function signOut() {
    setError(null);
    try {
      await session.signOut(PROTECTED.test(location.pathname) ? '/login' : undefined);
      setOpen(false);
    } catch (e) {
      setError(t('user.signOutFailed', { message: e instanceof ApiError ? localMessage(e.message, lang) : String(e) }));
    }
  }

  return (
    <div className="user-menu" ref={box} data-testid="user-menu" data-state="signed-in">
      <button
        type="button"
        className={`user-button${open ? ' open' : ''}`}
        aria-haspopup="true"
        aria-expanded={open}
        title={t('user.menu')}
        onClick={() => setOpen((o) => !o)}
        data-testid="user-menu-button"
      >
        <span className="user-avatar" aria-hidden="true">
          {Array.from(me.displayName)[0]?.toUpperCase() ?? '?'}
        </span>
        <span className="user-text">
          <span className="user-name" data-testid="user-name">
            {me.displayName}
          </span>
          <span className="user-role">{roles.join('、')}</span>
        </span>
        <svg className="user-caret" viewBox="0 0 10 6" aria-hidden="true">
          <path d="M1 1l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.5" />
        </svg>
      </button>
      {open && (
        <div className="user-dropdown panel" data-testid="user-dropdown">
          <div className="user-card">
            <div className="user-card-name">{me.displayName}</div>
            <div className="user-card-sub">
              {me.kind === 'kiosk' ? t('user.kiosk') : `${t('user.username')}：${me.username}`}
            </div>
          </div>
          <div className="user-section">
            <div className="user-section-title">{t('user.roles')}</div>
            <ul className="user-roles" data-testid="user-roles">
              {me.roles.map((g) => (
                <li key={`${g.role}:${g.scopeType}:${g.scopeCode}`} data-role={g.role}>
                  <span className={`role-chip role-${g.role}`}>{t(ROLE_KEYS[g.role])}</span>
                  <span className="role-scope">
                    {t(SCOPE_KEYS[g.scopeType])} {g.scopeCode === '*' ? t('scope.all') : g.scopeCode}
                  </span>
                </li>
              ))}
            </ul>
          </div>
          <div className="user-actions">
            {path !== '/' && (
              <a className="user-action" href="/">
                {t('user.map')}
              </a>
            )}
            {hasRole(me, 'admin') && !PROTECTED.test(path) && (
              <a className="user-action" href="/admin" data-testid="admin-link">
                {t('user.admin')}
              </a>
            )}
            {hasRole(me, 'admin') && !/^\/setup\/?$/.test(path) && (
              <a className="user-action" href="/setup" data-testid="setup-link">
                {t('setup.nav')}
              </a>
            )}
            {me.kind === 'user' && (
              <button
                type="button"
                className="user-action"
                onClick={() => {
                  setOpen(false);
                  setPasswordOpen(true);
                }}
                data-testid="change-password"
              >
                {t('user.changePassword')}
              </button>
            )}
            <button type="button" className="user-action danger" onClick={signOut} data-testid="logout">
              {t('user.signOut')}
            </button>
          </div>
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
      {passwordOpen && <PasswordDialog onClose={() => setPasswordOpen(false)} />}
    </div>
  );
}
