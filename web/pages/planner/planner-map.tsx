/**
 * The planner's map of one community (MapLibre only: flat ground features, so no deck.gl canvas
 * is needed and a click lands on MapLibre's own feature query). Grids are filled by band status,
 * buildings by the grid they belong to in the plan (the paint grid bright). Tools:
 * select / merge / delete report grid clicks; paint and compound report building clicks, a
 * Shift-drag rectangle, and (paint) a brush stroke: press and drag to paint every building the
 * brush circle touches; reshape / split / draw hand the map to terra-draw (grid-draw.ts).
 * The diff overlay outlines grids added / removed / changed against the published plan and rings
 * the buildings that moved.
 */
import { Map as MapLibreMap, NavigationControl, setWorkerUrl, type GeoJSONSource, type MapMouseEvent } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef } from 'react';
import { BAND_COLORS, BASE } from '../../map/palette';
import { GridDraw, type DrawTool } from './grid-draw';
import { snapTargets } from './snap';

export type Tool = 'select' | 'paint' | 'compound' | 'reshape' | 'split' | 'draw' | 'merge' | 'delete';
const DRAW_TOOLS: readonly Tool[] = ['reshape', 'split', 'draw'];
const BRUSH_PX = 18;

setWorkerUrl(workerUrl);

export interface PlannerMapProps {
  grids: GeoJSON.FeatureCollection;
  buildings: GeoJSON.FeatureCollection;
  extruded: boolean;
  fitTo: [number, number, number, number] | null;
  tool: Tool;
  /** Geometry edited by the reshape tool (the selected grid). */
  editGeometry: GeoJSON.Polygon | GeoJSON.MultiPolygon | null;
  /** Lines a reshaped or drawn vertex snaps to: the other grids' rings and the roads. */
  snapTo: GeoJSON.FeatureCollection;
  /** Diff against the published plan: grid outlines with properties.change added/removed/changed. */
  diff: GeoJSON.FeatureCollection | null;
  onBuildingClick: (code: string) => void;
  onGridClick: (code: string) => void;
  onBrush: (codes: string[]) => void;
  onReshape: (polygon: GeoJSON.Polygon) => void;
  onSplitLine: (line: GeoJSON.LineString) => void;
  onDrawPolygon: (polygon: GeoJSON.Polygon) => void;
  /** Receives a function giving a building's on-screen centre (container pixels), for tests. */
  onProjector?: (p: { building: (code: string) => { x: number; y: number } | null; lngLat: (lng: number, lat: number) => { x: number; y: number } }) => void;
  /** Receives a function giving the reshaped polygon's vertices on screen, for tests. */
  onVertices?: (vertices: () => { x: number; y: number }[]) => void;
}

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

export function PlannerMap(props: PlannerMapProps) {
  const { grids, buildings, extruded, fitTo, tool, editGeometry, snapTo, diff, onProjector, onVertices } = props;
  const box = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const drawRef = useRef<GridDraw | null>(null);
  const loaded = useRef(false);
  const latest = useRef(props);
  latest.current = props;
  const fittedTo = useRef<[number, number, number, number] | null>(null);
  /** The map was panned, zoomed or fitted to a problem since the first fit. */
  const moved = useRef(false);

  useEffect(() => {
    const map = new MapLibreMap({
      container: box.current!,
      style: {
        version: 8,
        sources: { grids: { type: 'geojson', data: EMPTY }, buildings: { type: 'geojson', data: EMPTY }, diff: { type: 'geojson', data: EMPTY } },
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
          { id: 'grids-selected-line', type: 'line', source: 'grids', filter: ['==', ['get', 'selected'], true], paint: { 'line-color': '#FF8A3D', 'line-width': 3, 'line-dasharray': [2, 1] } },
          {
            id: 'diff-line',
            type: 'line',
            source: 'diff',
            paint: {
              'line-color': ['match', ['get', 'change'], 'added', '#3DDC97', 'removed', '#FF5C5C', '#5CC8FF'],
              'line-width': 2.5,
              'line-dasharray': [3, 2],
            },
          },
          {
            id: 'buildings-flat',
            type: 'fill',
            source: 'buildings',
            paint: {
              'fill-color': ['case', ['==', ['get', 'paint'], true], BASE.selection, ['==', ['get', 'moved'], true], '#C792EA', '#B8C2CC'],
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
          { id: 'buildings-moved', type: 'line', source: 'buildings', filter: ['==', ['get', 'moved'], true], paint: { 'line-color': '#C792EA', 'line-width': 2 } },
        ],
      },
      center: [121.4, 37.54],
      zoom: 14,
      attributionControl: false,
      boxZoom: false,
    });
    mapRef.current = map;
    onProjector?.({
      building: (code) => {
        const f = latest.current.buildings.features.find((b) => b.properties?.code === code);
        const b = f && bboxOf({ type: 'FeatureCollection', features: [f] });
        if (!b) return null;
        const p = map.project([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]);
        return { x: p.x, y: p.y };
      },
      lngLat: (lng, lat) => {
        const p = map.project([lng, lat]);
        return { x: p.x, y: p.y };
      },
    });
    map.addControl(new NavigationControl({ visualizePitch: true }), 'bottom-right');
    map.on('load', () => {
      loaded.current = true;
      (map.getSource('grids') as GeoJSONSource).setData(latest.current.grids);
      (map.getSource('buildings') as GeoJSONSource).setData(latest.current.buildings);
      (map.getSource('diff') as GeoJSONSource).setData(latest.current.diff ?? EMPTY);
      const draw = new GridDraw(map, {
        onReshape: (p) => latest.current.onReshape(p),
        onLine: (l) => latest.current.onSplitLine(l),
        onPolygon: (p) => latest.current.onDrawPolygon(p),
      });
      drawRef.current = draw;
      draw.setSnapTargets(snapTargets(latest.current.snapTo.features));
      draw.setTool(drawTool(latest.current.tool), latest.current.editGeometry);
      onVertices?.(() => draw.vertexPoints());
    });
    map.on('click', (e) => {
      const t = latest.current.tool;
      if (DRAW_TOOLS.includes(t)) return;
      if (t === 'paint' || t === 'compound') {
        const hit = map.queryRenderedFeatures(e.point, { layers: ['buildings-flat', 'buildings-3d'] })[0];
        const code = hit?.properties?.code;
        if (typeof code === 'string') latest.current.onBuildingClick(code);
        return;
      }
      const g = map.queryRenderedFeatures(e.point, { layers: ['grids-fill'] })[0]?.properties?.code;
      if (typeof g === 'string') latest.current.onGridClick(g);
    });
    for (const id of ['buildings-flat', 'buildings-3d']) {
      map.on('mouseenter', id, () => (map.getCanvas().style.cursor = 'pointer'));
      map.on('mouseleave', id, () => (map.getCanvas().style.cursor = ''));
    }
    // Shift-drag: a rectangle brush; in paint mode a plain drag paints with a round brush.
    let start: { x: number; y: number } | null = null;
    let rect: HTMLDivElement | null = null;
    let stroke: Set<string> | null = null;
    const canvas = map.getCanvasContainer();
    const dab = (p: { x: number; y: number }) => {
      for (const f of map.queryRenderedFeatures([[p.x - BRUSH_PX, p.y - BRUSH_PX], [p.x + BRUSH_PX, p.y + BRUSH_PX]], { layers: ['buildings-flat', 'buildings-3d'] })) {
        if (typeof f.properties?.code === 'string') stroke?.add(f.properties.code);
      }
      if (rect) Object.assign(rect.style, { left: `${p.x - BRUSH_PX}px`, top: `${p.y - BRUSH_PX}px`, width: `${2 * BRUSH_PX}px`, height: `${2 * BRUSH_PX}px` });
    };
    const down = (e: MapMouseEvent) => {
      const t = latest.current.tool;
      if (e.originalEvent.button !== 0 || (t !== 'paint' && t !== 'compound')) return;
      if (t === 'paint' && !e.originalEvent.shiftKey) {
        e.preventDefault();
        map.dragPan.disable();
        stroke = new Set();
        rect = document.createElement('div');
        rect.className = 'planner-brush planner-brush-round';
        rect.dataset.testid = 'planner-brush';
        canvas.appendChild(rect);
        dab(e.point);
        return;
      }
      if (!e.originalEvent.shiftKey) return;
      e.preventDefault();
      map.dragPan.disable();
      start = e.point;
      rect = document.createElement('div');
      rect.className = 'planner-brush';
      rect.dataset.testid = 'planner-brush';
      canvas.appendChild(rect);
    };
    const move = (e: MapMouseEvent) => {
      if (stroke) return dab(e.point);
      if (!start || !rect) return;
      const x = Math.min(start.x, e.point.x), y = Math.min(start.y, e.point.y);
      Object.assign(rect.style, { left: `${x}px`, top: `${y}px`, width: `${Math.abs(e.point.x - start.x)}px`, height: `${Math.abs(e.point.y - start.y)}px` });
    };
    const up = (e: MapMouseEvent) => {
      if (stroke) {
        const codes = [...stroke];
        stroke = null;
        rect?.remove();
        rect = null;
        map.dragPan.enable();
        // A plain click (one dab) is left to the click handler.
        if (codes.length > 1) latest.current.onBrush(codes);
        return;
      }
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
    // The container can still be settling (0×0) when the map is made: follow its size, and
    // redo the first fit until the planner moves the map.
    map.on('movestart', (e) => {
      if ((e as { originalEvent?: unknown }).originalEvent) moved.current = true;
    });
    const resized = new ResizeObserver(() => {
      map.resize();
      const b = fittedTo.current;
      if (b && !moved.current) map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 30, duration: 0 });
    });
    resized.observe(box.current!);
    return () => {
      resized.disconnect();
      drawRef.current?.destroy();
      drawRef.current = null;
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

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded.current) return;
    (map.getSource('diff') as GeoJSONSource).setData(diff ?? EMPTY);
  }, [diff]);

  useEffect(() => {
    drawRef.current?.setSnapTargets(snapTargets(snapTo.features));
  }, [snapTo]);

  // terra-draw follows the tool and the edited grid (reset after each saved reshape).
  useEffect(() => {
    drawRef.current?.setTool(drawTool(tool), editGeometry);
  }, [tool, editGeometry]);

  // First fit: the community's buildings.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || fittedTo.current || buildings.features.length === 0) return;
    const b = bboxOf(buildings);
    if (!b) return;
    fittedTo.current = b;
    map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: 30, duration: 0 });
  }, [buildings]);

  useEffect(() => {
    if (fitTo) moved.current = true;
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

function drawTool(t: Tool): DrawTool {
  return t === 'reshape' || t === 'split' || t === 'draw' ? t : null;
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
