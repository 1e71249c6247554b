/**
 * Who sees and acts on which resident requests (issue #9):
 * - street-scope grants see every request of their street (including 'unassigned' ones outside every
 *   community), district grants those of their district's streets, `street:*` everything;
 *   community-scope grants see their community; grid-scope grants see their grids;
 * - dispatchers are admins and planners whose scope covers the request's community;
 * - grid workers act (claim, accept, resolve, escalate) on requests of grids their scope covers;
 * - staff report only where their scope reaches (mayReport);
 * - reporter name and phone: as masking.ts `disclosureFor` decides for the request's place (in clear
 *   for admins, planners and grid workers whose scope covers it, masked for viewers).
 */
import type { ActorKind } from '../../geo/requests/lifecycle.js';
import { USER_ROLES, type Principal } from '../auth/principal.js';
import { PLANNING_ROLES, STAFF_ROLES, type RowScope, communitiesOf, covers, deploymentWide, gridsOf, streetCodeOf, streetWide } from '../auth/scope.js';
import type { RequestScope } from '../repos/requests.repo.js';

export function requestScope(p: Principal): RequestScope {
  const wide = (t: 'street' | 'district') => [...new Set(p.grants.filter((g) => g.scopeType === t && g.scopeCode !== '*').map((g) => g.scopeCode))];
  return {
    all: deploymentWide(p, USER_ROLES), streets: wide('street'), districts: wide('district'),
    communities: communitiesOf(p, USER_ROLES), grids: gridsOf(p, USER_ROLES),
  };
}

/** A request's place: community, grid and street (issue #15). */
export type RequestPlace = RowScope;

export function canSee(p: Principal, r: RequestPlace): boolean {
  return covers(p, USER_ROLES, r);
}

/**
 * Staff report where their scope reaches (issue #14): a grid worker in their grids, a community
 * planner in their community, street-wide staff anywhere — the same places they see afterwards.
 */
export function mayReport(p: Principal, r: RequestPlace): boolean {
  return covers(p, STAFF_ROLES, r);
}

/** How `p` may act on request `r`: as dispatcher, as grid worker of its grid, or not at all. */
export function actorKind(p: Principal, r: RequestPlace): ActorKind | null {
  const dispatcher = streetWide(p, PLANNING_ROLES, streetCodeOf(r)) || (r.communityCode !== null && communitiesOf(p, PLANNING_ROLES).includes(r.communityCode));
  if (dispatcher) return 'dispatcher';
  if (r.gridCode !== null && covers(p, ['grid_worker'], r)) return 'grid_worker';
  return null;
}
