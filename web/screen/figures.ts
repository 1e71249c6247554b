/**
 * The figures every panel shows, for the current scope, computed from the screen summary (and the
 * building card's answer at building level). Pure, so it is unit-tested without a browser.
 */
import type { BandStatus } from '../http/api-types';
import type { ScreenBuilding, ScreenGrid, ScreenSummary } from '../http/screen-api';
import { communityOf, gridOf, type Scope } from './scope';

export interface Figures {
  communities: number;
  gridsBasic: number;
  gridsDedicated: number;
  buildings: number;
  households: number;
  residents: number;
  partyMembers: number;
  partyCenters: number;
  /** `null` when the facility counts of this scope are not known (a grid before /api/stats answers). */
  facilities: number | null;
  /** Share of basic grids with 300–400 households, 0…1; `null` when the scope has no basic grid. */
  inBandShare: number | null;
  band: Record<BandStatus, number>;
}

/** Grids of a scope: all, a community's, or the one grid (of a building too). */
export function gridsInScope(s: ScreenSummary, scope: Scope): ScreenGrid[] {
  if (scope.level === 'street') return s.grids;
  if (scope.level === 'community') return s.grids.filter((g) => g.communityCode === scope.community);
  const g = gridOf(s, scope.grid);
  return g ? [g] : [];
}

export function bandCounts(grids: readonly ScreenGrid[]): Record<BandStatus, number> {
  const band: Record<BandStatus, number> = { under: 0, in: 0, over: 0, dedicated: 0 };
  for (const g of grids) band[g.status]++;
  return band;
}

/** Facilities by category in the scope; grid counts come from `/api/stats?grid=` (`gridFacilities`). */
export function facilitiesByCategory(
  s: ScreenSummary,
  scope: Scope,
  gridFacilities: Record<string, number> | null,
): Record<string, number> | null {
  if (scope.level === 'grid' || (scope.level === 'building' && scope.grid)) return gridFacilities;
  const out: Record<string, number> = {};
  for (const f of s.facilities) {
    if (scope.level !== 'street' && f.community !== scope.community) continue;
    out[f.category] = (out[f.category] ?? 0) + f.count;
  }
  return out;
}

const sum = <T>(rows: readonly T[], key: (r: T) => number) => rows.reduce((a, r) => a + key(r), 0);

export function figuresFor(
  s: ScreenSummary,
  scope: Scope,
  extra: { building: ScreenBuilding | null; gridFacilities: Record<string, number> | null },
): Figures {
  const grids = gridsInScope(s, scope);
  const band = bandCounts(grids);
  const basic = band.under + band.in + band.over;
  const byCat = facilitiesByCategory(s, scope, extra.gridFacilities);
  const common = {
    gridsBasic: basic,
    gridsDedicated: band.dedicated,
    facilities: byCat ? Object.values(byCat).reduce((a, b) => a + b, 0) : null,
    inBandShare: basic > 0 ? band.in / basic : null,
    band,
  };
  if (scope.level === 'building' && extra.building && extra.building.code === scope.building) {
    const b = extra.building;
    return { ...common, communities: 1, buildings: 1, households: b.households, residents: b.residents, partyMembers: b.partyMembers, partyCenters: b.partyCenters };
  }
  if (scope.level === 'grid' || scope.level === 'building') {
    return {
      ...common,
      communities: 1,
      buildings: sum(grids, (g) => g.buildings),
      households: sum(grids, (g) => g.households),
      residents: sum(grids, (g) => g.residents),
      partyMembers: sum(grids, (g) => g.partyMembers),
      partyCenters: sum(grids, (g) => g.partyCenters),
    };
  }
  const communities = scope.level === 'street' ? s.communities : [communityOf(s, scope.community)].filter((c) => !!c);
  return {
    ...common,
    communities: communities.length,
    buildings: sum(communities, (c) => c.buildings),
    households: sum(communities, (c) => c.households),
    residents: sum(communities, (c) => c.residents),
    partyMembers: sum(communities, (c) => c.partyMembers),
    partyCenters: sum(communities, (c) => c.partyCenters),
  };
}

/**
 * A KPI numeral that fits its tile: up to 99,999 in full; above, in 万 (zh) or k/M (en), as a
 * Chinese statistics board would write 167.9万 rather than 1,679,339.
 */
export function kpiCount(v: number, lang: 'zh-CN' | 'en', num: (n: number) => string): string {
  if (v < 100_000) return num(v);
  if (lang === 'zh-CN') return `${(v / 10_000).toFixed(1)}万`;
  return v < 1_000_000 ? `${Math.round(v / 1_000)}k` : `${(v / 1_000_000).toFixed(2)}M`;
}
