/**
 * Party-member density as flat hexagons: the per-building household aggregates (`households`
 * layer, no personal fields) are summed by `partyMembers` into ~90 m cells. Only aggregates are
 * shown, in line with the personal-data rules for public and wall-screen views.
 */
import { HexagonLayer } from '@deck.gl/aggregation-layers';
import type { Feature, Point } from 'geojson';
import type { HouseholdAggregateProps, LayerCollection } from '../../http/api-types';
import { PARTY_RAMP } from '../palette';

export const PARTY_DENSITY_LAYER_ID = 'party-density';

type HouseholdFeature = Feature<Point, HouseholdAggregateProps>;

export function partyDensityLayer(data: LayerCollection<'households'>, opts: { visible: boolean }) {
  return new HexagonLayer<HouseholdFeature>({
    id: PARTY_DENSITY_LAYER_ID,
    data: data.features as HouseholdFeature[],
    visible: opts.visible,
    // CPU aggregation: a street has ~1000 points, and it works on software WebGL too.
    gpuAggregation: false,
    radius: 90,
    coverage: 0.9,
    extruded: false,
    opacity: 0.8,
    colorRange: PARTY_RAMP,
    colorScaleType: 'quantize',
    getPosition: (f: HouseholdFeature) => f.geometry.coordinates as [number, number],
    getColorWeight: (f: HouseholdFeature) => f.properties.partyMembers,
    colorAggregation: 'SUM',
    pickable: false,
    parameters: { depthWriteEnabled: false },
  });
}
