/**
 * Top-level router by `location.pathname`. Only `/` exists today; `/screen` (wall screen) and
 * `/planner` (grid planner) will be added as further routes here, each a page in `pages/`.
 */
import { I18nProvider } from './i18n/i18n';
import { MapPage } from './pages/map-page';
import { NotFoundPage } from './pages/not-found-page';

const ROUTES: Record<string, () => React.JSX.Element> = {
  '/': MapPage,
  '/index.html': MapPage,
};

export function App() {
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const Page = ROUTES[path] ?? NotFoundPage;
  return (
    <I18nProvider>
      <Page />
    </I18nProvider>
  );
}
