/**
 * Who sees and acts on which resident requests (issue #9):
 * - street-scope grants see every request (including 'unassigned' ones outside every community);
 *   community-scope grants see their community; grid-scope grants see their grids;
 * - dispatchers are admins and planners whose scope covers the request's community;
 * - grid workers act (claim, accept, resolve, escalate) on requests of grids their scope covers;
 * - reporter name and phone: as masking.ts `disclosureFor` decides for the request's place (in clear
 *   for admins, planners and grid workers whose scope covers it, masked for viewers).
 */
import type { ActorKind } from '../../geo/requests/lifecycle.js';
import type { Principal } from '../auth/principal.js';
import { grantCovers } from '../auth/scope.js';
import type { RequestScope } from '../repos/requests.repo.js';

export function requestScope(p: Principal): RequestScope {
  return {
    all: p.grants.some((g) => g.scopeType === 'street'),
    communities: p.grants.filter((g) => g.scopeType === 'community').map((g) => g.scopeCode),
    grids: p.grants.filter((g) => g.scopeType === 'grid').map((g) => g.scopeCode),
  };
}

export interface RequestPlace {
  communityCode: string | null;
  gridCode: string | null;
}

export function canSee(p: Principal, r: RequestPlace): boolean {
  return p.grants.some((g) => grantCovers(g, r));
}

/** How `p` may act on request `r`: as dispatcher, as grid worker of its grid, or not at all. */
export function actorKind(p: Principal, r: RequestPlace): ActorKind | null {
  const covers = (g: Principal['grants'][number]) => grantCovers(g, r);
  if (p.grants.some((g) => (g.role === 'admin' || g.role === 'planner') && g.scopeType !== 'grid' && covers(g))) return 'dispatcher';
  if (r.gridCode !== null && p.grants.some((g) => g.role === 'grid_worker' && covers(g))) return 'grid_worker';
  return null;
}
