/**
 * Who sees and acts on which resident requests (issue #9):
 * - street-scope grants see every request (including 'unassigned' ones outside every community);
 *   community-scope grants see their community; grid-scope grants see their grids;
 * - dispatchers are admins and planners whose scope covers the request's community;
 * - grid workers act (claim, accept, resolve, escalate) on requests of grids their scope covers;
 * - reporter name and phone in clear for dispatchers and grid workers of the request, masked for viewers.
 */
import type { ActorKind } from '../../geo/requests/lifecycle.js';
import type { Principal } from '../auth/principal.js';
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
  const s = requestScope(p);
  return s.all || (r.communityCode !== null && s.communities.includes(r.communityCode)) || (r.gridCode !== null && s.grids.includes(r.gridCode));
}

/** How `p` may act on request `r`: as dispatcher, as grid worker of its grid, or not at all. */
export function actorKind(p: Principal, r: RequestPlace): ActorKind | null {
  const covers = (g: Principal['grants'][number]) =>
    g.scopeType === 'street' ||
    (g.scopeType === 'community' && g.scopeCode === r.communityCode) ||
    (g.scopeType === 'grid' && g.scopeCode === r.gridCode);
  if (p.grants.some((g) => (g.role === 'admin' || g.role === 'planner') && g.scopeType !== 'grid' && covers(g))) return 'dispatcher';
  if (r.gridCode !== null && p.grants.some((g) => g.role === 'grid_worker' && covers(g))) return 'grid_worker';
  return null;
}

/** Reporter contacts in clear only for those who act on the request. */
export function showsContacts(p: Principal, r: RequestPlace): boolean {
  return actorKind(p, r) !== null;
}
