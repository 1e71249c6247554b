/**
 * ECharts' compressed GeoJSON (`"UTF8Encoding": true`): the map files ECharts shipped up to 4.x
 * (`map/json/china.json`, `map/json/province/*.json`) and the copies Chinese projects still pass
 * around. Each ring is a string of character pairs — zigzag-encoded deltas from the previous
 * position, offset by 64 — starting from `geometry.encodeOffsets` (one [x, y] per ring), in units
 * of 1/`UTF8Scale` degree (1024 when absent). The format is described by ECharts' own decoder
 * (src/coord/geo/parseGeoJson.ts); this is an independent reading of it. Positions come out as the
 * file had them (these files are GCJ-02 like the DataV data they derive from; the import asks).
 */

type Offsets = unknown;

const isPair = (v: unknown): v is [number, number] => Array.isArray(v) && v.length >= 2 && typeof v[0] === 'number' && typeof v[1] === 'number';

/** One encoded ring → positions, or null when it is not an encoded ring. */
function ring(encoded: unknown, offset: Offsets, scale: number): number[][] | null {
  if (typeof encoded !== 'string' || !isPair(offset) || encoded.length % 2 !== 0) return null;
  const out: number[][] = [];
  let [x, y] = offset;
  for (let i = 0; i < encoded.length; i += 2) {
    const dx = encoded.charCodeAt(i) - 64;
    const dy = encoded.charCodeAt(i + 1) - 64;
    x += (dx >> 1) ^ -(dx & 1);
    y += (dy >> 1) ^ -(dy & 1);
    out.push([x / scale, y / scale]);
  }
  return out;
}

function rings(encoded: unknown, offsets: Offsets, scale: number): number[][][] | null {
  if (!Array.isArray(encoded) || !Array.isArray(offsets) || offsets.length !== encoded.length) return null;
  const out: number[][][] = [];
  for (const [i, r] of encoded.entries()) {
    const decoded = ring(r, offsets[i], scale);
    if (!decoded) return null;
    out.push(decoded);
  }
  return out;
}

/** Whether a parsed GeoJSON document is ECharts-compressed. */
export function isEchartsCompressed(doc: unknown): boolean {
  return !!doc && typeof doc === 'object' && (doc as { UTF8Encoding?: unknown }).UTF8Encoding === true;
}

/**
 * Decodes the geometries of an ECharts-compressed FeatureCollection in place (those with
 * `encodeOffsets`); a geometry that does not decode is left as it was, so the row reports it.
 * Returns how many geometries were decoded.
 */
export function decodeEchartsFeatures(features: unknown[], scaleRaw: unknown): number {
  const scale = typeof scaleRaw === 'number' && scaleRaw > 0 ? scaleRaw : 1024;
  let n = 0;
  for (const f of features) {
    const g = (f as { geometry?: { type?: unknown; coordinates?: unknown; encodeOffsets?: unknown } } | null)?.geometry;
    if (!g || typeof g !== 'object' || g.encodeOffsets === undefined) continue;
    let coordinates: unknown = null;
    if (g.type === 'LineString') coordinates = ring(g.coordinates, g.encodeOffsets, scale);
    else if (g.type === 'Polygon' || g.type === 'MultiLineString') coordinates = rings(g.coordinates, g.encodeOffsets, scale);
    else if (g.type === 'MultiPolygon' && Array.isArray(g.coordinates) && Array.isArray(g.encodeOffsets) && g.coordinates.length === g.encodeOffsets.length) {
      const polys = g.coordinates.map((p, i) => rings(p, (g.encodeOffsets as unknown[])[i], scale));
      coordinates = polys.every((p) => p !== null) ? polys : null;
    }
    if (coordinates === null) continue;
    g.coordinates = coordinates;
    delete g.encodeOffsets;
    n++;
  }
  return n;
}
