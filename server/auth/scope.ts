/**
 * Which part of the street a caller holds — the one place that reads role grants for scope
 * (issue #14). ROUTE_ACCESS decides by role alone; every route that writes asks here whether the
 * caller's grants cover what it touches, so a rule such as "street-wide settings need a
 * street-wide role" is written once and cannot drift between routes.
 *
 * A grant covers: a whole district (`district`, 6-digit code: the streets whose code starts with
 * it), its whole street (`street`, 9-digit code; `'*'` = the whole deployment), one community
 * (`community`) or one grid (`grid`). A row's street is its `streetCode`, else the first 9 digits
 * of its community or grid code (codes are hierarchical), so a grant for street A never covers a
 * row of street B (issue #15).
 * Only grants of the roles a route names count: a street-wide viewer grant never lets the same
 * user's community planner grant act street-wide. Kiosk sessions hold no grants, so no scope.
 *
 * The same predicate (`grantCovers`) decides reads too — who may read a building's households,
 * which requests a caller sees, and how much personal data of a row it may see (masking.ts
 * `disclosureFor`) — so writes, reads and masking never disagree about what "your grid" means.
 */
import { HttpError } from '../http-error.js';
import type { Principal, Scope, UserRole } from './principal.js';

/** Roles that plan and administer: plans, partition, imports, standards, dispatch. */
export const PLANNING_ROLES: readonly UserRole[] = ['admin', 'planner'];
/** Roles that work on resident requests (report, act). */
export const STAFF_ROLES: readonly UserRole[] = ['admin', 'planner', 'grid_worker'];

/** Where something lies: its community and grid (either may be unknown/outside). */
export interface Place {
  /** null: outside every community (e.g. an unassigned request) — only street grants cover it. */
  communityCode: string | null;
  /** null: not in a grid of the plan — only street and community grants cover it. */
  gridCode: string | null;
}

/**
 * A row's place, with its street's code. Rows outside every community (an unassigned request, the
 * audit log) give `streetCode` when they have one; left out, the street is read from the
 * community or grid code, and a row of no known street is covered by street and district grants
 * (one-street deployments, street-wide records).
 */
export interface RowScope extends Place {
  streetCode?: string | null;
}

/** The 9-digit street code of a row: its own, else its community's or grid's first 9 digits. */
export function streetCodeOf(row: RowScope): string | null {
  if (row.streetCode) return row.streetCode;
  const code = row.communityCode ?? row.gridCode;
  return code && /^\d{9}/.test(code) ? code.slice(0, 9) : null;
}

/** A grant (or a kiosk scope) covers a row when its scope is the row's district, street, community or grid. */
export function grantCovers(g: Scope, row: RowScope): boolean {
  if (g.scopeType === 'street' || g.scopeType === 'district') {
    if (g.scopeCode === '*') return true;
    const street = streetCodeOf(row);
    return street === null || (g.scopeType === 'street' ? street === g.scopeCode : street.startsWith(g.scopeCode));
  }
  if (g.scopeType === 'community') return row.communityCode !== null && g.scopeCode === row.communityCode;
  return row.gridCode !== null && g.scopeCode === row.gridCode;
}

/** True for grants that reach a whole street or more (street, district, deployment). */
const wide = (g: Scope) => g.scopeType === 'street' || g.scopeType === 'district';

const grantsOf = (p: Principal, roles: readonly UserRole[]) => p.grants.filter((g) => roles.includes(g.role));

/**
 * True when `p` holds one of `roles` for a whole street — street `streetCode` when given (a
 * district grant covers its streets, `'*'` all), else any street or district.
 */
export function streetWide(p: Principal, roles: readonly UserRole[], streetCode?: string | null): boolean {
  return grantsOf(p, roles).some((g) => wide(g) && (streetCode == null || grantCovers(g, { streetCode, communityCode: null, gridCode: null })));
}

/** True when `p` holds one of `roles` for the whole deployment (`street:*`). */
export function deploymentWide(p: Principal, roles: readonly UserRole[]): boolean {
  return grantsOf(p, roles).some((g) => g.scopeType === 'street' && g.scopeCode === '*');
}

/** Community codes `p` holds one of `roles` for (community-scoped grants only). */
export function communitiesOf(p: Principal, roles: readonly UserRole[]): string[] {
  return [...new Set(grantsOf(p, roles).filter((g) => g.scopeType === 'community').map((g) => g.scopeCode))];
}

/** Grid codes `p` holds one of `roles` for (grid-scoped grants only). */
export function gridsOf(p: Principal, roles: readonly UserRole[]): string[] {
  return [...new Set(grantsOf(p, roles).filter((g) => g.scopeType === 'grid').map((g) => g.scopeCode))];
}

/**
 * True when a grant of one of `roles` covers `place`: street-wide, or its community, or its grid.
 * A place outside every community (both codes null) is covered by street-wide grants only.
 */
export function covers(p: Principal, roles: readonly UserRole[], place: RowScope): boolean {
  return grantsOf(p, roles).some((g) => grantCovers(g, place));
}

/** 403 `out_of_scope` with a Chinese and English reason. */
export const outOfScope = (zh: string, en: string) => new HttpError(403, 'out_of_scope', zh, en);

/**
 * Street-wide settings and administration: refuses unless `p` holds one of `roles` for the whole
 * street `streetCode` (any street when not given).
 */
export function assertStreetWide(p: Principal, roles: readonly UserRole[], what: { zh: string; en: string }, streetCode?: string | null) {
  if (streetWide(p, roles, streetCode)) return;
  throw outOfScope(`${what.zh}是全街道范围的操作，需要街道级角色`, `${what.en} is street-wide: it needs a street-wide role`);
}

/**
 * Work on one community (a community plan, a partition): street-wide holders of `roles` may
 * touch any community; community holders only theirs. `community` null means the whole street.
 */
export function assertCommunity(p: Principal, roles: readonly UserRole[], community: string | null, refusal: { zh: string; en: string }, streetCode?: string | null) {
  if (streetWide(p, roles, streetCode ?? (community === null ? null : streetCodeOf({ communityCode: community, gridCode: null })))) return;
  if (community !== null && communitiesOf(p, roles).includes(community)) return;
  throw outOfScope(refusal.zh, refusal.en);
}
