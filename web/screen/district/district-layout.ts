/**
 * Pure helpers of the district wall screen: the colour of a street by its share of grids in band,
 * how many tiles fit a page, and the projection of street outlines into the map panel's SVG.
 */
import type { BBox } from '../../http/screen-api';

/**
 * Share colour stops: at or below 50 % vermillion (as "over" grids), 70 % amber, 85 % light green,
 * 100 % the map's "in band" green — bright throughout, so a street reads from across the room.
 */
const STOPS: [number, [number, number, number]][] = [
  [0.5, [232, 102, 61]],
  [0.7, [240, 180, 40]],
  [0.85, [120, 200, 80]],
  [1, [0, 170, 125]],
];

/** The colour of a share of grids in band (null: a street without grids, grey). */
export function shareColor(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return 'rgb(90, 110, 135)';
  const s = Math.min(1, Math.max(0, share));
  if (s <= STOPS[0][0]) return `rgb(${STOPS[0][1].join(', ')})`;
  for (let i = 1; i < STOPS.length; i++) {
    const [hi, c1] = STOPS[i];
    const [lo, c0] = STOPS[i - 1];
    if (s <= hi) {
      const f = (s - lo) / (hi - lo);
      return `rgb(${c0.map((v, k) => Math.round(v + (c1[k] - v) * f)).join(', ')})`;
    }
  }
  return `rgb(${STOPS[STOPS.length - 1][1].join(', ')})`;
}

/** Tiles per page: up to 24; columns and rows chosen so the tiles stay close to 6:5. */
export const TILES_PER_PAGE = 24;

/** Columns and rows for `n` tiles in a `w`×`h` area (n ≥ 1), the tiles as close to 6:5 as the grid allows. */
export function tileGrid(n: number, w: number, h: number): { cols: number; rows: number } {
  const count = Math.max(1, Math.min(n, TILES_PER_PAGE));
  let best = { cols: 1, rows: count, score: Infinity };
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    const aspect = w / cols / (h / rows);
    // Prefer tiles near 1.2:1; penalise empty cells a little; on a tie, more columns (side by side).
    const score = Math.abs(Math.log(aspect / 1.2)) + 0.05 * (cols * rows - count);
    if (score <= best.score) best = { cols, rows, score };
  }
  return { cols: best.cols, rows: best.rows };
}

type Ring = GeoJSON.Position[];

/**
 * A projection of lon/lat into a `w`×`h` box around `bbox` (equirectangular, x shrunk by the cosine
 * of the latitude so shapes keep their proportions), centred with `pad` pixels kept free.
 */
export function projector(bbox: BBox, w: number, h: number, pad = 24) {
  const [x0, y0, x1, y1] = bbox;
  const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  const spanX = Math.max((x1 - x0) * k, 1e-9);
  const spanY = Math.max(y1 - y0, 1e-9);
  const scale = Math.min((w - 2 * pad) / spanX, (h - 2 * pad) / spanY);
  const ox = (w - spanX * scale) / 2;
  const oy = (h - spanY * scale) / 2;
  return (p: GeoJSON.Position): [number, number] => [ox + (p[0] - x0) * k * scale, oy + (y1 - p[1]) * scale];
}

/** SVG path data of a Polygon or MultiPolygon under a projection. */
export function outlinePath(g: GeoJSON.Polygon | GeoJSON.MultiPolygon, project: (p: GeoJSON.Position) => [number, number]): string {
  const polys: Ring[][] = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polys
    .flatMap((rings) => rings.map((r) => `M${r.map((p) => project(p).map((v) => v.toFixed(1)).join(',')).join('L')}Z`))
    .join('');
}
