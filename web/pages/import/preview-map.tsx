/**
 * The dry run's features on a small MapLibre map over the communities (no basemap needed):
 * new rows blue, updates green, repaired geometries orange, rows in no community red (`outside`).
 * Fits the view to the preview.
 */
import type { FeatureCollection } from 'geojson';
import { type GeoJSONSource, setWorkerUrl } from 'maplibre-gl';
import { useOwnedMap } from '../../map/use-owned-map';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'react';
import { withStreet } from '../../http/api-client';

/** [minx, miny, maxx, maxy] over every coordinate of the collection, or null when it has none. */
export function bounds(fc: FeatureCollection): [number, number, number, number] | null {
  let b: [number, number, number, number] | null = null;
  const visit = (c: unknown) => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as number[];
      b = b ? [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)] : [x, y, x, y];
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const f of fc.features) if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates);
  return b;
}

// As in web/map/map-controller.ts: the bundled worker's URL (MapLibre's own guess fails once bundled).
setWorkerUrl(workerUrl);

const color = ['case', ['==', ['get', 'outside'], true], '#D55E00', ['get', 'repaired'], '#E69F00', ['get', 'update'], '#009E73', '#3FA7D6'] as unknown as string;

export function PreviewMap({ preview }: { preview: FeatureCollection }) {
  const el = useRef<HTMLDivElement>(null);
  // The preview drawn: its features set and the map idle after them (data-ready, for tests).
  const [drawn, setDrawn] = useState<FeatureCollection | null>(null);

  const map = useOwnedMap(el, () => ({
    style: {
      version: 8,
      sources: {
        communities: { type: 'geojson', data: withStreet('/api/layers/communities') },
        preview: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      },
      layers: [
        { id: 'bg', type: 'background', paint: { 'background-color': '#0B1D28' } },
        { id: 'communities', type: 'line', source: 'communities', paint: { 'line-color': '#5C7A8C', 'line-width': 1 } },
        { id: 'fill', type: 'fill', source: 'preview', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': color, 'fill-opacity': 0.6 } },
        { id: 'line', type: 'line', source: 'preview', filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': color, 'line-width': 2 } },
        { id: 'point', type: 'circle', source: 'preview', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-color': color, 'circle-radius': 5, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } },
      ],
    },
    center: [121.39, 37.545],
    zoom: 13,
  }));

  useEffect(() => {
    const m = map.current;
    if (!m) return;
    const apply = () => {
      (m.getSource('preview') as GeoJSONSource | undefined)?.setData(preview);
      const b = bounds(preview);
      if (b) m.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 40, maxZoom: 17, duration: 0 });
      m.once('idle', () => setDrawn(preview));
    };
    if (m.isStyleLoaded()) apply();
    else m.once('load', apply);
  }, [map, preview]);

  return (
    <div ref={el} className="import-map" data-testid="import-preview-map"
      data-ready={drawn === preview ? 'true' : 'false'} data-count={preview.features.length} />
  );
}
