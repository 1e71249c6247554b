/**
 * Shown on the login page instead of leaving it while the account still has a printed (generated)
 * password: the server answers every other call with 403 `password_change_required` until it is
 * replaced (issue #14.10). The current password is the one just typed, so only the new one is asked.
 */
import { useI18n } from '../../i18n/i18n';
import { usePasswordChange } from '../../ui/use-password-change';

export function FirstPasswordForm({ current, onDone }: { current: string | null; onDone: () => void }) {
  const { t } = useI18n();
  // After success the fields are cleared, so the button stays disabled while onDone navigates.
  const form = usePasswordChange(current ?? '', onDone);
  const { next, setNext, confirm, setConfirm, busy, error, submit } = form;

  return (
    <form className="form-stack" onSubmit={submit} noValidate data-testid="first-password-form">
      <p className="form-note" role="status">
        {t('password.mustChange')}
      </p>
      {current === null && (
        <label className="field">
          <span>{t('password.current')}</span>
          <input type="password" autoComplete="current-password" maxLength={200} value={form.current} onChange={(e) => form.setCurrent(e.target.value)} data-testid="first-password-current" />
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
      <button type="submit" className="btn btn-primary btn-block" disabled={!form.ready} data-testid="first-password-submit">
        {busy ? t('password.saving') : t('password.submit')}
      </button>
    </form>
  );
}
