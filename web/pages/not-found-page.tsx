/** Fallback for paths the app does not (yet) have, e.g. `/planner` before it ships. */
import { useI18n } from '../i18n/i18n';
import { Header } from '../ui/header';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <div className="app">
      <Header page="404" />
      <main className="not-found" data-testid="not-found">
        <h1>404</h1>
        <p>{t('app.notFound')}</p>
        <a href="/">{t('app.backToMap')}</a>
      </main>
    </div>
  );
}
