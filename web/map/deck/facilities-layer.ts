/**
 * Facilities as round badges in their category colour with a one-character glyph (食, 医, 学 …),
 * from an atlas drawn at run time; billboarded so they stay readable when the map is pitched.
 */
import { IconLayer, type IconLayerProps } from '@deck.gl/layers';
import type { Feature, Point } from 'geojson';
import type { FacilityProps, LayerCollection } from '../../http/api-types';
import { UNKNOWN_ICON, type IconAtlas } from './facility-icon-atlas';

export const FACILITIES_LAYER_ID = 'facilities';

type FacilityFeature = Feature<Point, FacilityProps>;

export function facilitiesLayer(
  data: LayerCollection<'facilities'>,
  atlas: IconAtlas,
  opts: { visible: boolean; selectedCode: string | null },
) {
  return new IconLayer<FacilityFeature>({
    id: FACILITIES_LAYER_ID,
    data: data.features as FacilityFeature[],
    visible: opts.visible,
    // deck.gl accepts any WebGL pixel source here (documented for `iconAtlas`); the TypeScript type
    // only lists URL and Texture, hence the cast. A canvas needs no async image decode.
    iconAtlas: atlas.canvas as unknown as IconLayerProps<FacilityFeature>['iconAtlas'],
    iconMapping: atlas.mapping,
    getIcon: (f: FacilityFeature) => (f.properties.category in atlas.mapping ? f.properties.category : UNKNOWN_ICON),
    getPosition: (f: FacilityFeature) => [f.geometry.coordinates[0], f.geometry.coordinates[1], 4],
    // Sized in metres, clamped in pixels: small dots over the whole street (182 facilities would
    // otherwise bury it), readable badges when zoomed in.
    getSize: (f: FacilityFeature) => (f.properties.code === opts.selectedCode ? 48 : 30),
    sizeUnits: 'meters',
    sizeMinPixels: 13,
    sizeMaxPixels: 30,
    billboard: true,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 60],
    updateTriggers: { getSize: [opts.selectedCode] },
    // Icons are UI markers: keep them above buildings rather than hidden behind them.
    parameters: { depthCompare: 'always', depthWriteEnabled: false },
  });
}
