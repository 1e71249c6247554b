/**
 * The set-up page's map of what has been loaded so far: community boundaries, buildings coloured
 * by whether they have households, facilities and the walking network, framed to the loaded data.
 * Reloads its layers whenever `version` changes (after each step). No basemap needed.
 */
import type { FeatureCollection } from 'geojson';
import { type GeoJSONSource, setWorkerUrl } from 'maplibre-gl';
import { useOwnedMap } from '../../map/use-owned-map';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'react';
import { getJson, query } from '../../http/api-client';
import { useI18n } from '../../i18n/i18n';
import { bounds } from '../import/preview-map';

setWorkerUrl(workerUrl);

const LAYERS = ['communities', 'buildings', 'facilities', 'roads'] as const;
type Loaded = Record<(typeof LAYERS)[number], FeatureCollection>;
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

export const SETUP_COLORS = { boundary: '#3FA7D6', withHouseholds: '#009E73', withoutHouseholds: '#E69F00', facility: '#CC79A7', walk: '#8FA3B5' };

async function loadLayers(street: string | null, signal: AbortSignal): Promise<Loaded> {
  // No street yet (an empty database, or boundaries just imported and the street not picked yet):
  // nothing to draw, and street-wide layers would answer 400 street_required with several streets.
  if (street === null) return { communities: EMPTY, buildings: EMPTY, facilities: EMPTY, roads: EMPTY };
  const q = query({ street });
  const read = (l: string) => getJson<FeatureCollection>(`/api/layers/${l}${q}`, signal).catch((e: unknown) => {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    return EMPTY; // nothing loaded yet (e.g. no street) draws as nothing
  });
  const [communities, buildings, facilities, roads] = await Promise.all(LAYERS.map(read));
  return { communities, buildings, facilities, roads };
}

const STYLE_LAYERS = [
  { id: 'bg', type: 'background', paint: { 'background-color': '#0B1D28' } },
  { id: 'communities-fill', type: 'fill', source: 'communities', paint: { 'fill-color': SETUP_COLORS.boundary, 'fill-opacity': 0.06 } },
  { id: 'roads', type: 'line', source: 'roads', paint: { 'line-color': SETUP_COLORS.walk, 'line-width': ['match', ['get', 'kind'], 'arterial', 2, 1], 'line-opacity': 0.7 } },
  { id: 'communities-line', type: 'line', source: 'communities', paint: { 'line-color': SETUP_COLORS.boundary, 'line-width': 1.5 } },
  {
    id: 'buildings', type: 'fill', source: 'buildings',
    paint: { 'fill-color': ['case', ['>', ['coalesce', ['get', 'households'], 0], 0], SETUP_COLORS.withHouseholds, SETUP_COLORS.withoutHouseholds], 'fill-opacity': 0.85 },
  },
  // An outline keeps buildings visible when a whole territory is framed (footprints of a few pixels).
  { id: 'buildings-outline', type: 'line', source: 'buildings', paint: { 'line-color': ['case', ['>', ['coalesce', ['get', 'households'], 0], 0], SETUP_COLORS.withHouseholds, SETUP_COLORS.withoutHouseholds], 'line-width': 1 } },
  { id: 'facilities', type: 'circle', source: 'facilities', paint: { 'circle-color': SETUP_COLORS.facility, 'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 2, 15, 5], 'circle-stroke-color': '#fff', 'circle-stroke-width': 0.5 } },
] as const;

export function SetupMap({ street, version }: { street: string | null; version: number }) {
  const { t } = useI18n();
  const el = useRef<HTMLDivElement>(null);
  const map = useOwnedMap(el, () => ({
    style: { version: 8, sources: Object.fromEntries(LAYERS.map((l) => [l, { type: 'geojson', data: EMPTY }])), layers: STYLE_LAYERS } as never,
    center: [0, 20],
    zoom: 1,
  }));
  const [counts, setCounts] = useState<Record<string, number> | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    setReady(false);
    loadLayers(street, ctrl.signal).then((data) => {
      const m = map.current;
      if (!m) return;
      const apply = () => {
        for (const l of LAYERS) (m.getSource(l) as GeoJSONSource | undefined)?.setData(data[l]);
        const b = bounds({ type: 'FeatureCollection', features: LAYERS.flatMap((l) => data[l].features) });
        if (b) m.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 30, maxZoom: 16, duration: 0 });
        setCounts(Object.fromEntries(LAYERS.map((l) => [l, data[l].features.length])));
        m.once('idle', () => setReady(true));
      };
      if (m.isStyleLoaded()) apply();
      else m.once('load', apply);
    }, () => undefined);
    return () => ctrl.abort();
  }, [map, street, version]);

  const empty = counts !== null && Object.values(counts).every((n) => n === 0);
  return (
    <section className="setup-map-panel panel" data-testid="setup-map-panel">
      <div ref={el} className="setup-map" data-testid="setup-map" data-ready={ready ? 'true' : 'false'}
        data-counts={counts ? JSON.stringify(counts) : ''} />
      {empty && <p className="setup-map-empty dim">{t('setup.map.empty')}</p>}
      <ul className="setup-legend" data-testid="setup-legend">
        {(['boundary', 'withHouseholds', 'withoutHouseholds', 'facility', 'walk'] as const).map((k) => (
          <li key={k}><span className={`setup-swatch setup-swatch-${k}`} style={{ background: SETUP_COLORS[k] }} />{t(`setup.legend.${k}`)}</li>
        ))}
      </ul>
    </section>
  );
}
