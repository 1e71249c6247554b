/**
 * Every API route and who may call it. The access middleware looks each request's matched route
 * up here; a route missing from this table is refused (tests/integration/access.test.ts walks
 * every route of the app with every role and fails on an undeclared one).
 *
 * Map layers, tiles and stats carry aggregates only (no names, phones or rooms), so the public
 * map and the wall screen may read them without an account; household details, plans, the audit
 * log and administration need a role.
 */
import type { Access } from './principal.js';

export const ROUTE_ACCESS: Record<string, Access> = {
  'GET /api/health': 'public',
  'GET /api/config': 'public',
  // Districts and streets with counts (issue #15): aggregates, filtered to the caller's scope.
  'GET /api/territory': 'public',
  'GET /api/layers/:layer': 'public',
  'GET /api/stats': 'public',
  'GET /api/categories': 'public',
  // Wall screen (issue #7): aggregates only, grid workers with masked names.
  'GET /api/screen/summary': 'public',
  'GET /api/screen/buildings/:code': 'public',
  // District wall screen (issue #15.4): every street of a district side by side, aggregates only.
  'GET /api/screen/district': 'public',
  'GET /tiles/:layer/:z/:x/:file': 'public',
  'GET /tiles/:file': 'public',

  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'signed-in',
  'GET /api/auth/me': 'signed-in',
  'POST /api/auth/password': ['admin', 'planner', 'grid_worker', 'viewer'],
  'GET /kiosk/:token': 'public',
  // Lifts a user's login throttle (issue #14.5): the admin way back in, audited.
  'DELETE /api/users/:username/login-throttle': ['admin'],

  // The web app's single-page fallback (static files are served by middleware before routing).
  'GET /*': 'public',

  // Household details: scope (street/community/grid) is checked by the route itself.
  'GET /api/buildings/:code/households': ['admin', 'planner', 'grid_worker', 'viewer'],

  // Grid plans (issue #4): official records — read by staff, changed by planners and admins
  // (a community planner only for plans of that community, checked by the route).
  'GET /api/plans': ['admin', 'planner', 'grid_worker', 'viewer'],
  'POST /api/plans': ['admin', 'planner'],
  'GET /api/plans/:id': ['admin', 'planner', 'grid_worker', 'viewer'],
  'PATCH /api/plans/:id': ['admin', 'planner'],
  'DELETE /api/plans/:id': ['admin', 'planner'],
  'GET /api/plans/:id/validate': ['admin', 'planner', 'grid_worker', 'viewer'],
  'GET /api/plans/:id/diff': ['admin', 'planner', 'grid_worker', 'viewer'],
  'GET /api/plans/:id/export': ['admin', 'planner', 'grid_worker', 'viewer'],
  'POST /api/plans/:id/publish': ['admin', 'planner'],

  // Resident requests (issue #9). Aggregates, map points and categories are public (no personal
  // fields; the wall screen reads stats). Staff create and list; scope (street/community/grid) and
  // who may take which step are checked by the route (server/requests/access.ts).
  'GET /api/requests/categories': 'public',
  'GET /api/requests/stats': 'public',
  'GET /api/requests/layer': 'public',
  'GET /api/requests/heat': 'public',
  'GET /api/requests': ['admin', 'planner', 'grid_worker', 'viewer'],
  'POST /api/requests': ['admin', 'planner', 'grid_worker'],
  'GET /api/requests/:id/history': ['admin', 'planner', 'grid_worker', 'viewer'],
  'GET /api/requests/:id/photo': ['admin', 'planner', 'grid_worker', 'viewer'],
  'POST /api/requests/:id/transition': ['admin', 'planner', 'grid_worker'],
  // Residents report without an account (issue #18.3): a signed QR token names the place; the
  // tracking key (unguessable) reads one's own report and rates it. Rate limits in the route.
  'GET /api/public/report/:token': 'public',
  'POST /api/public/report/:token': 'public',
  'GET /api/public/track/:key': 'public',
  'POST /api/public/track/:key/rate': 'public',
  'POST /api/requests/:id/spam': ['admin', 'planner'],
  'GET /api/requests/:id/resolve-photo': ['admin', 'planner', 'grid_worker', 'viewer'],
  'GET /api/report-links': ['admin', 'planner'],
  // Grid worker on the phone (issue #18.4): buildings of one's grids, walking route to one.
  'GET /api/worker/buildings': ['grid_worker'],
  'GET /api/worker/route': ['admin', 'planner', 'grid_worker'],
  // Life circle (issue #6): streets, polygons, public facilities and household counts per building
  // or area — no personal data, so readable without an account; the standard and site proposals
  // are planning work.
  'GET /api/isochrone': 'public',
  'GET /api/nearest': 'public',
  'GET /api/coverage': 'public',
  'GET /api/coverage/summary': 'public',
  'POST /api/coverage/sites': ['admin', 'planner'],
  'GET /api/life-circle/standard': 'public',
  'PUT /api/life-circle/standard': ['admin', 'planner'],
  // Imports and exports (issue #8). Exports carry personal fields only as masking.ts
  // `disclosureFor` allows per row; OGC API Features serves the public layers only.
  'POST /api/import': ['admin', 'planner'],
  'GET /api/life-circle/network': 'public',
  // Party reach and grid load (issue #20): aggregates and building counts public; the route shows
  // centre households only where masking.ts gives party detail. Settings are street-wide planning.
  'GET /api/party-reach': 'public',
  'GET /api/party-reach/settings': 'public',
  'PUT /api/party-reach/settings': ['admin', 'planner'],
  'GET /api/load': 'public',
  // Partitioner (issue #5): background jobs that write a new draft plan.
  'POST /api/plans/:id/partition': ['admin', 'planner'],
  'GET /api/jobs/:id': ['admin', 'planner'],
  'GET /api/jobs/:id/events': ['admin', 'planner'],
  'DELETE /api/jobs/:id': ['admin', 'planner'],
  'GET /api/export/:layer': ['admin', 'planner', 'grid_worker', 'viewer'],
  // OGC API – Features: the same public layers as /api/layers, for GIS clients (QGIS, GDAL).
  'GET /ogc': 'public',
  'GET /ogc/conformance': 'public',
  'GET /ogc/api': 'public',
  'GET /ogc/api.html': 'public',
  'GET /ogc/collections': 'public',
  'GET /ogc/collections/:collectionId': 'public',
  'GET /ogc/collections/:collectionId/schema': 'public',
  'GET /ogc/collections/:collectionId/items': 'public',
  'GET /ogc/collections/:collectionId/items/:featureId': 'public',

  // Set-up from an empty database (issue #15.3): what each step holds; generated rosters
  // (street-wide roles of that street, checked by the route).
  'GET /api/setup/status': ['admin', 'planner'],
  'POST /api/setup/rosters': ['admin', 'planner'],

  'GET /api/audit': ['admin'],
  'GET /api/kiosk-tokens': ['admin'],
  'POST /api/kiosk-tokens': ['admin'],
  'DELETE /api/kiosk-tokens/:id': ['admin'],
};

export const routeKey = (method: string, path: string) => `${method} ${path}`;
