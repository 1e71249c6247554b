/**
 * Highcharts Maps (Highmaps) map files: GeoJSON whose positions are not longitude/latitude but the
 * chart's own units — each position was projected with the proj4 string of `hc-transform.<name>.crs`
 * (e.g. a Lambert conformal conic for China) and then scaled and shifted:
 *
 *     x = ((X − xoffset) · scale + xpan) · jsonres + jsonmarginX
 *     y = −(((yoffset − Y) · scale − ypan) · jsonres − jsonmarginY)
 *
 * (X, Y rotated by `rotation`/`cosAngle`/`sinAngle` first when given). Chinese projects pass them
 * around as `highmaps/<adcode>.js` (`Highcharts.maps["countries/cn/110000_full"] = {…}`, made from
 * DataV's files) or as the `.geo.json` of Highcharts' map collection; their top-level `crs` member
 * names the projection (`EPSG:3415`), not the units the positions are in. This undoes the
 * transform and the projection, so the positions come out as the longitude/latitude the file was
 * made from (GCJ-02 for DataV's; the import asks which). A transform with a `hitZone` (an inset
 * such as Alaska's) applies to the positions inside that zone, the `default` one to the rest.
 * The files are coarse: 1 unit is 1/(scale · jsonres) metres (~500 m for a province of China), and
 * a converter that cut positions down to whole units (natee/highcharts-china-geo did: its Beijing
 * file lies ~300 m south-west of DataV's) leaves them up to one unit off.
 */
import proj4 from 'proj4';
import { pointInRing } from '../../geo/routing/marching-squares.js';

interface Transform {
  crs?: unknown; scale?: unknown; jsonres?: unknown; jsonmarginX?: unknown; jsonmarginY?: unknown;
  xoffset?: unknown; yoffset?: unknown; xpan?: unknown; ypan?: unknown;
  rotation?: unknown; cosAngle?: unknown; sinAngle?: unknown;
  hitZone?: { type?: unknown; coordinates?: unknown };
}

interface Prepared {
  inverse: (xy: [number, number]) => [number, number];
  zone: number[][][] | null;
}

const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/** The `hc-transform` member of a parsed document, or null when it is no Highmaps file. */
export function highmapsTransforms(doc: unknown): Record<string, Transform> | null {
  const t = doc && typeof doc === 'object' ? (doc as Record<string, unknown>)['hc-transform'] : null;
  if (!t || typeof t !== 'object') return null;
  const entries = Object.entries(t as Record<string, Transform>).filter(([, v]) => v && typeof v === 'object' && typeof v.crs === 'string');
  return entries.length ? Object.fromEntries(entries) : null;
}

function prepare(t: Transform): Prepared {
  const projection = proj4(t.crs as string, 'EPSG:4326');
  const scale = num(t.scale, 1);
  const jsonres = num(t.jsonres, 1);
  const [mx, my, xo, yo, xpan, ypan] = [num(t.jsonmarginX, 0), num(t.jsonmarginY, 0), num(t.xoffset, 0), num(t.yoffset, 0), num(t.xpan, 0), num(t.ypan, 0)];
  const rotation = num(t.rotation, 0);
  const cos = num(t.cosAngle, Math.cos(rotation));
  const sin = num(t.sinAngle, Math.sin(rotation));
  const zone = t.hitZone?.type === 'Polygon' && Array.isArray(t.hitZone.coordinates) ? (t.hitZone.coordinates as number[][][]) : null;
  return {
    zone,
    inverse: ([x, y]) => {
      const rx = ((x - mx) / jsonres - xpan) / scale + xo;
      const ry = yo - ((my - y) / jsonres + ypan) / scale;
      // Undo the rotation (forward: [X cos + Y sin, −X sin + Y cos]).
      const X = rx * cos - ry * sin;
      const Y = rx * sin + ry * cos;
      const [lng, lat] = projection.forward([X, Y]);
      return [lng, lat];
    },
  };
}

/**
 * Converts the positions of every feature's geometry in place to longitude/latitude. Returns how
 * many geometries were converted; throws (the caller's invalid_file) when a transform's `crs` is
 * no projection proj4 reads.
 */
export function decodeHighmapsFeatures(features: unknown[], transforms: Record<string, Transform>): number {
  const prepared = Object.entries(transforms).map(([name, t]) => ({ name, ...prepare(t) }));
  const fallback = prepared.find((p) => p.name === 'default') ?? prepared.find((p) => !p.zone) ?? prepared[0];
  const convert = (pos: unknown): unknown => {
    if (!Array.isArray(pos)) return pos;
    if (typeof pos[0] === 'number' && typeof pos[1] === 'number') {
      const t = prepared.find((p) => p.zone && p.zone.length > 0 && pointInRing(pos, p.zone[0])) ?? fallback;
      return t.inverse([pos[0], pos[1]]);
    }
    return pos.map(convert);
  };
  let n = 0;
  for (const f of features) {
    const g = (f as { geometry?: { coordinates?: unknown; geometries?: unknown } } | null)?.geometry;
    if (!g || typeof g !== 'object') continue;
    if (Array.isArray(g.coordinates)) {
      g.coordinates = convert(g.coordinates);
      n++;
    } else if (Array.isArray(g.geometries)) {
      for (const part of g.geometries as Array<{ coordinates?: unknown }>) if (part && Array.isArray(part.coordinates)) part.coordinates = convert(part.coordinates);
      n++;
    }
  }
  return n;
}

/** The JSON of a Highmaps `.js` file (`Highcharts.maps["…"] = {…};`), or the text as it is. */
export function unwrapHighmapsScript(text: string): string {
  const m = /^\s*(?:Highcharts\.maps\[\s*["'][^"']*["']\s*\]|(?:var|let|const)\s+[\w$]+|[\w$.]+)\s*=\s*/.exec(text);
  if (!m) return text;
  return text.slice(m[0].length).replace(/;?\s*$/, '');
}
