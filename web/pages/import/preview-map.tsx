/**
 * The dry run's features on a small MapLibre map over the communities (no basemap needed):
 * new rows blue, updates green, repaired geometries orange, rows in no community red (`outside`).
 * Boundaries (features with a `level`) are outlines by level — districts thick, streets medium,
 * communities thin with a light fill, rejected rows dashed red — with a legend of the counts, so a
 * boundary file's place (a wrong CRS lands it far away) is seen before it is written.
 * Fits the view to the preview.
 */
import type { FeatureCollection } from 'geojson';
import { type GeoJSONSource, setWorkerUrl } from 'maplibre-gl';
import { useOwnedMap } from '../../map/use-owned-map';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'react';
import { withStreet } from '../../http/api-client';
import { useI18n } from '../../i18n/i18n';

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

/** Boundary outlines by level (Okabe–Ito colours, as the other previews). */
export const LEVEL_COLORS = { district: '#CC79A7', street: '#F0E442', community: '#56B4E9', error: '#D55E00' } as const;
const LEVELS = ['district', 'street', 'community'] as const;
const levelColor = ['case', ['==', ['get', 'error'], true], LEVEL_COLORS.error,
  ['match', ['get', 'level'], 'district', LEVEL_COLORS.district, 'street', LEVEL_COLORS.street, LEVEL_COLORS.community]] as unknown as string;
const hasLevel = ['has', 'level'];
const noLevel = ['!', ['has', 'level']];

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
        { id: 'fill', type: 'fill', source: 'preview', filter: ['all', noLevel, ['==', ['geometry-type'], 'Polygon']] as never, paint: { 'fill-color': color, 'fill-opacity': 0.6 } },
        { id: 'line', type: 'line', source: 'preview', filter: ['all', noLevel, ['!=', ['geometry-type'], 'Point']] as never, paint: { 'line-color': color, 'line-width': 2 } },
        // Boundaries: communities lightly filled, then the outlines: the district's wide line, the
        // street's dashed over it (a street as large as its district shows both), then the
        // communities' thin ones inside.
        { id: 'boundary-fill', type: 'fill', source: 'preview', filter: ['all', hasLevel, ['==', ['get', 'level'], 'community']] as never, paint: { 'fill-color': levelColor, 'fill-opacity': 0.18 } },
        { id: 'boundary-district', type: 'line', source: 'preview', filter: ['all', hasLevel, ['==', ['get', 'level'], 'district'], ['!=', ['get', 'error'], true]] as never, paint: { 'line-color': levelColor, 'line-width': 4.5, 'line-opacity': 0.85 } },
        { id: 'boundary-street', type: 'line', source: 'preview', filter: ['all', hasLevel, ['==', ['get', 'level'], 'street'], ['!=', ['get', 'error'], true]] as never, paint: { 'line-color': levelColor, 'line-width': 3, 'line-dasharray': [3, 2] } },
        { id: 'boundary-community', type: 'line', source: 'preview', filter: ['all', hasLevel, ['==', ['get', 'level'], 'community'], ['!=', ['get', 'error'], true]] as never, paint: { 'line-color': levelColor, 'line-width': 1.5 } },
        { id: 'boundary-error', type: 'line', source: 'preview', filter: ['all', hasLevel, ['==', ['get', 'error'], true]] as never, paint: { 'line-color': levelColor, 'line-width': 2, 'line-dasharray': [1, 1] } },
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
    <>
      <div ref={el} className="import-map" data-testid="import-preview-map"
        data-ready={drawn === preview ? 'true' : 'false'} data-count={preview.features.length} />
      <BoundaryLegend preview={preview} />
    </>
  );
}

/** Under a boundary preview: each level's colour and how many outlines of it the file holds. */
function BoundaryLegend({ preview }: { preview: FeatureCollection }) {
  const { t } = useI18n();
  const props = preview.features.map((f) => f.properties ?? {}).filter((p) => typeof p.level === 'string');
  if (props.length === 0) return null;
  const n = (level: string) => props.filter((p) => p.level === level && p.error !== true).length;
  const errors = props.filter((p) => p.error === true).length;
  const items = [...LEVELS.map((l) => ({ key: l, color: LEVEL_COLORS[l], count: n(l) })), { key: 'error' as const, color: LEVEL_COLORS.error, count: errors }].filter((x) => x.count > 0);
  return (
    <ul className="import-legend" data-testid="import-preview-legend">
      {items.map((x) => (
        <li key={x.key} data-level={x.key}>
          <span className={`import-legend-swatch import-legend-${x.key}`} style={{ borderColor: x.color }} />
          {t(`import.preview.level.${x.key}`, { count: x.count })}
        </li>
      ))}
    </ul>
  );
}
