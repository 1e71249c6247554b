/**
 * The place a row of data belongs to (street, community, grid) and whether a role grant covers it.
 * One predicate for every scoped decision — who may read a building's households, which requests a
 * caller sees, and how much personal data of a row it may see (masking.ts `disclosureFor`) — so the
 * three can never disagree about what "your grid" or "your community" means.
 */
import type { RoleGrant } from './principal.js';

export interface RowScope {
  /** The street's code when known; rows of the (single) street leave it out. */
  streetCode?: string | null;
  /** null: outside every community (e.g. an unassigned request) — only street grants cover it. */
  communityCode: string | null;
  /** null: not in a grid of the plan — only street and community grants cover it. */
  gridCode: string | null;
}

/** A grant covers a row when its scope is the row's street, community or grid. */
export function grantCovers(g: RoleGrant, row: RowScope): boolean {
  if (g.scopeType === 'street') return g.scopeCode === '*' || row.streetCode == null || g.scopeCode === row.streetCode;
  if (g.scopeType === 'community') return row.communityCode !== null && g.scopeCode === row.communityCode;
  return row.gridCode !== null && g.scopeCode === row.gridCode;
}
