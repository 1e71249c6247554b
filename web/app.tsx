/**
 * Top-level router by `location.pathname`: `/` map, `/login`, `/admin`, `/screen` (wall screen), `/planner` (grid plan editor),
 * `/screen/district` (district wall screen: every street of a district), `/requests` (resident requests: dispatch board, my grids, map), `/life` (生活圈: walking isochrones and
 * coverage audit), `/import` (data import), `/setup` (onboarding from an empty database).
 * Every page gets the session (who is signed in) for the header's account menu.
 */
import { lazy, Suspense, useEffect, useState, type ComponentType } from 'react';
import { SessionProvider } from './auth/session';
import { I18nProvider } from './i18n/i18n';
import { resolveStreet, streetKnownEarly } from './http/territory';
import { prefetchScreen } from './screen/first-load';
import mapWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

/** Each page is its own chunk: the wall screen does not parse the planner's editor, and so on. */
const page = (load: () => Promise<ComponentType>) => lazy(async () => ({ default: await load() }));
const AdminPage = page(() => import('./pages/admin-page').then((m) => m.AdminPage));
const loadLifePage = () => import('./pages/life-page').then((m) => { void m.preloadLifeMap(); return m.LifePage; });
const LifePage = page(loadLifePage);
const ImportPage = page(() => import('./pages/import-page').then((m) => m.ImportPage));
const LoginPage = page(() => import('./pages/login-page').then((m) => m.LoginPage));
const MapPage = page(() => import('./pages/map-page').then((m) => m.MapPage));
const NotFoundPage = page(() => import('./pages/not-found-page').then((m) => m.NotFoundPage));
const PlannerPage = page(() => import('./pages/planner-page').then((m) => m.PlannerPage));
const ReportPage = page(() => import('./pages/report-page').then((m) => m.ReportPage));
const TrackPage = page(() => import('./pages/track-page').then((m) => m.TrackPage));
const TasksPage = page(() => import('./pages/tasks-page').then((m) => m.TasksPage));
const QrSheetPage = page(() => import('./pages/qr-sheet-page').then((m) => m.QrSheetPage));
const SetupPage = page(() => import('./pages/setup-page').then((m) => m.SetupPage));
const RequestsPage = page(() => import('./pages/requests-page').then((m) => m.RequestsPage));
const loadScreenPage = () => import('./pages/screen-page').then((m) => m.ScreenPage);
const ScreenPage = page(loadScreenPage);
const DistrictScreenPage = page(() => import('./pages/district-screen-page').then((m) => m.DistrictScreenPage));

interface Route {
  page: ComponentType;
  /** Ask the server who is signed in even if this browser never signed in (see auth/session). */
  needsSession?: boolean;
  /** Not about one street: renders without waiting for the street to be decided (http/territory.ts). */
  streetless?: boolean;
}

const ROUTES: Record<string, Route> = {
  '/': { page: MapPage },
  '/index.html': { page: MapPage },
  '/login': { page: LoginPage, streetless: true },
  '/admin': { page: AdminPage, needsSession: true },
  '/screen': { page: ScreenPage, needsSession: true },
  '/screen/district': { page: DistrictScreenPage, needsSession: true, streetless: true },
  '/planner': { page: PlannerPage, needsSession: true },
  '/requests': { page: RequestsPage, needsSession: true },
  '/life': { page: LifePage, needsSession: true },
  '/import': { page: ImportPage, needsSession: true },
  '/setup': { page: SetupPage, needsSession: true },
  // Issue #18: residents' report and tracking pages (no account), the grid worker's phone page, QR sheets.
  '/report': { page: ReportPage, streetless: true },
  '/track': { page: TrackPage, streetless: true },
  '/tasks': { page: TasksPage, needsSession: true },
  '/qr-sheet': { page: QrSheetPage, needsSession: true, streetless: true },
};

/**
 * The wall screen's code and data start loading now, code first: a browser opens at most six
 * connections to one server, and the ~2.5 MB of map and chart code (quick to serve) should not
 * queue behind the summary, which can take a second to compute on a big street.
 */
if (location.pathname.replace(/\/+$/, '') === '/screen') {
  void loadScreenPage().catch(() => {}); // React.lazy reports a failure when it renders the page
  // Its data needs the street: at once from `?street=`, else once the territory has decided it.
  if (streetKnownEarly()) prefetchScreen();
  else void resolveStreet().then(prefetchScreen);
}

/**
 * Pages with a MapLibre map: its worker script (0.5 MB) is fetched into the HTTP cache now, while
 * the page's own code downloads. MapLibre creates the worker only once its 1 MB module has been
 * evaluated, and then waited for the script: on the 2-core bench machine the tiles of the wall
 * screen started ~0.7 s after the worker was asked for. The asset is immutable (server/app.ts).
 */
if (/^\/(screen|life|planner|requests|setup|import|index\.html)?\/?$/.test(location.pathname)) {
  const link = document.createElement('link');
  link.rel = 'prefetch';
  link.href = mapWorkerUrl;
  document.head.append(link);
}

/**
 * `/life` on a phone's slow network: its code and its map's start loading before the street is
 * decided — the map chunk (with MapLibre, the largest download) at once too, not after the page's
 * chunk has arrived and run: on the phone bench's Fast 3G with a 4× slower CPU, MapLibre started
 * downloading 1.2 s later that way. The dynamic import is the same one the page makes (one chunk).
 */
if (location.pathname.replace(/\/+$/, '') === '/life') {
  void import('./pages/life/life-map').catch(() => {});
  void loadLifePage().catch(() => {});
}

export function App() {
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const route = ROUTES[path] ?? { page: NotFoundPage };
  const Page = route.page;
  // Pages about one street wait until it is decided (at once with `?street=` in the URL).
  const [ready, setReady] = useState(() => route.streetless === true || streetKnownEarly());
  useEffect(() => {
    if (!ready) void resolveStreet().then(() => setReady(true));
  }, [ready]);
  return (
    <I18nProvider>
      <SessionProvider probe={route.needsSession ? 'always' : 'if-hinted'}>
        <Suspense fallback={null}>{ready && <Page />}</Suspense>
      </SessionProvider>
    </I18nProvider>
  );
}
