/**
 * The planner's map of one community (MapLibre only: flat ground features, so no deck.gl canvas
 * is needed and a click lands on MapLibre's own feature query). Grids are filled by band status,
 * buildings by the grid they belong to in the plan (the paint grid bright), and a Shift-drag draws
 * a rectangle whose buildings are assigned at once.
 */
import { Map as MapLibreMap, NavigationControl, setWorkerUrl, type GeoJSONSource, type MapMouseEvent } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef } from 'react';
import { BAND_COLORS, BASE } from '../../map/palette';

setWorkerUrl(workerUrl);

export interface PlannerMapProps {
  grids: GeoJSON.FeatureCollection;
  buildings: GeoJSON.FeatureCollection;
  extruded: boolean;
  fitTo: [number, number, number, number] | null;
  onBuildingClick: (code: string) => void;
  onBrush: (codes: string[]) => void;
  /** Receives a function giving a building's on-screen centre (container pixels), for tests. */
  onProjector?: (project: (code: string) => { x: number; y: number } | null) => void;
}

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

export function PlannerMap({ grids, buildings, extruded, fitTo, onBuildingClick, onBrush, onProjector }: PlannerMapProps) {
  const box = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const loaded = useRef(false);
  const latest = useRef({ grids, buildings, onBuildingClick, onBrush });
  latest.current = { grids, buildings, onBuildingClick, onBrush };
  const fitted = useRef(false);

  useEffect(() => {
    const map = new MapLibreMap({
      container: box.current!,
      style: {
        version: 8,
        sources: { grids: { type: 'geojson', data: EMPTY }, buildings: { type: 'geojson', data: EMPTY } },
        layers: [
          { id: 'bg', type: 'background', paint: { 'background-color': BASE.background } },
          {
            id: 'grids-fill',
            type: 'fill',
            source: 'grids',
            paint: {
              'fill-color': ['match', ['get', 'status'], 'under', BAND_COLORS.under, 'in', BAND_COLORS.in, 'over', BAND_COLORS.over, 'dedicated', BAND_COLORS.dedicated, '#888'],
              'fill-opacity': ['case', ['==', ['get', 'paint'], true], 0.5, 0.22],
            },
          },
          { id: 'grids-line', type: 'line', source: 'grids', paint: { 'line-color': BASE.gridLine, 'line-width': 1, 'line-opacity': 0.6 } },
          { id: 'grids-paint-line', type: 'line', source: 'grids', filter: ['==', ['get', 'paint'], true], paint: { 'line-color': BASE.selection, 'line-width': 3 } },
          {
            id: 'buildings-flat',
            type: 'fill',
            source: 'buildings',
            paint: {
              'fill-color': ['case', ['==', ['get', 'paint'], true], BASE.selection, '#B8C2CC'],
              'fill-outline-color': '#0E1318',
              'fill-opacity': 0.9,
            },
          },
          {
            id: 'buildings-3d',
            type: 'fill-extrusion',
            source: 'buildings',
            layout: { visibility: 'none' },
            paint: {
              'fill-extrusion-color': ['case', ['==', ['get', 'paint'], true], BASE.selection, '#B8C2CC'],
              'fill-extrusion-height': ['coalesce', ['get', 'heightM'], 10],
              'fill-extrusion-opacity': 0.85,
            },
          },
        ],
      },
      center: [121.4, 37.54],
      zoom: 14,
      attributionControl: false,
      boxZoom: false,
    });
    mapRef.current = map;
    onProjector?.((code) => {
      const f = latest.current.buildings.features.find((b) => b.properties?.code === code);
      const b = f && bboxOf({ type: 'FeatureCollection', features: [f] });
      if (!b) return null;
      const p = map.project([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]);
      return { x: p.x, y: p.y };
    });
    map.addControl(new NavigationControl({ visualizePitch: true }), 'bottom-right');
    map.on('load', () => {
      loaded.current = true;
      (map.getSource('grids') as GeoJSONSource).setData(latest.current.grids);
      (map.getSource('buildings') as GeoJSONSource).setData(latest.current.buildings);
    });
    map.on('click', (e) => {
      const hit = map.queryRenderedFeatures(e.point, { layers: ['buildings-flat', 'buildings-3d'] })[0];
      const code = hit?.properties?.code;
      if (typeof code === 'string') latest.current.onBuildingClick(code);
    });
    for (const id of ['buildings-flat', 'buildings-3d']) {
      map.on('mouseenter', id, () => (map.getCanvas().style.cursor = 'pointer'));
      map.on('mouseleave', id, () => (map.getCanvas().style.cursor = ''));
    }
    // Shift-drag: a rectangle brush.
    let start: { x: number; y: number } | null = null;
    let rect: HTMLDivElement | null = null;
    const canvas = map.getCanvasContainer();
    const down = (e: MapMouseEvent) => {
      if (!e.originalEvent.shiftKey || e.originalEvent.button !== 0) return;
      e.preventDefault();
      map.dragPan.disable();
      start = e.point;
      rect = document.createElement('div');
      rect.className = 'planner-brush';
      rect.dataset.testid = 'planner-brush';
      canvas.appendChild(rect);
    };
    const move = (e: MapMouseEvent) => {
      if (!start || !rect) return;
      const x = Math.min(start.x, e.point.x), y = Math.min(start.y, e.point.y);
      Object.assign(rect.style, { left: `${x}px`, top: `${y}px`, width: `${Math.abs(e.point.x - start.x)}px`, height: `${Math.abs(e.point.y - start.y)}px` });
    };
    const up = (e: MapMouseEvent) => {
      if (!start) return;
      const feats = map.queryRenderedFeatures([[Math.min(start.x, e.point.x), Math.min(start.y, e.point.y)], [Math.max(start.x, e.point.x), Math.max(start.y, e.point.y)]], { layers: ['buildings-flat', 'buildings-3d'] });
      rect?.remove();
      rect = null;
      start = null;
      map.dragPan.enable();
      const codes = [...new Set(feats.map((f) => f.properties?.code).filter((c): c is string => typeof c === 'string'))];
      if (codes.length > 0) latest.current.onBrush(codes);
    };
    map.on('mousedown', down);
    map.on('mousemove', move);
    map.on('mouseup', up);
    return () => {
      map.remove();
      mapRef.current = null;
      loaded.current = false;
    };
    // The map is made once; later callbacks are read through `latest`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded.current) return;
    (map.getSource('grids') as GeoJSONSource).setData(grids);
  }, [grids]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded.current) return;
    (map.getSource('buildings') as GeoJSONSource).setData(buildings);
  }, [buildings]);

  // First fit: the community's buildings.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || fitted.current || buildings.features.length === 0) return;
    const b = bboxOf(buildings);
    if (!b) return;
    fitted.current = true;
    map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 30, duration: 0 });
  }, [buildings]);

  useEffect(() => {
    if (fitTo) mapRef.current?.fitBounds([[fitTo[0], fitTo[1]], [fitTo[2], fitTo[3]]], { padding: 80, maxZoom: 18, duration: 300 });
  }, [fitTo]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const apply = () => {
      map.setLayoutProperty('buildings-3d', 'visibility', extruded ? 'visible' : 'none');
      map.setLayoutProperty('buildings-flat', 'visibility', extruded ? 'none' : 'visible');
      map.easeTo({ pitch: extruded ? 50 : 0, duration: 300 });
    };
    if (loaded.current) apply();
    else map.once('load', apply);
  }, [extruded]);

  return <div ref={box} className="planner-map" data-testid="planner-map" />;
}

export function bboxOf(fc: GeoJSON.FeatureCollection): [number, number, number, number] | null {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const visit = (c: unknown) => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      w = Math.min(w, c[0]); e = Math.max(e, c[0]); s = Math.min(s, c[1] as number); n = Math.max(n, c[1] as number);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const f of fc.features) if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates);
  return w === Infinity ? null : [w, s, e, n];
}
