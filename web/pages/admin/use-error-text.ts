/**
 * Turns a failed admin request into text for the page. A 401 means the session ended (expired,
 * signed out elsewhere, password changed on another device): go to the login page and come back.
 */
import { useCallback } from 'react';
import { loginHref } from '../../auth/next-path';
import { ApiError } from '../../http/api-client';
import { useI18n } from '../../i18n/i18n';
import { localMessage } from '../../i18n/server-message';

export function useErrorText(): (e: unknown) => string | null {
  const { t, lang } = useI18n();
  return useCallback(
    (e: unknown) => {
      if (e instanceof DOMException && e.name === 'AbortError') return null;
      if (e instanceof ApiError && e.status === 401) {
        location.assign(loginHref());
        return t('admin.sessionLost');
      }
      return e instanceof ApiError ? localMessage(e.message, lang) : String(e);
    },
    [t, lang],
  );
}
