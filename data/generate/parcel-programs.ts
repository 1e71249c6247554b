/**
 * Fills one parcel with what a community needs there: a dedicated or public site (cut to the size
 * it needs, the rest handed back) or a housing program — old houses, towers, old blocks or walk-up
 * compounds with the right era, name and gates.
 *
 * Kept apart from community.ts, which decides which parcel gets what; this module only knows how
 * a single parcel is built.
 */
import { ALLEY_M, type Parcel, cutParcel, depth, parcelFrontage, width } from './blocks.js';
import type { BuiltBuilding, CommunityBuild } from './community.js';
import { classSource, type Quota } from './housing-mix.js';
import { layoutParcel, type PlacedBuilding, type Side } from './parcel-layout.js';
import { compoundName, type NameRegistry } from './place-names.js';
import type { Rect } from './projection.js';
import type { Random } from './random.js';
import { type SitePlan, siteSource } from './sites.js';
import type { WalkGraph } from './walk-graph.js';

/** The residential building classes a parcel can be given. */
export type Program = 'house' | 'tower' | 'oldblock' | 'walkup';

/** Records placed buildings in the community (shared sequence keys, unit id); returns their ids. */
export type PlaceFn = (p: Parcel, placed: PlacedBuilding[], extra: Partial<BuiltBuilding>, fence: Rect) => number[];

/** Puts a site on the first parcel that can take it, cutting the parcel to size. */
export function placeSite(rng: Random, graph: WalkGraph, free: Parcel[], plan: SitePlan) {
  for (const relax of [1, 0.85, 0.7, 0.5]) {
    const fits = free.filter((p) => width(p.rect) >= plan.needW * relax && depth(p.rect) >= plan.needD * relax);
    const scored = fits
      .map((p) => ({ p, s: rng.float() - (['N', 'S'] as const).filter((s) => p.sides[s] && p.block.frontage[s].kind !== 'local').length }))
      .sort((a, b) => a.s - b.s);
    for (const { p } of scored) {
      let rest = free.filter((q) => q !== p);
      let piece = p;
      if (width(piece.rect) > plan.needW + 36) {
        const [a, b] = cutParcel(piece, rng.chance(0.5) ? 'W' : 'E', plan.needW);
        piece = a;
        if (b) rest = [...rest, b];
      }
      const roadSides = (['N', 'S'] as const).filter((s) => piece.sides[s]);
      const side: 'N' | 'S' =
        roadSides.length === 2
          ? piece.block.frontage.N.kind !== 'local' || rng.chance(0.5) ? 'N' : 'S'
          : roadSides[0];
      if (depth(piece.rect) > plan.needD + 36) {
        const [a, b] = cutParcel(piece, side, plan.needD);
        piece = a;
        if (b) rest = [...rest, b];
      }
      const out = layoutParcel(graph, rng, {
        rect: piece.rect, frontage: parcelFrontage(piece), source: siteSource(plan), from: side,
        connect: 'footway', inner: 'footway', exits: plan.frontRow ? 2 : rng.int(1, 2), shrink: false,
      });
      if (out.buildings.length === 0) continue;
      return { parcel: piece, placed: out.buildings, fence: out.fence, anchors: out.anchors, free: rest, side, block: piece.block };
    }
  }
  return null;
}

/** Fills one parcel with a housing program; returns the unused end of the parcel, if worth keeping. */
export function fillHousing(
  rng: Random,
  graph: WalkGraph,
  build: CommunityBuild,
  parcel: Parcel,
  program: Program,
  quota: Quota,
  names: NameRegistry,
  place: PlaceFn,
): { used: boolean; rest: Parcel | null } {
  const year =
    program === 'house'
      ? build.brief.style === 'oldtown' ? rng.int(1890, 1950) : rng.int(1920, 1975)
      : program === 'tower' ? rng.int(2004, 2018) : program === 'oldblock' ? rng.int(1958, 1988) : rng.int(1980, 2008);
  const isCompound = program !== 'house';
  const gated = program === 'tower' || (program === 'walkup' ? rng.chance(0.85) : program === 'oldblock' && rng.chance(0.4));
  const name = isCompound ? names.unique(compoundName(rng, year, program === 'tower')) : null;
  const from: 'N' | 'S' = parcel.sides.N && parcel.sides.S ? (rng.chance(0.5) ? 'N' : 'S') : parcel.sides.N ? 'N' : 'S';
  const out = layoutParcel(graph, rng, {
    rect: parcel.rect, frontage: parcelFrontage(parcel), source: classSource(rng, program, quota, year), from,
    connect: gated ? 'gate' : 'footway', inner: isCompound ? 'path' : 'footway',
    exits: gated ? rng.table([[1, 4], [2, 4.5], [3, 1.5]] as const) : 3, shrink: true, gateName: name ?? undefined,
  });
  if (out.buildings.length === 0) return { used: false, rest: null };
  let compound: number | null = null;
  if (isCompound) {
    compound = build.compounds.length;
    build.compounds.push({ name: name!, gated, builtYear: year, fence: out.fence, anchors: [], buildings: [] });
  }
  const ids = place(parcel, out.buildings, { compound }, out.fence);
  const anchors = out.anchors.map((a) => ({ ...a, building: ids[a.building] }));
  if (compound !== null) Object.assign(build.compounds[compound], { buildings: ids, anchors });
  else build.quarters.push({ anchors, buildings: ids });
  // Hand back the unused end of the parcel (it still reaches the road on its far edge).
  const r = parcel.rect;
  const without = (side: Side) => {
    const sides = { ...parcel.sides };
    delete sides[side];
    return sides;
  };
  if (from === 'N' && parcel.sides.S && out.fence.y0 - r.y0 >= 36) {
    return { used: true, rest: { ...parcel, rect: { ...r, y1: out.fence.y0 - ALLEY_M }, sides: without('N') } };
  }
  if (from === 'S' && parcel.sides.N && r.y1 - out.fence.y1 >= 36) {
    return { used: true, rest: { ...parcel, rect: { ...r, y0: out.fence.y1 + ALLEY_M }, sides: without('S') } };
  }
  return { used: true, rest: null };
}

