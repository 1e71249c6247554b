/**
 * Party-member reach on the main map (issue #20): buildings holding 党员中心户 (red, sized by how many),
 * buildings left out of every centre's walking distance (orange) and the suggested new centres
 * (gold rings). Building positions and counts only — no household identities (GET /api/party-reach).
 */
import { ScatterplotLayer } from '@deck.gl/layers';
import type { PartyReach } from '../../http/party-api';

type Dot = { position: [number, number]; radius: number };

export function partyReachLayers(reach: PartyReach, visible: boolean) {
  const common = { visible, pickable: false, radiusUnits: 'meters' as const, radiusMinPixels: 3, getPosition: (d: Dot) => d.position, getRadius: (d: Dot) => d.radius };
  return [
    new ScatterplotLayer<Dot>({
      id: 'party-reach-left-out', ...common,
      data: reach.leftOut.map((b) => ({ position: b.position, radius: 10 })),
      getFillColor: [255, 140, 0, 200],
    }),
    new ScatterplotLayer<Dot>({
      id: 'party-reach-centres', ...common,
      data: reach.centres.map((c) => ({ position: c.position, radius: 8 + 3 * c.count })),
      getFillColor: [214, 39, 40, 230], stroked: true, getLineColor: [255, 255, 255, 230], lineWidthMinPixels: 1,
    }),
    new ScatterplotLayer<Dot>({
      id: 'party-reach-suggestions', ...common,
      data: reach.suggestions.map((s) => ({ position: s.position, radius: 22 })),
      filled: false, stroked: true, getLineColor: [255, 212, 0, 255], lineWidthMinPixels: 3,
    }),
  ];
}
