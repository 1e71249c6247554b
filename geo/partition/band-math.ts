/** Household arithmetic of the band: how many grids a total needs, and how far a grid misses. */
import type { Band } from '../band.js';

/** Households outside [lo, hi] (0 when in band). */
export function violation(w: number, band: Band): number {
  return w < band.lo ? band.lo - w : w > band.hi ? w - band.hi : 0;
}

/** Whether `w` households can be cut into k grids that are all in band (by weight alone). */
export function weightFeasible(w: number, k: number, band: Band): boolean {
  return k >= 1 && w >= k * band.lo && w <= k * band.hi;
}

/**
 * The number of grids for `w` households: nearest to w / target among the counts that can all be
 * in band; when none can, the count with the smallest total violation (ties → fewer grids).
 */
export function chooseK(w: number, band: Band): number {
  if (w <= 0) return 1;
  const kMin = Math.max(1, Math.ceil(w / band.hi));
  const kMax = Math.floor(w / band.lo);
  if (kMin <= kMax) return Math.min(kMax, Math.max(kMin, Math.round(w / band.target)));
  const cost = (k: number) => Math.max(0, w - k * band.hi) + Math.max(0, k * band.lo - w);
  const a = Math.max(1, kMax);
  return cost(a) <= cost(kMin) ? a : kMin;
}

/** Household window [lo, hi] for the side holding k1 of k grids when w is split in two. */
export function splitWindow(w: number, k1: number, k: number, band: Band): [number, number] {
  const k2 = k - k1;
  return [Math.max(k1 * band.lo, w - k2 * band.hi), Math.min(k1 * band.hi, w - k2 * band.lo)];
}
