/**
 * The published plan: basic grids cut from each community's residential buildings in a
 * serpentine order over its compounds (so a grid is a run of neighbouring buildings and mostly
 * keeps compounds whole), sized around 350 households with a realistic share drifted out of the
 * 300–400 band; one dedicated grid per dedicated site. Codes run west→east, north→south.
 */
import type { Rng } from './rng.js';

export interface PlanBuilding { code: string; households: number; x: number; y: number; siteKey: string; dedicated: boolean }
export interface PlanCut { buildingCodes: string[]; kind: 'basic' | 'dedicated'; siteKey: string; x: number; y: number }

/** Splits a community's buildings into `k` basic grids (serpentine order) plus dedicated grids. */
export function cutCommunity(rng: Rng, buildings: PlanBuilding[], k: number, drift: number): PlanCut[] {
  const res = buildings.filter((b) => !b.dedicated);
  const cuts: PlanCut[] = [];
  // Serpentine order: by block row (north→south), alternate direction, compound by compound.
  const rowOf = (b: PlanBuilding) => Math.round(b.y / 200);
  const order = [...res].sort((a, b) => {
    const ra = rowOf(a);
    const rb = rowOf(b);
    if (ra !== rb) return rb - ra;
    const dir = ra % 2 === 0 ? 1 : -1;
    if (a.siteKey !== b.siteKey) return dir * (a.x - b.x);
    return b.y - a.y || dir * (a.x - b.x);
  });
  const total = order.reduce((s, b) => s + b.households, 0);
  const targets = Array.from({ length: k - 1 }, (_, i) => ((i + 1) * total) / k + (rng.chance(drift) ? rng.int(-1, 1) * rng.int(60, 110) : 0));
  let acc = 0;
  let t = 0;
  let current: PlanBuilding[] = [];
  for (const b of order) {
    if (t < targets.length && acc + b.households / 2 > targets[t] && current.length > 0) {
      cuts.push(toCut(current, 'basic'));
      current = [];
      t++;
    }
    current.push(b);
    acc += b.households;
  }
  if (current.length) cuts.push(toCut(current, 'basic'));
  const sites = new Map<string, PlanBuilding[]>();
  for (const b of buildings.filter((x) => x.dedicated)) sites.set(b.siteKey, [...(sites.get(b.siteKey) ?? []), b]);
  for (const list of sites.values()) cuts.push(toCut(list, 'dedicated'));
  return cuts;
}

function toCut(list: PlanBuilding[], kind: 'basic' | 'dedicated'): PlanCut {
  return {
    buildingCodes: list.map((b) => b.code),
    kind,
    siteKey: list[0].siteKey,
    x: list.reduce((s, b) => s + b.x, 0) / list.length,
    y: list.reduce((s, b) => s + b.y, 0) / list.length,
  };
}

/** Orders grids for numbering: north→south in 150 m bands, west→east inside a band; basic first. */
export function numberingOrder(a: PlanCut, b: PlanCut): number {
  if (a.kind !== b.kind) return a.kind === 'basic' ? -1 : 1;
  const ba = Math.round(-a.y / 150);
  const bb = Math.round(-b.y / 150);
  return ba - bb || a.x - b.x;
}
