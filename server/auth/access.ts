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
  'GET /api/layers/:layer': 'public',
  'GET /api/stats': 'public',
  'GET /api/categories': 'public',
  'GET /tiles/:layer/:z/:x/:file': 'public',
  'GET /tiles/:file': 'public',

  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'signed-in',
  'GET /api/auth/me': 'signed-in',
  'POST /api/auth/password': ['admin', 'planner', 'grid_worker', 'viewer'],
  'GET /kiosk/:token': 'public',

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
  'POST /api/plans/:id/publish': ['admin', 'planner'],

  'GET /api/audit': ['admin'],
  'GET /api/kiosk-tokens': ['admin'],
  'POST /api/kiosk-tokens': ['admin'],
  'DELETE /api/kiosk-tokens/:id': ['admin'],
};

export const routeKey = (method: string, path: string) => `${method} ${path}`;
