/**
 * Any EPSG coordinate system, from the `epsg-index` package (v2: one `s/<code>.json` per code with
 * `name`, `kind`, `wkt` and `proj4`), converted with proj4. geo/ is pure: the files are read by the
 * source registered with `useEpsgSource` (data/import/epsg-index.ts, read on demand, one code at
 * a time; the whole index, 8 MB all.json, is never loaded). Without a source only the systems of
 * registry.ts are known.
 *
 * A Shapefile's `.prj` is matched to its EPSG code (epsgOfPrj): by the `AUTHORITY["EPSG", n]` an
 * OGC WKT carries (GDAL writes it), else — an ESRI .prj has no code, and its names are ESRI's
 * (`EUREF_FIN_TM35FIN` for EPSG:3067) — by what it does: the codes of the same kind whose
 * ellipsoid is the .prj's and whose projection puts three test points where the .prj's does
 * (within 1 mm; datum shifts aside, an ESRI .prj has none), the one named most like the .prj first (shared words over all words). That search lists every code once per process (~0.8 s,
 * kept as [code, name, kind, proj4] only) and happens only for a .prj without a code.
 */
import proj4 from 'proj4';
import type { LngLat } from './chinese-offsets.js';

export interface EpsgEntry {
  code: number;
  name: string;
  /** `CRS-PROJCRS`, `CRS-GEOGCRS` … as epsg-index states it. */
  kind: string;
  proj4: string;
  wkt: string;
}

/** Where EPSG definitions come from: one code's entry (null: unknown), and every entry (for the .prj search). */
export interface EpsgSource {
  read(code: number): EpsgEntry | null;
  list(): EpsgEntry[];
}

/** Kinds a 2-D import can use (vertical, compound, engineering … systems are not a position on the map). */
const USABLE_KINDS = new Set(['CRS-PROJCRS', 'CRS-GEOGCRS', 'CRS-GEOG2DCRS']);
const usable = (e: EpsgEntry | null) => (e && USABLE_KINDS.has(e.kind) && e.proj4 ? e : null);

let source: EpsgSource | null = null;
const entries = new Map<number, EpsgEntry | null>();

/** Registers the EPSG definitions (once per process; data/import/epsg-index.ts does it on import). */
export function useEpsgSource(s: EpsgSource): void {
  source = s;
  entries.clear();
  all = null;
}

/** The EPSG system `code` when the source knows it as a 2-D system with a proj4 definition, else null. */
export function epsgEntry(code: number): EpsgEntry | null {
  if (!source || !Number.isInteger(code) || code <= 0 || code > 999_999) return null;
  if (!entries.has(code)) entries.set(code, usable(source.read(code)));
  return entries.get(code)!;
}

/** The grid files a code's datum shift needs (`+nadgrids=`), which proj4 here has not got. */
export function epsgGrids(code: number): string[] {
  const m = /\+nadgrids=(\S+)/.exec(epsgEntry(code)?.proj4 ?? '');
  return m ? m[1].split(',').map((g) => g.replace(/^@/, '')).filter((g) => g !== 'null') : [];
}

const converters = new Map<number, proj4.Converter>();
function converter(code: number): proj4.Converter {
  let c = converters.get(code);
  if (!c) {
    const e = epsgEntry(code);
    if (!e) throw new RangeError(`unknown EPSG code ${code}`);
    // No grid files are shipped: without its grid proj4 answers NaN. Like PROJ without the grid,
    // fall back to no datum shift (a "ballpark" conversion; registry.ts says so in the label).
    c = proj4(e.proj4.replace(/\+nadgrids=\S+/g, ''));
    converters.set(code, c);
  }
  return c;
}

/** A function converting positions of EPSG:`code` (x = easting/lng, y = northing/lat, as proj4 orders them) to WGS84 lng/lat. */
export function epsgToWgs84(code: number): (p: LngLat) => LngLat {
  const c = converter(code);
  return (p) => {
    const [x, y] = c.inverse([p[0], p[1]]);
    return [x, y];
  };
}

/** The final `AUTHORITY["EPSG","n"]` (WKT1) or `ID["EPSG",n]` (WKT2) of a WKT: the code of the system itself. */
function declaredCode(wkt: string): number | null {
  const m = /(?:AUTHORITY|ID)\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]\s*\]\s*$/i.exec(wkt.trim());
  return m ? Number(m[1]) : null;
}

let all: Array<[number, string, string, string]> | null = null;
/** [code, name, kind, proj4] of every usable code, listed once (the .prj search only). */
function everyEntry(): Array<[number, string, string, string]> {
  all ??= (source?.list() ?? []).map(usable).filter((e): e is EpsgEntry => e !== null).map((e) => [e.code, e.name, e.kind, e.proj4]);
  return all;
}

/**
 * Lower-case words of a system's name, years shortened as EPSG writes them and letters apart from
 * digits, so ESRI's and EPSG's spellings meet: `WGS_1984_UTM_Zone_50N` and `WGS 84 / UTM zone 50N`
 * are both wgs 84 utm zone 50 n.
 */
const words = (name: string) => new Set(name.toLowerCase().replace(/(^|[^0-9])19(\d\d)(?![0-9])/g, '$1$2')
  .replace(/([a-z])(?=[0-9])|([0-9])(?=[a-z])/g, '$1$2 ').split(/[^a-z0-9]+/).filter(Boolean));

type Proj = { a: number; es: number; long0?: number; lat0?: number; forward(p: { x: number; y: number }): { x: number; y: number } };

/** Three points around the system's own origin, in degrees (inside any projection's domain). */
function probes(p: Proj): LngLat[] {
  const lon = ((p.long0 ?? 0) * 180) / Math.PI;
  const lat = Math.max(-80, Math.min(80, ((p.lat0 ?? 0) * 180) / Math.PI));
  return [[lon, lat], [lon + 0.5, lat + 0.5], [lon - 0.3, lat + 0.8]];
}

/** A WKT's own name: its first quoted string (`PROJCS["EUREF_FIN_TM35FIN", …` → EUREF_FIN_TM35FIN). */
export const nameOfWkt = (wkt: string) => /^\s*\w+\[\s*"([^"]*)"/.exec(wkt)?.[1] ?? '';

/**
 * The EPSG code of a `.prj`, or null when it matches none (see the module comment for how).
 * Throws nothing: an unreadable .prj is simply not matched.
 */
export function epsgOfPrj(wkt: string): number | null {
  const declared = declaredCode(wkt);
  if (declared !== null) return epsgEntry(declared) ? declared : null;
  let def: Proj;
  try {
    def = proj4.Proj(wkt) as unknown as Proj;
  } catch {
    return null;
  }
  const projected = /^\s*PROJCS\[/i.test(wkt);
  const kind = projected ? 'CRS-PROJCRS' : 'CRS-GEOGCRS';
  // The projection alone (radians in, metres or radians out), without any datum shift: an ESRI
  // .prj carries no TOWGS84, EPSG's proj4 strings do, and both name the same system.
  const pts = probes(def).map(([x, y]) => ({ x: (x * Math.PI) / 180, y: (y * Math.PI) / 180 }));
  const target = pts.map((p) => def.forward({ ...p }));
  const tol = projected ? 1e-3 : 1e-11;
  const nameWords = words(nameOfWkt(wkt));
  let best: { code: number; score: number } | null = null;
  for (const [code, name, k, p4] of everyEntry()) {
    if (k !== kind) continue;
    try {
      // Datum shifts (and grid files proj4 has not got) play no part in the projection itself.
      const cand = proj4.Proj(p4.replace(/\+(nadgrids|towgs84)=\S+/g, '')) as unknown as Proj;
      // Ellipsoids as ESRI and proj4 write them differ in the 10th digit of e² (Airy: rf vs b): a 1e-9 margin.
      if (Math.abs(cand.a - def.a) > 1e-3 || Math.abs(cand.es - def.es) > 1e-9) continue;
      if (!pts.every((p, i) => {
        const q = cand.forward({ ...p });
        return Math.abs(q.x - target[i].x) < tol && Math.abs(q.y - target[i].y) < tol;
      })) continue;
      // Named most like the .prj: shared words over all words (Jaccard), so "WGS 84" beats
      // "Unknown datum based upon the WGS 84 ellipsoid"; a tie goes to the lower code.
      const own = words(name);
      const shared = [...own].filter((w) => nameWords.has(w)).length;
      const score = shared / (own.size + nameWords.size - shared || 1);
      if (!best || score > best.score || (score === best.score && code < best.code)) best = { code, score };
    } catch {
      // a definition proj4 cannot use is simply not a candidate
    }
  }
  return best?.code ?? null;
}
