/**
 * The isochrone as /life asks for it (issue #17): `geometry=lines` — the streets each band reaches,
 * compact — and the band polygons drawn here from those lines with the server's own code
 * (geo/routing), so the page shows exactly the polygons `geometry=polygons` would have sent, for a
 * fraction of the server's time and of the bytes.
 */
import { type BandLines, decodeBandLines } from '../../../geo/routing/band-lines';
import { bandPolygonsFromLines } from '../../../geo/routing/band-polygons';
import type { IsochroneReply } from './life-api';

export interface IsochroneLinesReply {
  type: 'IsochroneLines';
  start: IsochroneReply['start'];
  speedMPerMin: number;
  corridorM: number;
  /** In increasing budget, as `lines.bands`. */
  bands: { minutes: number; distanceM: number; networkM: number }[];
  lines: BandLines;
  facilities: IsochroneReply['facilities'];
}

/** The polygon reply the page works with, drawn from the lines reply. */
export function isochroneFromLines(reply: IsochroneLinesReply): IsochroneReply {
  const t0 = performance.now();
  const polygons = bandPolygonsFromLines(decodeBandLines(reply.lines), reply.corridorM, reply.lines.origin);
  // How long the browser took to draw them (`life:bands` in the page's performance entries).
  performance.measure('life:bands', { start: t0 });
  const features: IsochroneReply['features'] = [];
  reply.bands.forEach((band, k) => {
    const polygon = polygons[k];
    if (polygon) features.push({ type: 'Feature', properties: { ...band }, geometry: polygon.geometry });
  });
  return { type: 'FeatureCollection', start: reply.start, speedMPerMin: reply.speedMPerMin, features, facilities: reply.facilities };
}
