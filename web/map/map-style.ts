/**
 * Builds GridAtlas's own MapLibre style: no online basemap, no glyph or sprite URLs, because the
 * deployments often have no internet. Text and icons are drawn by deck.gl instead, so the style
 * needs no glyph server. An XYZ raster basemap (e.g. Tianditu) is added only when configured.
 *
 * Sources start empty and are filled with `setData` once the API answers.
 */
import type {
  ExpressionSpecification,
  LayerSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import type { AppConfig, RoadKind } from '../http/api-types';
import { withStreet } from '../http/api-client';
import { BAND_COLORS, BASE, BUILDING_USE_COLORS, ROAD_ORDER, ROAD_STYLES } from './palette';

/** The GeoJSON sources the style owns (the rest of the layers live in deck.gl). */
export const STYLE_SOURCES = ['communities', 'compounds', 'grids', 'roads'] as const;
export type StyleSource = (typeof STYLE_SOURCES)[number];

/** Map layer ids per user-facing toggle; used to switch visibility. */
export const STYLE_LAYER_GROUPS = {
  communities: ['communities-fill', 'communities-line-glow', 'communities-line'],
  grids: ['grids-fill', 'grids-line', 'grids-selected-line'],
  compounds: ['compounds-fill', 'compounds-line'],
  roads: ROAD_ORDER.flatMap((k) => [`roads-${k}-casing`, `roads-${k}`]),
} as const;

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

function bandColorExpression(): ExpressionSpecification {
  return [
    'match',
    ['get', 'status'],
    'under', BAND_COLORS.under,
    'in', BAND_COLORS.in,
    'over', BAND_COLORS.over,
    'dedicated', BAND_COLORS.dedicated,
    '#888888',
  ];
}

function roadWidth(kind: RoadKind, extra = 0): ExpressionSpecification {
  const s = ROAD_STYLES[kind];
  return ['interpolate', ['exponential', 1.6], ['zoom'], 13, Math.max(0.3, (s.width14 + extra) * 0.6), 14, s.width14 + extra, 18, s.width18 + extra * 2];
}

function roadLayers(): LayerSpecification[] {
  // Draw minor kinds first so arterials sit on top at junctions.
  const order: RoadKind[] = ['path', 'footway', 'local', 'secondary', 'arterial', 'gate'];
  const layers: LayerSpecification[] = [];
  for (const kind of order) {
    const s = ROAD_STYLES[kind];
    const filter: ExpressionSpecification = ['==', ['get', 'kind'], kind];
    const hasCasing = kind === 'arterial' || kind === 'secondary' || kind === 'local';
    layers.push({
      id: `roads-${kind}-casing`,
      type: 'line',
      source: 'roads',
      filter,
      layout: { 'line-cap': 'round', 'line-join': 'round', visibility: hasCasing ? 'visible' : 'none' },
      paint: { 'line-color': BASE.roadCasing, 'line-width': roadWidth(kind, 1.5), 'line-opacity': 0.8 },
    });
    layers.push({
      id: `roads-${kind}`,
      type: 'line',
      source: 'roads',
      filter,
      layout: { 'line-cap': s.dash ? 'butt' : 'round', 'line-join': 'round' },
      paint: {
        'line-color': s.color,
        'line-width': roadWidth(kind),
        ...(s.dash ? { 'line-dasharray': s.dash } : {}),
      },
    });
  }
  return layers;
}

/**
 * `tiles`: the street is too big for GeoJSON (e.g. 100k buildings), so all the style's sources are
 * the server's vector tiles, and buildings (extruded by floors) and facilities
 * are drawn by MapLibre from tiles too (see map-controller's notes).
 */
export interface MapStyleOptions {
  tiles?: { origin: string };
  /** GeoJSON already at hand, put straight into the style (no empty first round in the worker). */
  data?: Partial<Record<StyleSource, GeoJSON.FeatureCollection>>;
}

/** Tiles are cut up to this zoom and overzoomed beyond. */
const TILE_MAX_ZOOM = 16;

export function buildMapStyle(config: AppConfig, opts: MapStyleOptions = {}): StyleSpecification {
  const withBasemap = config.basemap !== null;
  const sources: StyleSpecification['sources'] = {};
  // The tiles hold the street's features only (`?street=`, added by withStreet), so no tile
  // outside its extent is asked for: in a city, the street's own dozen instead of the view's 48.
  const bounds = config.bbox ? { bounds: config.bbox } : {};
  const tiled = (id: string, minzoom: number) => ({
    type: 'vector' as const,
    tiles: [`${opts.tiles!.origin}${withStreet(`/tiles/${id}/{z}/{x}/{y}.mvt`)}`],
    minzoom,
    maxzoom: TILE_MAX_ZOOM,
    ...bounds,
  });
  for (const id of STYLE_SOURCES) {
    // Whole-street views load only the areas; detail layers start at zoom 14 (a community's view),
    // so the first screen of a 100k-building street asks for a handful of small tiles.
    sources[id] = opts.tiles ? tiled(id, id === 'grids' || id === 'communities' ? 10 : 14) : { type: 'geojson', data: opts.data?.[id] ?? EMPTY };
  }
  const layers: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': BASE.background } },
  ];
  if (config.basemap) {
    sources.basemap = {
      type: 'raster',
      tiles: [config.basemap.url],
      tileSize: 256,
      attribution: config.basemap.attribution,
    };
    layers.push({ id: 'basemap', type: 'raster', source: 'basemap', paint: { 'raster-saturation': -0.6, 'raster-brightness-max': 0.55 } });
  }
  layers.push(
    {
      id: 'communities-fill',
      type: 'fill',
      source: 'communities',
      // No antialiasing pass: every fill here has its own outline layer drawn over its edges, and
      // the extra pass (a line per polygon edge) is a large part of a frame on software WebGL.
      paint: { 'fill-color': BASE.communityFill, 'fill-opacity': withBasemap ? 0.35 : 1, 'fill-antialias': false },
    },
    {
      id: 'grids-fill',
      type: 'fill',
      source: 'grids',
      // Dedicated grids are the exception, not the message: a quieter fill.
      paint: {
        'fill-color': bandColorExpression(),
        'fill-opacity': ['match', ['get', 'status'], 'dedicated', 0.3, 0.42],
        'fill-antialias': false,
      },
    },
    {
      id: 'compounds-fill',
      type: 'fill',
      source: 'compounds',
      paint: { 'fill-color': BASE.compoundFill, 'fill-opacity': 0.35, 'fill-antialias': false },
    },
    ...roadLayers(),
    {
      id: 'compounds-line',
      type: 'line',
      source: 'compounds',
      paint: {
        'line-color': BASE.compoundLine,
        'line-width': ['interpolate', ['linear'], ['zoom'], 14, 0.6, 18, 1.6],
        'line-dasharray': [3, 2],
      },
    },
    {
      id: 'grids-line',
      type: 'line',
      source: 'grids',
      layout: { 'line-join': 'round' },
      // Neutral, not band-coloured: two neighbouring in-band grids must still show their border.
      paint: {
        'line-color': BASE.gridLine,
        'line-width': ['interpolate', ['linear'], ['zoom'], 14, 0.7, 18, 2],
        'line-opacity': 0.6,
      },
    },
    {
      id: 'communities-line-glow',
      type: 'line',
      source: 'communities',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': BASE.communityLine, 'line-width': 7, 'line-opacity': 0.12, 'line-blur': 3 },
    },
    {
      id: 'communities-line',
      type: 'line',
      source: 'communities',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': BASE.communityLine, 'line-width': 2, 'line-opacity': 0.9, 'line-dasharray': [6, 2, 1, 2] },
    },
    {
      id: 'grids-selected-line',
      type: 'line',
      source: 'grids',
      filter: ['==', ['get', 'code'], ''],
      layout: { 'line-join': 'round' },
      paint: { 'line-color': BASE.selection, 'line-width': 3.5 },
    },
  );
  if (opts.tiles) {
    sources.buildings = tiled('buildings', 14);
    sources.facilities = tiled('facilities', 14);
    layers.push(...tiledBuildingAndFacilityLayers());
    for (const l of layers) {
      if ('source' in l && l.source !== 'basemap') {
        (l as { 'source-layer'?: string })['source-layer'] = l.source;
      }
    }
  }
  return { version: 8, name: 'GridAtlas dark', sources, layers };
}

/** Ids of the tile-mode layers, for picking. */
export const TILED_BUILDINGS_LAYER = 'buildings-extrusion';
export const TILED_FACILITIES_LAYER = 'facilities-circle';

function tiledBuildingAndFacilityLayers(): LayerSpecification[] {
  const useColor: ExpressionSpecification = [
    'match', ['get', 'use'],
    ...Object.entries(BUILDING_USE_COLORS).flat(),
    BUILDING_USE_COLORS.public,
  ] as unknown as ExpressionSpecification;
  return [
    {
      id: TILED_BUILDINGS_LAYER,
      type: 'fill-extrusion',
      source: 'buildings',
      paint: {
        'fill-extrusion-color': useColor,
        'fill-extrusion-height': ['*', 3, ['max', 1, ['to-number', ['get', 'floors'], 1]]],
        'fill-extrusion-opacity': 0.92,
      },
    },
    {
      id: TILED_FACILITIES_LAYER,
      type: 'circle',
      source: 'facilities',
      paint: {
        'circle-color': ['to-color', ['get', 'color'], '#8895A3'],
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 2, 16, 6],
        'circle-stroke-color': '#FFFFFF',
        'circle-stroke-width': 1,
      },
    },
  ];
}
