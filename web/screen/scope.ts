/**
 * The wall screen's drill-down: street → community → grid → building. Every panel reads the
 * current scope; the breadcrumb and the tour move it.
 */
import type { BBox, ScreenBuilding, ScreenCommunity, ScreenGrid, ScreenSummary } from '../http/screen-api';

export type Scope =
  | { level: 'street' }
  | { level: 'community'; community: string }
  | { level: 'grid'; community: string; grid: string }
  | { level: 'building'; community: string; grid: string | null; building: string };

export const STREET: Scope = { level: 'street' };

export const communityOf = (s: ScreenSummary, code: string | undefined): ScreenCommunity | undefined =>
  code ? s.communities.find((c) => c.code === code) : undefined;

export const gridOf = (s: ScreenSummary, code: string | null | undefined): ScreenGrid | undefined =>
  code ? s.grids.find((g) => g.code === code) : undefined;

/** One level up, for the breadcrumb and the tour. */
export function parentScope(scope: Scope): Scope {
  switch (scope.level) {
    case 'street':
    case 'community':
      return STREET;
    case 'grid':
      return { level: 'community', community: scope.community };
    case 'building':
      return scope.grid ? { level: 'grid', community: scope.community, grid: scope.grid } : { level: 'community', community: scope.community };
  }
}

/** The ancestors of a scope, street first, itself last. */
export function scopeChain(scope: Scope): Scope[] {
  const chain: Scope[] = [scope];
  let s = scope;
  while (s.level !== 'street') {
    s = parentScope(s);
    chain.unshift(s);
  }
  return chain;
}

/** The whole street: the union of its communities' boxes (`undefined` for an empty street). */
export function streetBBox(s: ScreenSummary): BBox | undefined {
  const bs = s.communities.map((c) => c.bbox);
  if (bs.length === 0) return undefined;
  return [Math.min(...bs.map((b) => b[0])), Math.min(...bs.map((b) => b[1])), Math.max(...bs.map((b) => b[2])), Math.max(...bs.map((b) => b[3]))];
}

/** Where the camera goes for a scope (`null` = the whole street). */
export function scopeBBox(s: ScreenSummary, scope: Scope, building: ScreenBuilding | null): BBox | null {
  switch (scope.level) {
    case 'street':
      return null;
    case 'community':
      return communityOf(s, scope.community)?.bbox ?? null;
    case 'grid':
      return gridOf(s, scope.grid)?.bbox ?? null;
    case 'building': {
      if (!building || building.code !== scope.building) return gridOf(s, scope.grid)?.bbox ?? null;
      // A lone building fills the screen; frame it with some of its surroundings.
      const [a, b, c, d] = building.bbox;
      const pad = 0.0012;
      return [a - pad, b - pad * 0.8, c + pad, d + pad * 0.8];
    }
  }
}

/** Same scope? (The tour and the map use it to skip needless camera moves.) */
export function sameScope(a: Scope, b: Scope): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
