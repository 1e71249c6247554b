/**
 * The /life map (MapLibre only, like the planner's): roads and buildings of the street, isochrone
 * bands, the route to a chosen facility, reached facilities, the start point, and in the audit view
 * buildings coloured covered/uncovered with proposed sites. A click anywhere reports its position.
 *
 * Roads and buildings are drawn from the server's vector tiles (only what is on screen, small and
 * cached), so a phone on a slow network gets its first picture without downloading the street's
 * whole GeoJSON; the audit view's coloured buildings come as GeoJSON on top.
 */
import { Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl, type GeoJSONSource } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef } from 'react';
import { BASE, ROAD_STYLES } from '../../map/palette';
import { withStreet } from '../../http/api-client';

setWorkerUrl(workerUrl);

import { BAND_FILL, COVERED, SITE, UNCOVERED } from './life-colours';

export interface LifeMapData {
  /** Buildings with a `state` (audit view); the plain footprints come from the tiles. */
  buildings: GeoJSON.FeatureCollection;
  bands: GeoJSON.FeatureCollection;
  route: GeoJSON.FeatureCollection;
  facilities: GeoJSON.FeatureCollection;
  start: GeoJSON.FeatureCollection;
  sites: GeoJSON.FeatureCollection;
  /** The phone's own position from "locate me" (WGS84 lng/lat, drawn as is: see locate.ts). */
  me: GeoJSON.FeatureCollection;
}

const SOURCES = ['buildings', 'bands', 'route', 'facilities', 'start', 'sites', 'me'] as const;
/** The street's own vector tiles (see docs/api.md, "Vector tiles"). */
const tiles = (layer: string) => ({
  type: 'vector' as const,
  tiles: [`${location.origin}${withStreet(`/tiles/${layer}/{z}/{x}/{y}.mvt`)}`],
  maxzoom: 16,
});
const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

export function LifeMap({ data, bbox, onClick, onReady }: {
  data: LifeMapData;
  /** The street's extent [w, s, e, n], framed at once. */
  bbox: [number, number, number, number] | null;
  onClick: (lng: number, lat: number) => void;
  onReady?: (map: MapLibreMap) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const loaded = useRef(false);
  const latest = useRef({ data, onClick });
  latest.current = { data, onClick };

  useEffect(() => {
    const map = new MapLibreMap({
      container: box.current!,
      style: {
        version: 8,
        sources: { ...Object.fromEntries(SOURCES.map((s) => [s, { type: 'geojson', data: EMPTY }])), 'roads-tiles': tiles('roads'), 'buildings-tiles': tiles('buildings') },
        layers: [
          { id: 'bg', type: 'background', paint: { 'background-color': BASE.background } },
          {
            id: 'bands-fill', type: 'fill', source: 'bands',
            paint: { 'fill-color': ['match', ['get', 'minutes'], 5, BAND_FILL[5], 10, BAND_FILL[10], BAND_FILL[15]], 'fill-opacity': 0.22 },
          },
          {
            id: 'roads', type: 'line', source: 'roads-tiles', 'source-layer': 'roads',
            paint: {
              'line-color': ['match', ['get', 'kind'], 'arterial', ROAD_STYLES.arterial.color, 'secondary', ROAD_STYLES.secondary.color, 'gate', ROAD_STYLES.gate.color, '#4D5864'],
              'line-width': ['interpolate', ['linear'], ['zoom'], 14, ['match', ['get', 'kind'], 'arterial', 2.5, 'secondary', 1.8, 'local', 1, 0.4], 18, ['match', ['get', 'kind'], 'arterial', 14, 'secondary', 10, 'local', 6, 1.5]],
            },
          },
          {
            id: 'buildings-base', type: 'fill', source: 'buildings-tiles', 'source-layer': 'buildings',
            paint: { 'fill-color': '#9AA5B1', 'fill-opacity': 0.45, 'fill-outline-color': '#0E1318' },
          },
          {
            id: 'buildings', type: 'fill', source: 'buildings',
            paint: {
              'fill-color': ['match', ['get', 'state'], 'covered', COVERED, 'uncovered', UNCOVERED, 'site', SITE, '#9AA5B1'],
              'fill-opacity': ['match', ['get', 'state'], 'covered', 0.55, 'uncovered', 0.95, 'site', 0.95, 0.45],
              'fill-outline-color': '#0E1318',
            },
          },
          {
            id: 'bands-line', type: 'line', source: 'bands',
            paint: { 'line-color': ['match', ['get', 'minutes'], 5, BAND_FILL[5], 10, BAND_FILL[10], BAND_FILL[15]], 'line-width': 2 },
          },
          { id: 'route-casing', type: 'line', source: 'route', layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#0A0E12', 'line-width': 8 } },
          { id: 'route', type: 'line', source: 'route', layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#FFFFFF', 'line-width': 4 } },
          {
            id: 'facilities', type: 'circle', source: 'facilities',
            paint: { 'circle-color': ['coalesce', ['get', 'color'], '#ccc'], 'circle-radius': ['case', ['==', ['get', 'chosen'], true], 8, 4.5], 'circle-stroke-color': '#0E1318', 'circle-stroke-width': 1.2 },
          },
          {
            id: 'sites', type: 'circle', source: 'sites',
            paint: { 'circle-color': SITE, 'circle-radius': 11, 'circle-stroke-color': '#0E1318', 'circle-stroke-width': 2, 'circle-opacity': 0.95 },
          },
          {
            id: 'start', type: 'circle', source: 'start',
            paint: { 'circle-color': '#FFFFFF', 'circle-radius': 7, 'circle-stroke-color': '#D7263D', 'circle-stroke-width': 3 },
          },
          {
            id: 'me', type: 'circle', source: 'me',
            paint: { 'circle-color': '#2F80ED', 'circle-radius': 8, 'circle-stroke-color': '#FFFFFF', 'circle-stroke-width': 3 },
          },
        ],
      },
      ...(bbox ? { bounds: [[bbox[0], bbox[1]], [bbox[2], bbox[3]]] as [[number, number], [number, number]], fitBoundsOptions: { padding: 30 } } : { center: [121.4, 37.54] as [number, number], zoom: 14 }),
      attributionControl: false,
    });
    mapRef.current = map;
    map.addControl(new NavigationControl({ showCompass: false }), 'bottom-right');
    map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    map.on('load', () => {
      loaded.current = true;
      for (const s of SOURCES) (map.getSource(s) as GeoJSONSource).setData(latest.current.data[s]);
      onReady?.(map);
    });
    map.on('click', (e) => latest.current.onClick(e.lngLat.lng, e.lngLat.lat));
    map.getCanvas().style.cursor = 'crosshair';
    return () => {
      map.remove();
      mapRef.current = null;
      loaded.current = false;
    };
    // The map is made once; later data is pushed by the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded.current) return;
    for (const s of SOURCES) (map.getSource(s) as GeoJSONSource).setData(data[s]);
  }, [data]);

  return <div ref={box} className="life-map" data-testid="life-map" />;
}
