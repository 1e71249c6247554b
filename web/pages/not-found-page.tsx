/** Fallback for paths the app does not (yet) have, e.g. `/screen` or `/planner` before they ship. */
import { useI18n } from '../i18n/i18n';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <div className="not-found" data-testid="not-found">
      <h1>404</h1>
      <p>{t('app.notFound')}</p>
      <a href="/">{t('app.backToMap')}</a>
    </div>
  );
}
