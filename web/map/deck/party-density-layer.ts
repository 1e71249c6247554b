/**
 * Party-member density as flat hexagons from aggregates only (no personal fields), in line with
 * the personal-data rules for public and wall-screen views. The map page feeds per-building
 * household aggregates (`households` layer); the wall screen feeds the server's ~50 m density
 * cells (`/api/screen/summary`). Either way points are summed by weight into ~90 m hexagons.
 */
import { HexagonLayer } from '@deck.gl/aggregation-layers';
import type { HouseholdAggregateProps, LayerCollection } from '../../http/api-types';
import { PARTY_RAMP } from '../palette';

export const PARTY_DENSITY_LAYER_ID = 'party-density';

/** A weighted point: position and number of party members there. */
export interface DensityPoint {
  position: [number, number];
  weight: number;
}

const fromHouseholds = new WeakMap<object, DensityPoint[]>();

/** Per-building aggregates as density points; memoised so deck.gl does not re-aggregate. */
export function householdDensityPoints(data: LayerCollection<'households'>): DensityPoint[] {
  let points = fromHouseholds.get(data);
  if (!points) {
    points = data.features.map((f) => ({
      position: f.geometry.coordinates as [number, number],
      weight: (f.properties as HouseholdAggregateProps).partyMembers,
    }));
    fromHouseholds.set(data, points);
  }
  return points;
}

export function partyDensityLayer(points: DensityPoint[], opts: { visible: boolean; opacity?: number; radius?: number }) {
  return new HexagonLayer<DensityPoint>({
    id: PARTY_DENSITY_LAYER_ID,
    data: points,
    visible: opts.visible,
    // CPU aggregation: a street has ~1000 points, and it works on software WebGL too.
    gpuAggregation: false,
    radius: opts.radius ?? 90,
    coverage: 0.9,
    extruded: false,
    opacity: opts.opacity ?? 0.8,
    colorRange: PARTY_RAMP,
    colorScaleType: 'quantize',
    getPosition: (d: DensityPoint) => d.position,
    getColorWeight: (d: DensityPoint) => d.weight,
    colorAggregation: 'SUM',
    pickable: false,
    parameters: { depthWriteEnabled: false },
  });
}
