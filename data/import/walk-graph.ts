/**
 * Lines → a walk graph: lines are split where they share a vertex with another line (OSM ways
 * meet at shared nodes; GIS lines at equal coordinates), and every piece becomes an edge between
 * two nodes. Nodes are keyed by their position rounded to 1e-7° (≈1 cm), so re-importing the
 * same network finds the same nodes.
 */
import type { Position } from 'geojson';

export interface WalkLine { row: number; kind: string; name: string | null; coords: Position[] }
export interface WalkPiece { row: number; kind: string; name: string | null; coords: Position[]; from: string; to: string }

export const nodeKey = (p: Position) => `${p[0].toFixed(7)},${p[1].toFixed(7)}`;

export function splitIntoEdges(lines: WalkLine[]): { pieces: WalkPiece[]; nodes: Map<string, Position> } {
  const uses = new Map<string, number>();
  for (const l of lines) for (const p of l.coords) uses.set(nodeKey(p), (uses.get(nodeKey(p)) ?? 0) + 1);
  const pieces: WalkPiece[] = [];
  const nodes = new Map<string, Position>();
  for (const l of lines) {
    let start = 0;
    for (let i = 1; i < l.coords.length; i++) {
      const k = nodeKey(l.coords[i]);
      if (i === l.coords.length - 1 || (uses.get(k) ?? 0) > 1) {
        const coords = l.coords.slice(start, i + 1);
        const from = nodeKey(coords[0]);
        const to = nodeKey(coords[coords.length - 1]);
        if (from !== to || coords.length > 2) {
          nodes.set(from, coords[0]);
          nodes.set(to, coords[coords.length - 1]);
          pieces.push({ row: l.row, kind: l.kind, name: l.name, coords, from, to });
        }
        start = i;
      }
    }
  }
  return { pieces, nodes };
}

/** Length in metres of a lng/lat polyline (haversine). */
export function lineLengthM(coords: Position[]): number {
  const R = 6371008.8;
  const rad = Math.PI / 180;
  let sum = 0;
  for (let i = 1; i < coords.length; i++) {
    const [a, b] = [coords[i - 1], coords[i]];
    const h = Math.sin(((b[1] - a[1]) * rad) / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(((b[0] - a[0]) * rad) / 2) ** 2;
    sum += 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
  }
  return sum;
}
