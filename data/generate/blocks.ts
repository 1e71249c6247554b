/**
 * Blocks (街坊) and parcels: the land a community builds on.
 *
 * A block is the land between four road centre lines, minus the road and a setback that grows with
 * the road (arterial 18 m, secondary 13 m, local 9 m from the centre line). Its inner land is cut
 * into north–south strips of 70–170 m, some split into a north and a south half, with 6 m alleys
 * between: the parcels that become compounds, old-house quarters, sites or green space. Every parcel
 * touches the road on its north or south edge (corner strips also on the west or east), so every
 * compound can have a gate straight onto a road.
 */
import type { Frontage, Side } from './parcel-layout.js';
import type { Rect } from './projection.js';
import type { Random } from './random.js';
import type { RoadKind, StreetGrid } from './street-grid.js';

export const SETBACK_M: Record<RoadKind, number> = { arterial: 18, secondary: 13, local: 9 };
/** Road centre line → outer edge of the pavement, where shop fronts and facility points sit. */
export const KERB_M: Record<RoadKind, number> = { arterial: 14.5, secondary: 10, local: 6.5 };
export const ALLEY_M = 5;

export interface Block {
  cell: number;
  col: number;
  row: number;
  /** The block between road centre lines. */
  outer: Rect;
  /** Buildable land inside the setbacks. */
  inner: Rect;
  frontage: Record<Side, Frontage & { kind: RoadKind }>;
  /** Position in the community's serpentine order; direction of travel (1 east, -1 west). */
  order: number;
  dir: 1 | -1;
}

export interface Parcel {
  block: Block;
  rect: Rect;
  /** Which edges face a road (only edges on the block's inner boundary do). */
  sides: Partial<Record<Side, true>>;
  /** Sort key of the strip along the block (metres along the direction of travel). */
  strip: number;
}

/** The block at `cell`, with its road frontage on all four sides. */
export function makeBlock(grid: StreetGrid, cell: number, order: number, dir: 1 | -1): Block {
  const col = cell % grid.cols;
  const row = Math.floor(cell / grid.cols);
  const outer = { x0: grid.xs[col], x1: grid.xs[col + 1], y1: grid.ys[row], y0: grid.ys[row + 1] };
  const n = grid.hLines[row];
  const s = grid.hLines[row + 1];
  const w = grid.vLines[col];
  const e = grid.vLines[col + 1];
  const inner = {
    x0: outer.x0 + SETBACK_M[w.kind],
    x1: outer.x1 - SETBACK_M[e.kind],
    y0: outer.y0 + SETBACK_M[s.kind],
    y1: outer.y1 - SETBACK_M[n.kind],
  };
  return {
    cell, col, row, outer, inner, order, dir,
    frontage: {
      N: { seg: { axis: 'h', line: row, index: col }, road: outer.y1, name: n.name, kind: n.kind },
      S: { seg: { axis: 'h', line: row + 1, index: col }, road: outer.y0, name: s.name, kind: s.kind },
      W: { seg: { axis: 'v', line: col, index: row }, road: outer.x0, name: w.name, kind: w.kind },
      E: { seg: { axis: 'v', line: col + 1, index: row }, road: outer.x1, name: e.name, kind: e.kind },
    },
  };
}

/** Cuts a block's inner land into strips, some halved north/south. */
export function carveParcels(rng: Random, block: Block): Parcel[] {
  const { inner } = block;
  const width = inner.x1 - inner.x0;
  const height = inner.y1 - inner.y0;
  const n = Math.max(1, Math.round(width / rng.range(120, 175)));
  const shares = Array.from({ length: n }, () => rng.range(0.75, 1.25));
  const total = shares.reduce((a, b) => a + b, 0);
  const usable = width - (n - 1) * ALLEY_M;
  const parcels: Parcel[] = [];
  let x = inner.x0;
  for (let k = 0; k < n; k++) {
    const w = k === n - 1 ? inner.x1 - x : (usable * shares[k]) / total;
    const strip: Rect = { x0: x, x1: x + w, y0: inner.y0, y1: inner.y1 };
    const ends: Partial<Record<Side, true>> = {};
    if (k === 0) ends.W = true;
    if (k === n - 1) ends.E = true;
    const key = ((strip.x0 + strip.x1) / 2) * block.dir;
    if (height > 140 && rng.chance(0.55)) {
      const cut = inner.y0 + (height - ALLEY_M) * rng.range(0.42, 0.58);
      parcels.push({ block, rect: { ...strip, y0: cut + ALLEY_M }, sides: { ...ends, N: true }, strip: key });
      parcels.push({ block, rect: { ...strip, y1: cut }, sides: { ...ends, S: true }, strip: key });
    } else {
      parcels.push({ block, rect: strip, sides: { ...ends, N: true, S: true }, strip: key });
    }
    x += w + ALLEY_M;
  }
  return parcels;
}

/**
 * Cuts a piece of `size` metres off the `side` edge of a parcel (an alley between): the piece
 * keeps the frontage of that edge; returns [piece, rest] (rest null when too small to keep).
 */
export function cutParcel(p: Parcel, side: Side, size: number, minRest = 30): [Parcel, Parcel | null] {
  const r = p.rect;
  const piece: Parcel = { ...p, rect: { ...r }, sides: { ...p.sides } };
  const rest: Parcel = { ...p, rect: { ...r }, sides: { ...p.sides } };
  if (side === 'N') {
    piece.rect.y0 = r.y1 - size;
    rest.rect.y1 = piece.rect.y0 - ALLEY_M;
    delete piece.sides.S;
    delete rest.sides.N;
  } else if (side === 'S') {
    piece.rect.y1 = r.y0 + size;
    rest.rect.y0 = piece.rect.y1 + ALLEY_M;
    delete piece.sides.N;
    delete rest.sides.S;
  } else if (side === 'W') {
    piece.rect.x1 = r.x0 + size;
    rest.rect.x0 = piece.rect.x1 + ALLEY_M;
    delete piece.sides.E;
    delete rest.sides.W;
  } else {
    piece.rect.x0 = r.x1 - size;
    rest.rect.x1 = piece.rect.x0 - ALLEY_M;
    delete piece.sides.W;
    delete rest.sides.E;
  }
  const restW = rest.rect.x1 - rest.rect.x0;
  const restD = rest.rect.y1 - rest.rect.y0;
  // A rest must still reach a road on its north or south edge.
  const ok = restW >= minRest && restD >= minRest && (rest.sides.N || rest.sides.S);
  return [piece, ok ? rest : null];
}

/** The frontage a parcel may use for exits (edges on the block boundary only). */
export function parcelFrontage(p: Parcel): Partial<Record<Side, Frontage>> {
  const out: Partial<Record<Side, Frontage>> = {};
  for (const s of ['N', 'S', 'W', 'E'] as const) if (p.sides[s]) out[s] = p.block.frontage[s];
  return out;
}

export function width(r: Rect): number {
  return r.x1 - r.x0;
}
export function depth(r: Rect): number {
  return r.y1 - r.y0;
}
