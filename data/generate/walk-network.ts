/**
 * The walk network as a planar graph: the road grid (sidewalks of arterial and secondary roads,
 * local lanes), paths inside compounds, footways to building doors and facilities, and gate edges —
 * the only way into a gated compound. Lines are split at every junction so that edges meet only at
 * nodes.
 */
import { BLOCK_H, BLOCK_W, type LCommunity } from './layout.js';
import { EW_ROADS, NS_ROADS } from './names.js';
import type { Rng } from './rng.js';
import type { WalkEdgeKind } from './types.js';

export interface LNode { id: number; x: number; y: number }
export interface LEdge { source: number; target: number; kind: WalkEdgeKind; name: string | null }

interface Line {
  horizontal: boolean;
  at: number;
  from: number;
  to: number;
  kind: WalkEdgeKind;
  name: string | null;
  points: Set<number>;
}

/** Where a point joins a road line: the horizontal line at y, or the vertical line at x. */
export type Attach = { h: number } | { v: number };

export class NetworkBuilder {
  readonly nodes: LNode[] = [];
  readonly edges: LEdge[] = [];
  private readonly index = new Map<string, number>();
  private readonly lines = new Map<string, Line>();

  node(x: number, y: number): number {
    const key = `${Math.round(x * 10)}:${Math.round(y * 10)}`;
    let id = this.index.get(key);
    if (id === undefined) {
      id = this.nodes.length + 1;
      this.nodes.push({ id, x, y });
      this.index.set(key, id);
    }
    return id;
  }

  line(key: string, l: Omit<Line, 'points'>) {
    this.lines.set(key, { ...l, points: new Set([l.from, l.to]) });
  }

  /** Adds a junction on a named line (a road: `h:<y>` / `v:<x>`, or a path key). */
  attach(key: string, along: number) {
    const l = this.lines.get(key);
    if (!l) throw new Error(`no line ${key}`);
    l.points.add(Math.min(l.to, Math.max(l.from, along)));
  }

  /** Connects point (x, y) to a road with an edge of `kind`, adding the junction on the road. */
  toRoad(x: number, y: number, a: Attach, kind: WalkEdgeKind) {
    if ('h' in a) {
      this.attach(`h:${a.h}`, x);
      this.edge(this.node(x, y), this.node(x, a.h), kind, null);
    } else {
      this.attach(`v:${a.v}`, y);
      this.edge(this.node(x, y), this.node(a.v, y), kind, null);
    }
  }

  edge(a: number, b: number, kind: WalkEdgeKind, name: string | null) {
    if (a !== b) this.edges.push({ source: a, target: b, kind, name });
  }

  /** Splits every line at its junctions into edges. */
  finish() {
    for (const l of this.lines.values()) {
      const pts = [...l.points].sort((p, q) => p - q);
      for (let i = 1; i < pts.length; i++) {
        const a = l.horizontal ? this.node(pts[i - 1], l.at) : this.node(l.at, pts[i - 1]);
        const b = l.horizontal ? this.node(pts[i], l.at) : this.node(l.at, pts[i]);
        this.edge(a, b, l.kind, l.name);
      }
    }
  }
}

/** Road grid over the communities' extent, lanes inside blocks, compound paths, gates, doors. */
export function buildNetwork(rng: Rng, communities: LCommunity[]): NetworkBuilder {
  const net = new NetworkBuilder();
  const xs = communities.flatMap((c) => [c.rect.x0, c.rect.x1]);
  const ys = communities.flatMap((c) => [c.rect.y0, c.rect.y1]);
  const [xmin, xmax, ymin, ymax] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const vx: number[] = [];
  const hy: number[] = [];
  for (let x = xmin, k = 0; x <= xmax; x += BLOCK_W, k++) {
    vx.push(x);
    net.line(`v:${x}`, { horizontal: false, at: x, from: ymin, to: ymax, kind: k % 2 === 0 ? 'arterial' : 'secondary', name: NS_ROADS[k % NS_ROADS.length] });
  }
  for (let y = ymin, k = 0; y <= ymax; y += BLOCK_H, k++) {
    hy.push(y);
    net.line(`h:${y}`, { horizontal: true, at: y, from: xmin, to: xmax, kind: k % 2 === 0 ? 'arterial' : 'secondary', name: EW_ROADS[k % EW_ROADS.length] });
  }
  for (const x of vx) for (const y of hy) {
    net.attach(`v:${x}`, y);
    net.attach(`h:${y}`, x);
  }
  for (const c of communities) {
    for (const p of c.parcels) {
      if (!p.north) {
        // The lane between the two parcels of a block: a local street joining the two side roads.
        const y = p.block.y0 + BLOCK_H / 2;
        net.line(`lane:${p.block.x0}:${y}`, { horizontal: true, at: y, from: p.block.x0, to: p.block.x1, kind: 'local', name: null });
        net.attach(`v:${p.block.x0}`, y);
        net.attach(`v:${p.block.x1}`, y);
      }
      if (p.kind === 'dedicated') {
        for (const b of p.buildings) net.toRoad(b.door[0], b.door[1], { h: p.north ? p.block.y1 : p.block.y0 }, 'footway');
        continue;
      }
      compoundPaths(rng, net, p);
    }
  }
  return net;
}

function compoundPaths(rng: Rng, net: NetworkBuilder, p: LCommunity['parcels'][number]) {
  const key = (i: number) => `path:${p.rect.x0}:${p.rect.y0}:${i}`;
  const east = p.rect.x1 - 4;
  p.pathYs.forEach((y, i) => net.line(key(i), { horizontal: true, at: y, from: p.spineX, to: east, kind: 'path', name: null }));
  const bottom = p.north ? p.pathYs[0] : p.rect.y0;
  const top = p.north ? p.rect.y1 : p.pathYs[p.pathYs.length - 1];
  const spine = `spine:${p.rect.x0}:${p.rect.y0}`;
  net.line(spine, { horizontal: false, at: p.spineX, from: bottom, to: top, kind: 'path', name: null });
  for (const y of p.pathYs) net.attach(spine, y);
  for (const b of p.buildings) {
    net.attach(key(b.row), b.door[0]);
    net.edge(net.node(b.door[0], b.door[1]), net.node(b.door[0], p.pathYs[b.row]), 'path', null);
  }
  const entry: 'gate' | 'path' = p.gated ? 'gate' : 'path';
  // Main gate on the road side of the parcel; sometimes a side gate onto the west road.
  net.toRoad(p.spineX, p.north ? p.rect.y1 : p.rect.y0, { h: p.north ? p.block.y1 : p.block.y0 }, entry);
  if (!p.gated || rng.chance(0.5)) net.toRoad(p.spineX, p.pathYs[0], { v: p.block.x0 }, entry);
  if (!p.gated) for (const y of p.pathYs) net.toRoad(east, y, { v: p.block.x1 }, 'path');
}
