/**
 * `/login`: username and password, the server's reason on failure (wrong password; too many
 * attempts with a countdown from Retry-After), then back to `?next=` (same-origin paths only).
 * An account with a printed password gets the new-password form first (FirstPasswordForm).
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { safeNextPath } from '../auth/next-path';
import { rememberSession, useSession } from '../auth/session';
import { ApiError } from '../http/api-client';
import { login } from '../http/auth-api';
import { useI18n } from '../i18n/i18n';
import { localMessage } from '../i18n/server-message';
import { Header } from '../ui/header';
import { FirstPasswordForm } from './login/first-password-form';

type Failure = { kind: 'message'; text: string } | { kind: 'locked'; until: number };

export function LoginPage() {
  const { t, lang } = useI18n();
  const { me } = useSession();
  /** The password just typed when the server asked for a new one; '' after a reload (asked again). */
  const [mustChange, setMustChange] = useState<string | null>(null);
  const changing = mustChange !== null || me?.mustChangePassword === true;
  const [next] = useState(() => safeNextPath(new URLSearchParams(location.search).get('next'), location.origin));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [reveal, setReveal] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const passwordInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = `${t('login.title')} · ${t('app.name')} GridAtlas`;
  }, [t]);

  // Count the lock-out down once a second; stop when it is over.
  const lockedUntil = failure?.kind === 'locked' ? failure.until : null;
  useEffect(() => {
    if (lockedUntil === null) return;
    const id = setInterval(() => {
      const n = Date.now();
      setNow(n);
      if (n >= lockedUntil) clearInterval(id);
    }, 1000);
    return () => clearInterval(id);
  }, [lockedUntil]);
  const waitS = lockedUntil === null ? 0 : Math.max(0, Math.ceil((lockedUntil - now) / 1000));

  function duration(s: number): string {
    return s >= 60 ? t('time.minutes', { m: Math.floor(s / 60), s: s % 60 }) : t('time.seconds', { s });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!username.trim() || !password) {
      setFailure({ kind: 'message', text: t('login.required') });
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const signedIn = await login(username.trim(), password);
      rememberSession(true);
      if (signedIn.mustChangePassword) {
        setMustChange(password);
        setPassword('');
        setBusy(false);
        return;
      }
      location.replace(next);
      return; // keep the button busy while the next page loads
    } catch (err) {
      if (err instanceof ApiError && err.status === 429 && err.retryAfter !== undefined) {
        const n = Date.now();
        setNow(n);
        setFailure({ kind: 'locked', until: n + err.retryAfter * 1000 });
      } else {
        setFailure({ kind: 'message', text: err instanceof ApiError ? localMessage(err.message, lang) : String(err) });
      }
      setPassword('');
      passwordInput.current?.focus();
    }
    setBusy(false);
  }

  let errorText: string | null = null;
  if (failure?.kind === 'message') errorText = failure.text;
  else if (failure?.kind === 'locked') errorText = waitS > 0 ? t('login.tooMany', { time: duration(waitS) }) : null;

  return (
    <div className="app">
      <Header page={t('login.title')} />
      <main className="login-area">
        <section className="login-card panel" aria-labelledby="login-title">
          <div className="login-head">
            <svg className="login-mark" viewBox="0 0 32 32" aria-hidden="true">
              <rect x="2" y="2" width="28" height="28" rx="6" fill="#0F2A3A" stroke="#3FA7D6" strokeWidth="1.5" />
              <path d="M11 4v24M21 4v24M4 11h24M4 21h24" stroke="#3FA7D6" strokeWidth="1.2" opacity="0.7" />
              <rect x="12.5" y="12.5" width="7" height="7" fill="#009E73" />
            </svg>
            <div>
              <h1 id="login-title" className="login-title">
                {changing ? t('password.firstTitle') : t('login.title')}
              </h1>
              <p className="login-subtitle">
                {t('app.name')} · {t('login.subtitle')}
              </p>
            </div>
          </div>

          {changing && <FirstPasswordForm current={mustChange || null} onDone={() => location.replace(next)} />}

          {!changing && me && (
            <p className="form-note" data-testid="login-already">
              {t('login.already', { name: me.displayName })} <a href={next}>{t('login.continue')} →</a>
            </p>
          )}

          {!changing && (
            <form className="form-stack" onSubmit={submit} noValidate data-testid="login-form">
              <label className="field">
                <span>{t('login.username')}</span>
                <input
                  name="username"
                  autoComplete="username"
                  autoCapitalize="none"
                  spellCheck={false}
                  autoFocus
                  maxLength={64}
                  value={username}
                  onChange={(e) => setUsername(e.target.value)}
                  data-testid="login-username"
                />
              </label>
              <label className="field">
                <span>{t('login.password')}</span>
                <span className="input-with-button">
                  <input
                    ref={passwordInput}
                    name="password"
                    type={reveal ? 'text' : 'password'}
                    autoComplete="current-password"
                    maxLength={200}
                    value={password}
                    onChange={(e) => setPassword(e.target.value)}
                    data-testid="login-password"
                  />
                  <button
                    type="button"
                    className="input-addon"
                    aria-pressed={reveal}
                    title={reveal ? t('login.hidePassword') : t('login.showPassword')}
                    aria-label={reveal ? t('login.hidePassword') : t('login.showPassword')}
                    onClick={() => setReveal((r) => !r)}
                  >
                    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
                      <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" fill="none" stroke="currentColor" strokeWidth="1.6" />
                      <circle cx="12" cy="12" r="3" fill="none" stroke="currentColor" strokeWidth="1.6" />
                      {reveal && <path d="M4 4l16 16" stroke="currentColor" strokeWidth="1.6" />}
                    </svg>
                  </button>
                </span>
              </label>

              <div className="form-message" aria-live="polite">
                {errorText && (
                  <p className="form-error" role="alert" data-testid="login-error" data-code={failure?.kind === 'locked' ? 'too_many_attempts' : undefined}>
                    {errorText}
                  </p>
                )}
                {failure?.kind === 'locked' && waitS === 0 && <p className="form-note">{t('login.canRetry')}</p>}
              </div>

              <button type="submit" className="btn btn-primary btn-block" disabled={busy || waitS > 0} data-testid="login-submit">
                {busy ? t('login.submitting') : t('login.submit')}
              </button>
            </form>
          )}
          <p className="login-notice">{t('login.notice')}</p>
        </section>
        <a className="login-public" href="/">
          {t('login.publicNote')} · {t('app.backToMap')} →
        </a>
      </main>
    </div>
  );
}
