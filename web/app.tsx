/**
 * Top-level router by `location.pathname`: `/` map, `/login`, `/admin`, `/screen` (placeholder
 * until the wall screen ships), `/planner` (grid plan editor),
 * `/requests` (resident requests: dispatch board, my grids, map), `/life` (生活圈: walking isochrones and
 * coverage audit), `/import` (data import).
 * Every page gets the session (who is signed in) for the header's account menu.
 */
import { SessionProvider } from './auth/session';
import { I18nProvider } from './i18n/i18n';
import { AdminPage } from './pages/admin-page';
import { LifePage } from './pages/life-page';
import { ImportPage } from './pages/import-page';
import { LoginPage } from './pages/login-page';
import { MapPage } from './pages/map-page';
import { NotFoundPage } from './pages/not-found-page';
import { PlannerPage } from './pages/planner-page';
import { RequestsPage } from './pages/requests-page';
import { ScreenPage } from './pages/screen-page';

interface Route {
  page: () => React.JSX.Element;
  /** Ask the server who is signed in even if this browser never signed in (see auth/session). */
  needsSession?: boolean;
}

const ROUTES: Record<string, Route> = {
  '/': { page: MapPage },
  '/index.html': { page: MapPage },
  '/login': { page: LoginPage },
  '/admin': { page: AdminPage, needsSession: true },
  '/screen': { page: ScreenPage, needsSession: true },
  '/planner': { page: PlannerPage, needsSession: true },
  '/requests': { page: RequestsPage, needsSession: true },
  '/life': { page: LifePage, needsSession: true },
  '/import': { page: ImportPage, needsSession: true },
};

export function App() {
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const route = ROUTES[path] ?? { page: NotFoundPage };
  const Page = route.page;
  return (
    <I18nProvider>
      <SessionProvider probe={route.needsSession ? 'always' : 'if-hinted'}>
        <Page />
      </SessionProvider>
    </I18nProvider>
  );
}
