/**
 * Assembling an OSM multipolygon relation into a GeoJSON (Multi)Polygon: member ways of each role
 * are joined end to end into closed rings (a ring may be drawn as several ways, in either
 * direction), every inner ring becomes a hole of the outer ring that contains it. A relation
 * with a member way or node missing from the file, or a ring that cannot be closed, is refused
 * with the reason (the caller skips it) rather than guessed at.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { OsmNode, OsmRelation, OsmWay } from './osm-xml.js';

export type AssembleResult = { geometry: Polygon | MultiPolygon } | { problem: { zh: string; en: string } };

/** Joins node-id sequences sharing endpoints into closed rings, or says at which node one stays open. */
export function joinRings(parts: string[][]): string[][] | { openAt: string } {
  const open = parts.filter((p) => p.length >= 2).map((p) => [...p]);
  const rings: string[][] = [];
  while (open.length > 0) {
    const ring = open.pop()!;
    while (ring[0] !== ring[ring.length - 1]) {
      const end = ring[ring.length - 1];
      const i = open.findIndex((p) => p[0] === end || p[p.length - 1] === end);
      if (i < 0) return { openAt: end };
      const [next] = open.splice(i, 1);
      if (next[0] !== end) next.reverse();
      for (let k = 1; k < next.length; k++) ring.push(next[k]);
    }
    if (ring.length < 4) return { openAt: ring[0] };
    rings.push(ring);
  }
  return rings;
}

/** Ray-casting point-in-ring test (lng/lat treated as planar: fine at building scale). */
function inside(p: Position, ring: Position[]): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

export function assembleMultipolygon(rel: OsmRelation, ways: Map<string, OsmWay>, nodes: Map<string, OsmNode>): AssembleResult {
  const byRole: Record<'outer' | 'inner', string[][]> = { outer: [], inner: [] };
  for (const m of rel.members) {
    if (m.type !== 'way') continue;
    const role = m.role === 'inner' ? 'inner' : m.role === 'outer' || m.role === '' ? 'outer' : null;
    if (!role) continue;
    const way = ways.get(m.ref);
    if (!way) return { problem: { zh: `成员路径 ${m.ref} 不在文件中（数据不完整）`, en: `member way ${m.ref} is missing from the file (incomplete extract)` } };
    byRole[role].push(way.refs);
  }
  if (byRole.outer.length === 0) return { problem: { zh: '多边形关系没有外环', en: 'the multipolygon has no outer way' } };
  const coords = (ring: string[]): Position[] | null => {
    const out: Position[] = [];
    for (const id of ring) {
      const n = nodes.get(id);
      if (!n) return null;
      out.push([n.lon, n.lat]);
    }
    return out;
  };
  const rings = { outer: [] as Position[][], inner: [] as Position[][] };
  for (const role of ['outer', 'inner'] as const) {
    const joined = joinRings(byRole[role]);
    if (!Array.isArray(joined)) {
      const zh = role === 'outer' ? '外环' : '内环';
      return { problem: { zh: `${zh}不闭合（在节点 ${joined.openAt} 处断开）`, en: `an ${role} ring does not close (open at node ${joined.openAt})` } };
    }
    for (const r of joined) {
      const c = coords(r);
      if (!c) return { problem: { zh: '环上的节点不在文件中（数据不完整）', en: 'a ring refers to nodes missing from the file (incomplete extract)' } };
      rings[role].push(c);
    }
  }
  const polygons: Position[][][] = rings.outer.map((r) => [r]);
  for (const hole of rings.inner) {
    const owner = polygons.find((p) => inside(hole[0], p[0]) || inside(hole[1], p[0]));
    if (!owner) return { problem: { zh: '内环不在任何外环之内', en: 'an inner ring lies outside every outer ring' } };
    owner.push(hole);
  }
  return { geometry: polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons } };
}
