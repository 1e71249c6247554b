/**
 * Builds the pedestrian network: road centre lines plus footways, compound paths and gates.
 *
 * Life-circle coverage is measured along this graph (GB 50180 distances are walking distances), so
 * it must be a proper graph: planar (edges meet only at nodes), straight two-point edges, one
 * connected component. Roads run along block edges; everything else hangs off them with short
 * perpendicular edges that end on a road at a node splitting that road segment. The builder keeps
 * those split points per segment and emits each road segment as a chain of edges at the end, so the
 * callers never have to know which other edges touch the same road.
 */
import { haversineM, toLngLat } from './projection.js';
import type { StreetGrid } from './street-grid.js';
import type { WalkEdgeKind, WalkEdgeSpec, WalkNodeSpec } from './types.js';

/** A road segment between two neighbouring grid vertices. */
export interface RoadSegment {
  /** 'h': along an east–west line `line` from column `index` to `index + 1`; 'v': along a north–south line. */
  axis: 'h' | 'v';
  line: number;
  index: number;
}

/** Split points closer than this to an existing one reuse its node (metres). */
const SNAP_M = 1;

export class WalkGraph {
  private readonly px: number[] = [];
  private readonly py: number[] = [];
  private readonly edgeA: number[] = [];
  private readonly edgeB: number[] = [];
  private readonly edgeKind: WalkEdgeKind[] = [];
  private readonly edgeName: (string | null)[] = [];
  private readonly vertices = new Map<number, number>();
  private readonly splits = new Map<number, { at: number; id: number }[]>();

  constructor(private readonly grid: StreetGrid) {}

  /** A new node at local metres (x, y); ids start at 1. */
  node(x: number, y: number): number {
    this.px.push(x);
    this.py.push(y);
    return this.px.length;
  }

  position(id: number): [number, number] {
    return [this.px[id - 1], this.py[id - 1]];
  }

  edge(a: number, b: number, kind: WalkEdgeKind, name: string | null = null): void {
    if (a === b) return;
    this.edgeA.push(a);
    this.edgeB.push(b);
    this.edgeKind.push(kind);
    this.edgeName.push(name);
  }

  /** The node at grid vertex (line i west→east, line j north→south). */
  vertex(i: number, j: number): number {
    const key = j * (this.grid.cols + 1) + i;
    let id = this.vertices.get(key);
    if (id === undefined) {
      id = this.node(this.grid.xs[i], this.grid.ys[j]);
      this.vertices.set(key, id);
    }
    return id;
  }

  private segmentKey(s: RoadSegment): number {
    return s.axis === 'h' ? (s.line * (this.grid.cols + 1) + s.index) * 2 : (s.index * (this.grid.cols + 1) + s.line) * 2 + 1;
  }

  /**
   * The node where something joins road segment `s` at coordinate `at` (x for 'h', y for 'v'):
   * an existing split point within 1 m, or a new one.
   */
  roadNode(s: RoadSegment, at: number): number {
    const key = this.segmentKey(s);
    let list = this.splits.get(key);
    if (!list) this.splits.set(key, (list = []));
    for (const p of list) if (Math.abs(p.at - at) < SNAP_M) return p.id;
    const id = s.axis === 'h' ? this.node(at, this.grid.ys[s.line]) : this.node(this.grid.xs[s.line], at);
    list.push({ at, id });
    return id;
  }

  /** Coordinates already used on a segment (to keep new joins a few metres apart). */
  usedOn(s: RoadSegment): number[] {
    return (this.splits.get(this.segmentKey(s)) ?? []).map((p) => p.at);
  }

  /** Emits every road segment that borders a block of the street, split at its join points. */
  private emitRoads(): void {
    const { cols, rows, owner, xs, ys } = this.grid;
    const inStreet = (c: number, r: number) => c >= 0 && r >= 0 && c < cols && r < rows && owner[r * cols + c] >= 0;
    for (let j = 0; j <= rows; j++) {
      for (let c = 0; c < cols; c++) {
        if (!inStreet(c, j - 1) && !inStreet(c, j)) continue;
        const line = this.grid.hLines[j];
        this.chain({ axis: 'h', line: j, index: c }, this.vertex(c, j), this.vertex(c + 1, j), xs[c], line.kind, line.name);
      }
    }
    for (let i = 0; i <= cols; i++) {
      for (let r = 0; r < rows; r++) {
        if (!inStreet(i - 1, r) && !inStreet(i, r)) continue;
        const line = this.grid.vLines[i];
        this.chain({ axis: 'v', line: i, index: r }, this.vertex(i, r), this.vertex(i, r + 1), ys[r], line.kind, line.name);
      }
    }
  }

  private chain(s: RoadSegment, from: number, to: number, origin: number, kind: WalkEdgeKind, name: string) {
    const list = (this.splits.get(this.segmentKey(s)) ?? []).slice();
    list.sort((a, b) => Math.abs(a.at - origin) - Math.abs(b.at - origin));
    let prev = from;
    for (const p of list) {
      this.edge(prev, p.id, kind, name);
      prev = p.id;
    }
    this.edge(prev, to, kind, name);
  }

  /** Finalises: roads emitted, positions projected to WGS84, lengths measured on the sphere. */
  finish(): { nodes: WalkNodeSpec[]; edges: WalkEdgeSpec[] } {
    this.emitRoads();
    const positions = this.px.map((x, k) => toLngLat(x, this.py[k]));
    const nodes: WalkNodeSpec[] = positions.map((position, k) => ({ id: k + 1, position }));
    const edges: WalkEdgeSpec[] = this.edgeA.map((a, k) => {
      const b = this.edgeB[k];
      const pa = positions[a - 1];
      const pb = positions[b - 1];
      return {
        source: a,
        target: b,
        kind: this.edgeKind[k],
        name: this.edgeName[k],
        lengthM: Math.round(haversineM(pa, pb) * 100) / 100,
        line: [pa, pb],
      };
    });
    return { nodes, edges };
  }
}
