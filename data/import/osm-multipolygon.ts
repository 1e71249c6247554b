/**
 * Assembling an OSM multipolygon relation into a GeoJSON (Multi)Polygon: member ways of each role
 * are joined end to end into closed rings (a ring may be drawn as several ways, in either
 * direction), every inner ring becomes a hole of the outer ring that contains it.
 *
 * A relation at an extract's edge lacks member ways or nodes. As GDAL's OSM driver does, what can
 * still be closed into rings is kept: a member way missing from the file is left out, a member way
 * with missing nodes keeps its runs of present nodes, and the rings that close make the polygon.
 * What cannot be used — missing ways and nodes, chains left open, holes outside every outer ring —
 * is said in `dropped`. Only a relation with no closed outer ring left is refused (`problem`).
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { OsmNode, OsmRelation, OsmWay } from './osm-xml.js';
import { pointInRing } from '../../geo/routing/marching-squares.js';

type Text = { zh: string; en: string };
export type AssembleResult = { geometry: Polygon | MultiPolygon; dropped?: Text } | { problem: Text };

/** Joins node-id sequences sharing endpoints into closed rings; the chains that stay open are returned apart. */
export function joinChains(parts: string[][]): { rings: string[][]; open: string[][] } {
  const pending = parts.filter((p) => p.length >= 2).map((p) => [...p]);
  const rings: string[][] = [];
  const open: string[][] = [];
  while (pending.length > 0) {
    const ring = pending.pop()!;
    let closed = true;
    while (ring[0] !== ring[ring.length - 1]) {
      const end = ring[ring.length - 1];
      const i = pending.findIndex((p) => p[0] === end || p[p.length - 1] === end);
      if (i < 0) {
        closed = false;
        break;
      }
      const [next] = pending.splice(i, 1);
      if (next[0] !== end) next.reverse();
      for (let k = 1; k < next.length; k++) ring.push(next[k]);
    }
    if (closed && ring.length >= 4) rings.push(ring);
    else open.push(ring);
  }
  return { rings, open };
}

/** Joins node-id sequences sharing endpoints into closed rings, or says at which node one stays open. */
export function joinRings(parts: string[][]): string[][] | { openAt: string } {
  const { rings, open } = joinChains(parts);
  if (open.length === 0) return rings;
  const first = open[0];
  return { openAt: first[0] === first[first.length - 1] ? first[0] : first[first.length - 1] };
}

/** The runs of consecutive nodes of `refs` present in the file (each ≥ 2 nodes), and how many nodes are missing. */
function presentParts(refs: string[], nodes: Map<string, OsmNode>): { parts: string[][]; missing: number } {
  const parts: string[][] = [];
  let run: string[] = [];
  let missing = 0;
  for (const id of refs) {
    if (nodes.has(id)) {
      run.push(id);
      continue;
    }
    missing++;
    if (run.length >= 2) parts.push(run);
    run = [];
  }
  if (run.length >= 2) parts.push(run);
  return { parts, missing };
}

const list = (xs: string[], sep: string) => (xs.length > 5 ? `${xs.slice(0, 5).join(sep)}…` : xs.join(sep));

/** What was left out of a relation, in words (null: nothing). */
function droppedText(missingWays: string[], missingNodes: number, open: number, strayHoles: number): Text | null {
  const zh: string[] = [];
  const en: string[] = [];
  if (missingWays.length) {
    zh.push(`${missingWays.length} 条成员路径不在文件中（${list(missingWays, '、')}）`);
    en.push(`${missingWays.length} member way(s) missing from the file (${list(missingWays, ', ')})`);
  }
  if (missingNodes) {
    zh.push(`${missingNodes} 个节点不在文件中`);
    en.push(`${missingNodes} node(s) missing from the file`);
  }
  if (open) {
    zh.push(`${open} 段边界无法闭合成环，已舍弃`);
    en.push(`${open} chain(s) that do not close into a ring left out`);
  }
  if (strayHoles) {
    zh.push(`${strayHoles} 个内环不在任何外环之内，已舍弃`);
    en.push(`${strayHoles} inner ring(s) outside every outer ring left out`);
  }
  return zh.length ? { zh: `数据不完整：${zh.join('；')}`, en: `incomplete: ${en.join('; ')}` } : null;
}

export function assembleMultipolygon(rel: OsmRelation, ways: Map<string, OsmWay>, nodes: Map<string, OsmNode>): AssembleResult {
  const byRole: Record<'outer' | 'inner', string[][]> = { outer: [], inner: [] };
  const missingWays: string[] = [];
  let missingNodes = 0;
  for (const m of rel.members) {
    if (m.type !== 'way') continue;
    const role = m.role === 'inner' ? 'inner' : m.role === 'outer' || m.role === '' ? 'outer' : null;
    if (!role) continue;
    const way = ways.get(m.ref);
    if (!way) {
      missingWays.push(m.ref);
      continue;
    }
    const { parts, missing } = presentParts(way.refs, nodes);
    missingNodes += missing;
    byRole[role].push(...parts);
  }
  const coords = (ring: string[]): Position[] => ring.map((id) => {
    const n = nodes.get(id)!;
    return [n.lon, n.lat];
  });
  const outer = joinChains(byRole.outer);
  const inner = joinChains(byRole.inner);
  const open = outer.open.length + inner.open.length;
  if (outer.rings.length === 0) {
    const why = droppedText(missingWays, missingNodes, open, 0);
    if (byRole.outer.length === 0 && !why) return { problem: { zh: '多边形关系没有外环', en: 'the multipolygon has no outer way' } };
    const at = outer.open[0]?.[outer.open[0].length - 1];
    return {
      problem: {
        zh: `外环不闭合${at ? `（在节点 ${at} 处断开）` : ''}${why ? `；${why.zh}` : ''}`,
        en: `an outer ring does not close${at ? ` (open at node ${at})` : ''}${why ? `; ${why.en}` : ''}`,
      },
    };
  }
  const polygons: Position[][][] = outer.rings.map((r) => [coords(r)]);
  let strayHoles = 0;
  for (const r of inner.rings) {
    const hole = coords(r);
    const owner = polygons.find((p) => pointInRing(hole[0], p[0]) || pointInRing(hole[1], p[0]));
    if (owner) owner.push(hole);
    else strayHoles++;
  }
  const geometry: Polygon | MultiPolygon = polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
  const dropped = droppedText(missingWays, missingNodes, open, strayHoles);
  return dropped ? { geometry, dropped } : { geometry };
}
