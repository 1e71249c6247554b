/**
 * Lays out one parcel (a compound, an old-house quarter or a dedicated site): rows of buildings,
 * the paths that reach every entrance, and the gates to the roads.
 *
 * Rows run east–west (slabs face south) with the sunlight spacing of their template; a spine path
 * runs north–south beside (or between) the buildings, and a branch path on the north side of each
 * row — where the stairwell doors are — reaches a node at every building's entrance. Gates leave
 * the spine straight to the road at the parcel's north or south edge (or its west/east edge when
 * the parcel sits on a block corner). Because every path is axis-parallel and lies in a gap the
 * buildings never use, the network stays planar, and a gated compound's only links to the outside
 * are its gate edges.
 */
import type { Template } from './building-types.js';
import type { Rect } from './projection.js';
import type { Random } from './random.js';
import type { WalkEdgeKind } from './types.js';
import type { RoadSegment, WalkGraph } from './walk-graph.js';

/** Where a parcel's edges meet roads: the segment and the road centre line's coordinate. */
export interface Frontage {
  seg: RoadSegment;
  /** y of the road for N/S, x for W/E. */
  road: number;
  name: string;
}

export type Side = 'N' | 'S' | 'W' | 'E';

/** Supplies building templates: `peek` proposes one no wider than `maxW`, `take` accepts it. */
export interface TemplateSource {
  peek(maxW: number): Template | null;
  take(): void;
}

export interface LayoutOptions {
  rect: Rect;
  frontage: Partial<Record<Side, Frontage>>;
  source: TemplateSource;
  /** Start the rows at this (road-facing) edge. */
  from: 'N' | 'S';
  /** Kind of the edges that leave the parcel; 'gate' only for gated compounds. */
  connect: WalkEdgeKind;
  /** Kind of the paths inside. */
  inner: WalkEdgeKind;
  /** How many exits to make (at least one, at most the sides available). */
  exits: number;
  /** Shrink the fence to the rows actually built (compounds), or keep the parcel (sites). */
  shrink: boolean;
  /** Gate names get this prefix ("福海花园" → "福海花园北门"). */
  gateName?: string;
}

export interface PlacedBuilding {
  tpl: Template;
  rect: Rect;
  entrance: number;
}

/** A spot for a facility inside the parcel, with the node its footway starts from. */
export interface Anchor {
  node: number;
  x: number;
  y: number;
  /** The building the spot is next to (index into the result's buildings, or a caller's id). */
  building: number;
}

export interface ParcelResult {
  buildings: PlacedBuilding[];
  fence: Rect;
  anchors: Anchor[];
}

const MARGIN = 4; // fence → spine / first branch
const CLEAR = 5; // fence or spine → building
const DOOR = 3; // building wall → branch path

interface Row {
  branchY: number;
  placed: { tpl: Template; rect: Rect; zone: number }[];
}

/** Lays out buildings, paths and gates in `opts.rect`, adding nodes and edges to `graph`. */
export function layoutParcel(graph: WalkGraph, rng: Random, opts: LayoutOptions): ParcelResult {
  const fence = { ...opts.rect };
  const width = fence.x1 - fence.x0;
  const spineMode: 'W' | 'E' | 'C' =
    width >= 190 ? 'C' : opts.frontage.W && !opts.frontage.E ? 'W' : opts.frontage.E && !opts.frontage.W ? 'E' : rng.chance(0.5) ? 'W' : 'E';
  const spineX =
    spineMode === 'W' ? fence.x0 + MARGIN : spineMode === 'E' ? fence.x1 - MARGIN : fence.x0 + width * rng.range(0.42, 0.58);
  const zones: [number, number][] =
    spineMode === 'W'
      ? [[spineX + CLEAR, fence.x1 - CLEAR]]
      : spineMode === 'E'
        ? [[fence.x0 + CLEAR, spineX - CLEAR]]
        : [[fence.x0 + CLEAR, spineX - CLEAR], [spineX + CLEAR, fence.x1 - CLEAR]];

  const rows = opts.from === 'N' ? rowsFromNorth(fence, zones, opts.source) : rowsFromSouth(fence, zones, opts.source);
  if (rows.length === 0) return { buildings: [], fence, anchors: [] };

  if (opts.shrink) {
    if (opts.from === 'N') fence.y0 = Math.max(fence.y0, Math.min(...rows[rows.length - 1].placed.map((p) => p.rect.y0)) - CLEAR);
    else fence.y1 = Math.min(fence.y1, rows[rows.length - 1].branchY + MARGIN);
  }
  const touches = (s: Side) =>
    opts.frontage[s] !== undefined &&
    (s === 'N' ? fence.y1 === opts.rect.y1 : s === 'S' ? fence.y0 === opts.rect.y0 : s === spineMode);
  const available = (['N', 'S', 'W', 'E'] as const).filter(touches);
  const exits = rng.shuffle(available).slice(0, Math.max(1, Math.min(opts.exits, available.length)));

  // Spine stops: every branch, plus the ends where N/S exits leave.
  const stops = rows.map((r) => r.branchY);
  if (exits.includes('N')) stops.push(fence.y1 - MARGIN);
  if (exits.includes('S')) stops.push(fence.y0 + MARGIN);
  const spineYs = [...new Set(stops.map((y) => Math.round(y * 100) / 100))].sort((a, b) => b - a);
  const spineNode = new Map<number, number>();
  for (const y of spineYs) spineNode.set(y, graph.node(spineX, y));
  for (let k = 0; k + 1 < spineYs.length; k++) graph.edge(spineNode.get(spineYs[k])!, spineNode.get(spineYs[k + 1])!, opts.inner);
  const stopAt = (y: number) => spineNode.get(Math.round(y * 100) / 100)!;

  const buildings: PlacedBuilding[] = [];
  const anchors: Anchor[] = [];
  for (const row of rows) {
    const from = stopAt(row.branchY);
    for (let z = 0; z < zones.length; z++) {
      const inZone = row.placed.filter((p) => p.zone === z);
      // Order from the spine outwards.
      const westOfSpine = zones[z][1] <= spineX;
      inZone.sort((a, b) => (westOfSpine ? b.rect.x0 - a.rect.x0 : a.rect.x0 - b.rect.x0));
      let prev = from;
      for (const p of inZone) {
        const entrance = graph.node((p.rect.x0 + p.rect.x1) / 2, row.branchY);
        graph.edge(prev, entrance, opts.inner);
        prev = entrance;
        buildings.push({ tpl: p.tpl, rect: p.rect, entrance });
      }
      if (inZone.length > 0) {
        const last = inZone[inZone.length - 1].rect;
        anchors.push({ node: prev, x: westOfSpine ? last.x0 - 2.5 : last.x1 + 2.5, y: row.branchY, building: buildings.length - 1 });
      }
    }
  }

  for (const side of exits) {
    const f = opts.frontage[side]!;
    const name = opts.gateName ? `${opts.gateName}${{ N: '北门', S: '南门', W: '西门', E: '东门' }[side]}` : null;
    if (side === 'N' || side === 'S') {
      const inner = stopAt(side === 'N' ? fence.y1 - MARGIN : fence.y0 + MARGIN);
      graph.edge(inner, graph.roadNode(f.seg, spineX), opts.connect, name);
    } else {
      const row = rows[Math.floor(rows.length / 2)];
      graph.edge(stopAt(row.branchY), graph.roadNode(f.seg, row.branchY), opts.connect, name);
    }
  }
  return { buildings, fence, anchors };
}

/** Fills one row left to right in every zone; returns what fits between `top` and `floor`. */
function fillRow(
  zones: [number, number][],
  source: TemplateSource,
  fits: (t: Template) => boolean,
): { tpl: Template; x0: number; x1: number; zone: number }[] {
  const out: { tpl: Template; x0: number; x1: number; zone: number }[] = [];
  for (let z = 0; z < zones.length; z++) {
    let x = zones[z][0];
    for (;;) {
      const tpl = source.peek(zones[z][1] - x);
      if (!tpl || !fits(tpl)) break;
      source.take();
      out.push({ tpl, x0: x, x1: x + tpl.w, zone: z });
      x += tpl.w + tpl.sideGap;
    }
  }
  return out;
}

function rowsFromNorth(fence: Rect, zones: [number, number][], source: TemplateSource): Row[] {
  const rows: Row[] = [];
  const floor = fence.y0 + CLEAR;
  let top = fence.y1 - MARGIN - DOOR;
  let gap = Infinity; // no row to the north of the first one
  for (;;) {
    const rowTop = top;
    const rowGap = gap;
    const placed = fillRow(zones, source, (t) => rowTop - t.d >= floor && Math.max(6, t.rowGap) <= rowGap);
    if (placed.length === 0) break;
    const row: Row = {
      branchY: rowTop + DOOR,
      placed: placed.map((p) => ({ tpl: p.tpl, zone: p.zone, rect: { x0: p.x0, x1: p.x1, y1: rowTop, y0: rowTop - p.tpl.d } })),
    };
    rows.push(row);
    // The next (southern) row must keep its own sunlight gap to this one: size the gap by the
    // building it will start with — exactly the template fillRow will be offered first.
    const next = zones.map((z) => source.peek(z[1] - z[0])).find((t) => t !== null);
    if (!next) break;
    gap = Math.max(6, next.rowGap);
    top = Math.min(...row.placed.map((p) => p.rect.y0)) - gap;
  }
  return rows;
}

function rowsFromSouth(fence: Rect, zones: [number, number][], source: TemplateSource): Row[] {
  const rows: Row[] = [];
  const ceiling = fence.y1 - MARGIN - DOOR;
  let bottom = fence.y0 + CLEAR;
  for (;;) {
    const placed = fillRow(zones, source, (t) => bottom + t.d <= ceiling);
    if (placed.length === 0) break;
    const rects = placed.map((p) => ({ tpl: p.tpl, zone: p.zone, rect: { x0: p.x0, x1: p.x1, y0: bottom, y1: bottom + p.tpl.d } }));
    const top = Math.max(...rects.map((p) => p.rect.y1));
    rows.push({ branchY: top + DOOR, placed: rects });
    const gap = Math.max(6, ...rects.map((p) => p.tpl.rowGap));
    bottom = top + gap;
  }
  return rows;
}
