/**
 * The requests map (MapLibre only, flat features): grid outlines, a heat of all requests reported
 * in the chosen period (MapLibre heatmap over the /api/requests/layer points), and the open
 * requests as points coloured by status, overdue ones ringed red. A click reports the clicked
 * place to the page (for a new request).
 */
import { Map as MapLibreMap, NavigationControl, setWorkerUrl, type GeoJSONSource } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef } from 'react';
import { BASE } from '../../map/palette';

setWorkerUrl(workerUrl);

export const STATUS_COLORS: Record<string, string> = {
  reported: '#E69F00',
  dispatched: '#56B4E9',
  accepted: '#009E73',
  resolved: '#CC79A7',
  rated: '#9FB3C8',
  closed: '#6E8296',
};

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

export interface RequestsMapProps {
  grids: GeoJSON.FeatureCollection;
  points: GeoJSON.FeatureCollection;
  heat: GeoJSON.FeatureCollection;
  showHeat: boolean;
  showPoints: boolean;
  picked: [number, number] | null;
  onPick: (lonLat: [number, number]) => void;
  onReady: () => void;
}

function bboxOf(fc: GeoJSON.FeatureCollection): [number, number, number, number] | null {
  let b: [number, number, number, number] | null = null;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as number[];
      b = b ? [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)] : [x, y, x, y];
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const f of fc.features) if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates);
  return b;
}

export function RequestsMap(props: RequestsMapProps) {
  const box = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const loaded = useRef(false);
  const latest = useRef(props);
  latest.current = props;
  const fitted = useRef(false);

  useEffect(() => {
    const map = new MapLibreMap({
      container: box.current!,
      style: {
        version: 8,
        sources: {
          grids: { type: 'geojson', data: EMPTY },
          heat: { type: 'geojson', data: EMPTY },
          points: { type: 'geojson', data: EMPTY },
          picked: { type: 'geojson', data: EMPTY },
        },
        layers: [
          { id: 'bg', type: 'background', paint: { 'background-color': BASE.background } },
          { id: 'grids-fill', type: 'fill', source: 'grids', paint: { 'fill-color': BASE.communityFill, 'fill-opacity': 0.8 } },
          { id: 'grids-line', type: 'line', source: 'grids', paint: { 'line-color': BASE.gridLine, 'line-width': 0.8, 'line-opacity': 0.45 } },
          {
            id: 'heat',
            type: 'heatmap',
            source: 'heat',
            paint: {
              'heatmap-weight': 0.25,
              'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 12, 0.8, 16, 1.6],
              'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 12, 12, 14, 24, 17, 60],
              'heatmap-opacity': 0.8,
              'heatmap-color': ['interpolate', ['linear'], ['heatmap-density'], 0, 'rgba(0,0,0,0)', 0.2, '#2c7bb6', 0.4, '#abd9e9', 0.6, '#ffffbf', 0.8, '#fdae61', 1, '#d7191c'],
            },
          },
          {
            id: 'points',
            type: 'circle',
            source: 'points',
            paint: {
              'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 3, 16, 7],
              'circle-color': ['match', ['get', 'status'], ...Object.entries(STATUS_COLORS).flat(), '#888'] as never,
              'circle-stroke-color': ['case', ['==', ['get', 'overdue'], true], '#FF3B30', '#0E1318'],
              'circle-stroke-width': ['case', ['==', ['get', 'overdue'], true], 2.5, 1],
            },
          },
          { id: 'picked', type: 'circle', source: 'picked', paint: { 'circle-radius': 8, 'circle-color': BASE.selection, 'circle-stroke-color': '#000', 'circle-stroke-width': 2 } },
        ],
      },
      center: [121.4, 37.54],
      zoom: 14,
      attributionControl: false,
    });
    mapRef.current = map;
    map.addControl(new NavigationControl(), 'bottom-right');
    map.on('load', () => {
      loaded.current = true;
      sync();
      map.once('idle', () => latest.current.onReady());
    });
    map.on('click', (e) => latest.current.onPick([e.lngLat.lng, e.lngLat.lat]));
    const sync = () => {
      const p = latest.current;
      (map.getSource('grids') as GeoJSONSource).setData(p.grids);
      (map.getSource('heat') as GeoJSONSource).setData(p.heat);
      (map.getSource('points') as GeoJSONSource).setData(p.points);
      (map.getSource('picked') as GeoJSONSource).setData(
        p.picked ? { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: p.picked } }] } : EMPTY,
      );
      map.setLayoutProperty('heat', 'visibility', p.showHeat ? 'visible' : 'none');
      map.setLayoutProperty('points', 'visibility', p.showPoints ? 'visible' : 'none');
      if (!fitted.current) {
        const b = bboxOf(p.grids);
        if (b) {
          map.fitBounds(b, { padding: 20, duration: 0 });
          fitted.current = true;
        }
      }
    };
    (map as unknown as { __sync: () => void }).__sync = sync;
    return () => map.remove();
  }, []);

  useEffect(() => {
    const map = mapRef.current as unknown as { __sync?: () => void } | null;
    if (loaded.current) map?.__sync?.();
  }, [props.grids, props.points, props.heat, props.showHeat, props.showPoints, props.picked]);

  return <div ref={box} className="requests-map-canvas" data-testid="requests-map" />;
}
