/**
 * Geometry checks and conversion before anything reaches the database: positions converted to
 * WGS84, then "impossible" geometries rejected with a reason (empty, non-finite or out-of-range
 * coordinates, rings too short). Self-intersections and the like are *repairable* and left to
 * PostGIS (ST_MakeValid), which reports them.
 */
import type { Geometry, Position } from 'geojson';
import type { LngLat } from '../../geo/crs/index.js';

export type Problem = { zh: string; en: string };

/** Array depth of `coordinates` per geometry type (a position is depth 1). */
const DEPTH: Record<string, number> = { Point: 1, MultiPoint: 2, LineString: 2, MultiLineString: 3, Polygon: 3, MultiPolygon: 4 };
/** GeometryCollections nested deeper than this are refused (nobody draws them; recursion is bounded). */
const MAX_COLLECTION_DEPTH = 4;

function nestingOk(c: unknown, depth: number): boolean {
  if (!Array.isArray(c)) return false;
  if (depth === 1) return c.every((x) => typeof x === 'number' || x === null) || c.length === 0;
  return c.every((x) => nestingOk(x, depth - 1));
}

/**
 * Why a value from the file is not a GeoJSON geometry at all (unknown type, `coordinates` nested
 * to the wrong depth or holding non-numbers, collections too deep), or null when its shape is
 * right. Checked before anything walks the coordinates, so bad nesting is a row error, not a crash.
 */
export function shapeProblem(g: unknown, level = 0): Problem | null {
  const o = g as { type?: unknown; coordinates?: unknown; geometries?: unknown } | null;
  if (!o || typeof o !== 'object' || typeof o.type !== 'string') return { zh: '几何不是 GeoJSON 对象', en: 'the geometry is not a GeoJSON object' };
  if (o.type === 'GeometryCollection') {
    if (level >= MAX_COLLECTION_DEPTH || !Array.isArray(o.geometries)) return { zh: 'GeometryCollection 结构无效', en: 'invalid GeometryCollection' };
    for (const x of o.geometries) {
      const p = shapeProblem(x, level + 1);
      if (p) return p;
    }
    return null;
  }
  const depth = DEPTH[o.type];
  if (!depth) return { zh: `未知几何类型“${o.type.slice(0, 40)}”`, en: `unknown geometry type "${o.type.slice(0, 40)}"` };
  if (!nestingOk(o.coordinates, depth)) return { zh: `${o.type} 的 coordinates 嵌套层次或数值无效`, en: `${o.type} coordinates are nested wrongly or hold non-numbers` };
  return null;
}

export function mapPositions(g: Geometry, fn: (p: LngLat) => LngLat): Geometry {
  const pos = (p: Position): Position => (p.length < 2 ? p : fn([p[0], p[1]]));
  switch (g.type) {
    case 'Point':
      return { type: 'Point', coordinates: pos(g.coordinates) };
    case 'MultiPoint':
      return { type: 'MultiPoint', coordinates: g.coordinates.map(pos) };
    case 'LineString':
      return { type: 'LineString', coordinates: g.coordinates.map(pos) };
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: g.coordinates.map((l) => l.map(pos)) };
    case 'Polygon':
      return { type: 'Polygon', coordinates: g.coordinates.map((r) => r.map(pos)) };
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: g.coordinates.map((pl) => pl.map((r) => r.map(pos))) };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: g.geometries.map((x) => mapPositions(x, fn)) };
  }
}

export function allPositions(g: Geometry): Position[] {
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'MultiPoint':
    case 'LineString':
      return g.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.flat();
    case 'MultiPolygon':
      return g.coordinates.flat(2);
    case 'GeometryCollection':
      return g.geometries.flatMap(allPositions);
  }
}

const KIND: Record<'polygon' | 'point' | 'line', Geometry['type'][]> = {
  polygon: ['Polygon', 'MultiPolygon'],
  point: ['Point'],
  line: ['LineString', 'MultiLineString'],
};

/** Why a (WGS84) geometry cannot be stored as `want`, or null when it can (perhaps after repair). */
export function impossibility(g: Geometry | null, want: 'polygon' | 'point' | 'line'): Problem | null {
  if (!g) return { zh: '缺少几何', en: 'no geometry' };
  if (!KIND[want].includes(g.type)) {
    const zh = { polygon: '面', point: '点', line: '线' }[want];
    return { zh: `几何类型 ${g.type} 不符，需要${zh}`, en: `geometry type ${g.type}, expected a ${want}` };
  }
  const pts = allPositions(g).filter((p) => p.length > 0);
  if (pts.length === 0) return { zh: '几何为空', en: 'empty geometry' };
  for (const p of pts) {
    if (p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return { zh: '坐标不是数字', en: 'non-numeric coordinate' };
    if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) {
      return { zh: `坐标超出经纬度范围（${p[0]}, ${p[1]}），坐标系是否选错？`, en: `coordinate out of lng/lat range (${p[0]}, ${p[1]}): wrong CRS?` };
    }
  }
  if (g.type === 'Polygon' || g.type === 'MultiPolygon') {
    const rings = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
    if (rings.length === 0 || rings.some((r) => r.length < 4)) return { zh: '多边形的环少于 4 个点', en: 'polygon ring with fewer than 4 positions' };
  }
  if (g.type === 'LineString' && g.coordinates.length < 2) return { zh: '线少于 2 个点', en: 'line with fewer than 2 positions' };
  return null;
}

/** Closes open polygon rings (a common defect of hand-made files; repair, not rejection). */
export function closeRings(g: Geometry): Geometry {
  const close = (r: Position[]) => (r.length > 0 && (r[0][0] !== r[r.length - 1][0] || r[0][1] !== r[r.length - 1][1]) ? [...r, r[0]] : r);
  if (g.type === 'Polygon') return { type: 'Polygon', coordinates: g.coordinates.map(close) };
  if (g.type === 'MultiPolygon') return { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(close)) };
  return g;
}
