/**
 * Buildings as extruded footprints: height from the API's `heightM` (floors × 3 m), colour by use,
 * so schools, hospitals and markets stand out among the housing blocks.
 */
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, Geometry, MultiPolygon, Polygon } from 'geojson';
import type { BuildingProps, LayerCollection } from '../../http/api-types';
import { BUILDING_USE_COLORS, hexToRgb, type Rgb } from '../palette';

export const BUILDINGS_LAYER_ID = 'buildings-3d';

type BuildingFeature = Feature<Geometry, BuildingProps>;

const USE_RGB = Object.fromEntries(
  Object.entries(BUILDING_USE_COLORS).map(([k, v]) => [k, hexToRgb(v)]),
) as Record<string, Rgb>;

/** Saturated cyan: no building use is drawn in it (schools are yellow, offices pale blue). */
const SELECTED: [number, number, number, number] = [25, 211, 255, 255];

export function buildingsLayer(
  data: LayerCollection<'buildings'>,
  opts: { visible: boolean; selectedCode: string | null },
) {
  return new GeoJsonLayer<BuildingProps>({
    id: BUILDINGS_LAYER_ID,
    data: data as unknown as GeoJSON.FeatureCollection<Polygon | MultiPolygon, BuildingProps>,
    visible: opts.visible,
    extruded: true,
    filled: true,
    stroked: false,
    wireframe: false,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 90],
    opacity: 1,
    material: { ambient: 0.45, diffuse: 0.6, shininess: 24, specularColor: [60, 64, 70] },
    getElevation: (f: BuildingFeature) => {
      const p = f.properties;
      return p.heightM > 0 ? p.heightM : Math.max(1, p.floors) * 3;
    },
    getFillColor: (f: BuildingFeature) => {
      if (opts.selectedCode && f.properties.code === opts.selectedCode) return SELECTED;
      const rgb = USE_RGB[f.properties.use] ?? USE_RGB.public;
      return [rgb[0], rgb[1], rgb[2], 235];
    },
    updateTriggers: { getFillColor: [opts.selectedCode] },
  });
}
