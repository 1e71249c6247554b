/** "修改密码": `POST /api/auth/password`; shows the server's reason for a weak or wrong password. */
import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { Dialog } from './dialog';
import { usePasswordChange } from './use-password-change';

export function PasswordDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const [done, setDone] = useState(false);
  const { current, setCurrent, next, setNext, confirm, setConfirm, busy, error, submit, ready } = usePasswordChange('', () => setDone(true));

  return (
    <Dialog title={t('password.title')} onClose={onClose} testId="password-dialog">
      {done ? (
        <div className="dialog-body">
          <p className="form-success" role="status" data-testid="password-done">
            {t('password.done')}
          </p>
          <div className="dialog-actions">
            <button type="button" className="btn btn-primary" onClick={onClose} autoFocus>
              {t('common.close')}
            </button>
          </div>
        </div>
      ) : (
        <form className="dialog-body form-stack" onSubmit={submit} noValidate>
          <label className="field">
            <span>{t('password.current')}</span>
            <input
              type="password"
              autoComplete="current-password"
              value={current}
              required
              autoFocus
              onChange={(e) => setCurrent(e.target.value)}
              data-testid="password-current"
            />
          </label>
          <label className="field">
            <span>{t('password.next')}</span>
            <input
              type="password"
              autoComplete="new-password"
              value={next}
              required
              onChange={(e) => setNext(e.target.value)}
              data-testid="password-next"
            />
          </label>
          <label className="field">
            <span>{t('password.confirm')}</span>
            <input
              type="password"
              autoComplete="new-password"
              value={confirm}
              required
              onChange={(e) => setConfirm(e.target.value)}
              data-testid="password-confirm"
            />
          </label>
          <p className="field-hint">{t('password.rule')}</p>
          {error && (
            <p className="form-error" role="alert" data-testid="password-error">
              {error}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={onClose}>
              {t('common.cancel')}
            </button>
            <button
              type="submit"
              className="btn btn-primary"
              disabled={!ready}
              data-testid="password-submit"
            >
              {busy ? t('password.saving') : t('password.submit')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
