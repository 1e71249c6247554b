/**
 * Frames the whole street at start, pitched so the 3D buildings read as buildings. The padding
 * keeps the street clear of the floating panels.
 *
 * `fitBounds` frames the bounds as if seen from above; pitched, the far edge shrinks and the
 * street ends up small. So after the first fit, the projected corners are measured and the
 * camera is zoomed and shifted until they fill the free area.
 */
import { bbox } from '@turf/turf';
import type { Map as MapLibreMap } from 'maplibre-gl';

export interface FitPadding {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export const START_PITCH = 45;
export const START_BEARING = -12;

export function fitToStreet(map: MapLibreMap, fc: GeoJSON.FeatureCollection, padding: FitPadding) {
  const [minX, minY, maxX, maxY] = bbox(fc);
  if (![minX, minY, maxX, maxY].every(Number.isFinite)) return;
  map.fitBounds(
    [
      [minX, minY],
      [maxX, maxY],
    ],
    { padding, pitch: START_PITCH, bearing: START_BEARING, duration: 0, maxZoom: 18 },
  );
  const corners: [number, number][] = [
    [minX, minY],
    [maxX, minY],
    [maxX, maxY],
    [minX, maxY],
  ];
  const canvas = map.getCanvas();
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  const availW = width - padding.left - padding.right;
  const availH = height - padding.top - padding.bottom;
  if (availW <= 0 || availH <= 0) return;
  for (let i = 0; i < 3; i++) {
    const pts = corners.map((c) => map.project(c));
    const xs = pts.map((p) => p.x);
    const ys = pts.map((p) => p.y);
    const w = Math.max(...xs) - Math.min(...xs);
    const h = Math.max(...ys) - Math.min(...ys);
    if (w <= 0 || h <= 0) return;
    const scale = Math.min(availW / w, availH / h);
    const cx = (Math.max(...xs) + Math.min(...xs)) / 2;
    const cy = (Math.max(...ys) + Math.min(...ys)) / 2;
    const targetX = padding.left + availW / 2;
    const targetY = padding.top + availH / 2;
    // Move the street's centre to the free area's centre, then zoom around it.
    const screenCenter = { x: width / 2, y: height / 2 };
    const newCenter = map.unproject([screenCenter.x + (cx - targetX), screenCenter.y + (cy - targetY)]);
    map.jumpTo({ center: newCenter, zoom: Math.min(18, map.getZoom() + Math.log2(scale) * 0.97) });
    if (Math.abs(scale - 1) < 0.02 && Math.abs(cx - targetX) < 4 && Math.abs(cy - targetY) < 4) break;
  }
}
