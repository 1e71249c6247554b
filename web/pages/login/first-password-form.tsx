/**
 * Shown on the login page instead of leaving it while the account still has a printed (generated)
 * password: the server answers every other call with 403 `password_change_required` until it is
 * replaced (issue #14.10). The current password is the one just typed, so only the new one is asked.
 */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../http/api-client';
import { changePassword } from '../../http/auth-api';
import { useI18n } from '../../i18n/i18n';
import { localMessage } from '../../i18n/server-message';

export function FirstPasswordForm({ current, onDone }: { current: string | null; onDone: () => void }) {
  const { t, lang } = useI18n();
  const [old, setOld] = useState(current ?? '');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (next !== confirm) return setError(t('password.mismatch'));
    if (next === old) return setError(t('password.same'));
    setBusy(true);
    try {
      await changePassword(old, next);
      onDone();
      return; // keep the button busy while the next page loads
    } catch (err) {
      setError(err instanceof ApiError ? localMessage(err.message, lang) : String(err));
    }
    setBusy(false);
  }

  return (
    <form className="form-stack" onSubmit={submit} noValidate data-testid="first-password-form">
      <p className="form-note" role="status">
        {t('password.mustChange')}
      </p>
      {current === null && (
        <label className="field">
          <span>{t('password.current')}</span>
          <input type="password" autoComplete="current-password" maxLength={200} value={old} onChange={(e) => setOld(e.target.value)} data-testid="first-password-current" />
        </label>
      )}
      <label className="field">
        <span>{t('password.next')}</span>
        <input
          type="password"
          autoComplete="new-password"
          autoFocus
          maxLength={200}
          value={next}
          onChange={(e) => setNext(e.target.value)}
          data-testid="first-password-next"
        />
      </label>
      <label className="field">
        <span>{t('password.confirm')}</span>
        <input type="password" autoComplete="new-password" maxLength={200} value={confirm} onChange={(e) => setConfirm(e.target.value)} data-testid="first-password-confirm" />
      </label>
      <p className="field-hint">{t('password.rule')}</p>
      <div className="form-message" aria-live="polite">
        {error && (
          <p className="form-error" role="alert" data-testid="first-password-error">
            {error}
          </p>
        )}
      </div>
      <button type="submit" className="btn btn-primary btn-block" disabled={busy || !old || !next || !confirm} data-testid="first-password-submit">
        {busy ? t('password.saving') : t('password.submit')}
      </button>
    </form>
  );
}
