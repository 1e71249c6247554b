/**
 * The heavy upload of issue #14.3, generated: a GeoJSON FeatureCollection of one building whose
 * outline has `vertices` positions (1M ≈ 25 MB) — a star-shaped ring (radius jittered slightly,
 * polar angle strictly increasing even after rounding to 7 decimals: vertices ≥ 3e-7° apart), so
 * it is a valid polygon and PostGIS checks it in full rather than repairing it.
 */
import { mulberry32 } from '../../data/generate/random.js';

export function bigPolygonGeoJson(vertices: number, center: [number, number] = [121.39, 37.53]): Uint8Array {
  const random = mulberry32(14);
  const radiusDeg = Math.max(0.004, (vertices * 3e-7) / (2 * Math.PI));
  const parts: string[] = [];
  for (let i = 0; i < vertices; i++) {
    const a = (2 * Math.PI * i) / vertices;
    const r = radiusDeg * (1 + 0.001 * random());
    parts.push(`[${(center[0] + r * Math.cos(a)).toFixed(7)},${(center[1] + r * Math.sin(a)).toFixed(7)}]`);
  }
  parts.push(parts[0]);
  const head = '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"BIG-1","name":"巨型轮廓"},"geometry":{"type":"Polygon","coordinates":[[';
  return new TextEncoder().encode(`${head}${parts.join(',')}]]}}]}`);
}
