/** Turns a generated street (data/generate) into one partitioner input per community. */
import type { StreetDataset } from '../../data/generate/types.js';
import type { LngLat, PartitionInput } from '../../geo/partition/index.js';

function ringCentroid(ring: LngLat[]): LngLat {
  const pts = ring.length > 1 ? ring.slice(0, -1) : ring;
  return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
}

export function communityInputs(ds: StreetDataset, mode: 'fresh' | 'rebalance', seed = 1): { code: string; input: PartitionInput }[] {
  const gridOf = new Map<string, { code: string; kind: string }>();
  for (const g of ds.plan.grids) for (const b of g.buildingCodes) gridOf.set(b, { code: g.code, kind: g.kind });
  const barriers = ds.walkEdges.filter((e) => e.kind === 'arterial').map((e) => e.line as LngLat[]);
  return ds.communities.map((c) => {
    const buildings = ds.buildings.filter((b) => b.communityCode === c.code);
    const locked = ds.plan.grids
      .filter((g) => g.communityCode === c.code && g.kind === 'dedicated')
      .map((g) => ({ id: g.code, buildings: g.buildingCodes }));
    const current: Record<string, string> = {};
    for (const b of buildings) {
      const g = gridOf.get(b.code);
      if (g) current[b.code] = g.code;
    }
    return {
      code: c.code,
      input: {
        buildings: buildings.map((b) => ({
          id: b.code,
          households: b.households,
          residents: b.residents,
          centroid: ringCentroid(b.footprint[0] as LngLat[]),
          compound: b.compoundCode,
        })),
        boundary: c.polygon as LngLat[][],
        barriers,
        locked,
        current,
        mode,
        seed,
      },
    };
  });
}
