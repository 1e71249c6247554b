/**
 * The state and submit of a password change (`POST /api/auth/password`), shared by the "修改密码"
 * dialog and the first-login form (issue #14.10): the new password typed twice, the same-as-old
 * check in the browser, the server's reason for a weak or wrong password in the page's language.
 */
import { useState, type FormEvent } from 'react';
import { ApiError } from '../http/api-client';
import { changePassword } from '../http/auth-api';
import { useI18n } from '../i18n/i18n';
import { localMessage } from '../i18n/server-message';

export function usePasswordChange(initialCurrent: string, onChanged: () => void) {
  const { t, lang } = useI18n();
  const [current, setCurrent] = useState(initialCurrent);
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (next !== confirm) return setError(t('password.mismatch'));
    if (next === current) return setError(t('password.same'));
    setBusy(true);
    try {
      await changePassword(current, next);
      setCurrent('');
      setNext('');
      setConfirm('');
      onChanged();
    } catch (err) {
      setError(err instanceof ApiError ? localMessage(err.message, lang) : String(err));
      setBusy(false);
      return;
    }
    setBusy(false);
  }

  const ready = !busy && current !== '' && next !== '' && confirm !== '';
  return { current, setCurrent, next, setNext, confirm, setConfirm, busy, error, submit, ready };
}
