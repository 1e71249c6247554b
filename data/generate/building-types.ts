/**
 * Building templates: footprint, floors, 单元 and households per floor for each kind of building
 * the old town has, with the spacing rules that decide how densely they can be laid out.
 *
 * - 多层 walk-ups: E–W slabs of 2–6 stairwells (~13 m each), 4–7 floors, two flats per landing —
 *   the bulk of the households.
 * - 老式楼房 small old blocks (1950s–80s), 2–3 floors.
 * - 平房/小楼 old low-rise houses: the 所城里 courtyards and the villas around 烟台山.
 * - 高层 towers, few but large.
 * - non-residential buildings of dedicated sites (schools, markets, hospitals, offices, shops)
 *   and public buildings (党群服务中心, 派出所), all with 0 households.
 */
import type { Random } from './random.js';
import type { BuildingUse } from './types.js';

export type BuildingClass = 'walkup' | 'oldblock' | 'house' | 'tower' | 'site';

export interface Template {
  cls: BuildingClass;
  use: BuildingUse;
  /** E–W length and N–S depth, metres. */
  w: number;
  d: number;
  floors: number;
  units: number;
  /** Households per floor per unit (0 for non-residential). */
  perFloor: number;
  builtYear: number;
  /** Label for non-residential buildings ("教学楼"), else null. */
  label: string | null;
  /** Clear distance wanted to the row to the north (sunlight spacing), metres; at least 6. */
  rowGap: number;
  /** Clear distance to the next building in the row, metres. */
  sideGap: number;
}

const STOREY_M = 2.9;

function rowGap(floors: number, factor: number, cap = 60): number {
  return Math.max(6, Math.min(cap, floors * STOREY_M * factor));
}

/** A 多层 walk-up slab no longer than `maxW` (null if even a two-unit slab does not fit). */
export function walkup(rng: Random, maxW: number, builtYear: number): Template | null {
  let units = rng.table([[2, 8], [3, 17], [4, 35], [5, 32], [6, 8]] as const);
  const unitW = rng.range(12, 14);
  while (units > 2 && units * unitW + 1 > maxW) units--;
  const w = units * unitW + 1;
  if (w > maxW) return null;
  const floors = rng.table([[4, 8], [5, 34], [6, 46], [7, 12]] as const);
  return {
    cls: 'walkup', use: 'residential', w, d: rng.range(11, 14), floors, units,
    perFloor: rng.chance(0.08) ? 3 : 2, builtYear, label: null,
    rowGap: rowGap(floors, rng.range(0.85, 1.05)), sideGap: rng.range(8, 12),
  };
}

/** A 老式楼房 two- or three-storey block. */
export function oldBlock(rng: Random, maxW: number, builtYear: number): Template | null {
  let units = rng.chance(0.6) ? 2 : 1;
  const unitW = rng.range(10.5, 13);
  if (units * unitW + 1 > maxW) units = 1;
  const w = units * unitW + 1;
  if (w > maxW) return null;
  const floors = rng.chance(0.6) ? 3 : 2;
  return {
    cls: 'oldblock', use: 'residential', w, d: rng.range(9, 11), floors, units, perFloor: 2, builtYear,
    label: null, rowGap: rowGap(floors, rng.range(0.85, 1.0)), sideGap: rng.range(5, 8),
  };
}

/** An old low-rise house (平房 or two-storey 小楼), one or two households per floor. */
export function house(rng: Random, maxW: number, builtYear: number): Template | null {
  const w = Math.min(maxW, rng.range(9, 17));
  if (w < 8) return null;
  const floors = rng.chance(0.55) ? 1 : 2;
  return {
    cls: 'house', use: 'residential', w, d: rng.range(7, 11), floors, units: 1,
    perFloor: rng.chance(0.45) ? 2 : 1, builtYear, label: null, rowGap: rng.range(6, 8), sideGap: rng.range(2, 4),
  };
}

/** A 高层 residential tower. */
export function tower(rng: Random, maxW: number, builtYear: number): Template | null {
  let units = rng.chance(0.6) ? 2 : 1;
  if (units === 2 && maxW < 38) units = 1;
  const w = units === 2 ? rng.range(36, Math.min(46, maxW)) : rng.range(24, Math.min(30, maxW));
  if (w > maxW || maxW < 24) return null;
  const floors = rng.int(18, 28);
  return {
    cls: 'tower', use: 'residential', w, d: rng.range(16, 20), floors, units,
    perFloor: units === 1 ? rng.table([[2, 3], [3, 3], [4, 2]] as const) : rng.table([[2, 6], [3, 2]] as const), builtYear, label: null,
    rowGap: rowGap(floors, 0.55, 48), sideGap: rng.range(14, 20),
  };
}

/** A non-residential building of a given size (school block, market hall, clinic, shop …). */
export function siteBuilding(
  use: BuildingUse,
  label: string,
  w: number,
  d: number,
  floors: number,
  builtYear: number,
): Template {
  return {
    cls: 'site', use, w, d, floors, units: 0, perFloor: 0, builtYear, label,
    rowGap: rowGap(floors, 0.6, 30), sideGap: 10,
  };
}

/** Households a residential template holds. */
export function householdsOf(t: Template): number {
  return t.floors * t.units * t.perFloor;
}
