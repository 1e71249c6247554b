/** The community's buildings, roads, party members and load per building, loaded when the community changes. */
import { useEffect, useState } from 'react';
import { fetchLayer } from '../../http/api-client';
import type { BuildingProps, HouseholdAggregateProps } from '../../http/api-types';
import { fetchLoads } from '../../http/party-api';

export type BuildingFeature = GeoJSON.Feature<GeoJSON.Geometry, BuildingProps>;

export function useCommunityLayers(community: string | null, onError: (e: unknown) => void) {
  const [buildings, setBuildings] = useState<BuildingFeature[]>([]);
  const [roads, setRoads] = useState<GeoJSON.Feature[]>([]);
  const [party, setParty] = useState<Map<string, number>>(new Map());
  const [loads, setLoads] = useState<Map<string, number>>(new Map());

  useEffect(() => {
    if (!community) return;
    fetchLayer('buildings', { community }).then((fc) => setBuildings(fc.features as BuildingFeature[]), onError);
    fetchLayer('roads', { community }).then((fc) => setRoads(fc.features as GeoJSON.Feature[]), onError);
    // Party members per building come from the household aggregates (counts only).
    fetchLayer('households', { community }).then((fc) => {
      const m = new Map<string, number>();
      for (const f of fc.features) {
        const p = f.properties as HouseholdAggregateProps;
        m.set(p.buildingCode, p.partyMembers);
      }
      setParty(m);
    }, onError);
    // Each building's load under the street's weights (issue #20): the tallies sum it per grid.
    fetchLoads(community).then((r) => setLoads(new Map(Object.entries(r.buildings))), onError);
  }, [community, onError]);

  return { buildings, roads, party, loads };
}
