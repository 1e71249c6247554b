/**
 * Live validation of the community being edited, in the browser: one incremental PlanValidator
 * (geo/plan/validator.ts) per community, synced after every change of the shown grids or
 * assignment. Only grids whose shape changed (and their neighbours) are re-checked, so the panel
 * follows each edit; it runs ~120 ms after the last change, once the tallies are painted, so it
 * never delays them.
 * The server's /validate stays the authority for publishing.
 */
import { useEffect, useRef, useState } from 'react';
import type { TallyBuilding } from '../../../geo/plan/tally';
import type { Area, PlanBuilding, PlanGrid } from '../../../geo/plan/validate';
import { PlanValidator } from '../../../geo/plan/validator';
import type { Centroid } from './optimistic';
import type { ShownProblem } from './side-panels';

/** Validation waits this long after a change, so the tallies are painted first and a burst of edits validates once. */
const LIVE_DELAY_MS = 120;

type GridFeature = GeoJSON.Feature<GeoJSON.Geometry, { code: string; kind: 'basic' | 'dedicated'; communityCode: string }>;

export function useLiveValidation(
  grids: readonly GridFeature[],
  communityGeometry: GeoJSON.Geometry | null,
  community: string | null,
  buildingsLoaded: readonly unknown[],
  tallyBuildings: readonly TallyBuilding[],
  centroids: readonly Centroid[],
  assignment: ReadonlyMap<string, string>,
): ShownProblem[] | null {
  const [problems, setProblems] = useState<ShownProblem[] | null>(null);
  const validator = useRef<{ key: unknown; v: PlanValidator } | null>(null);

  useEffect(() => {
    if (!community || !communityGeometry || buildingsLoaded.length === 0 || grids.length === 0) return;
    const timer = setTimeout(() => {
      const planGrids: PlanGrid[] = grids
        .filter((g) => g.geometry && (g.geometry.type === 'Polygon' || g.geometry.type === 'MultiPolygon'))
        .map((g) => ({ id: g.properties.code, code: g.properties.code, kind: g.properties.kind, communityId: community, geometry: g.geometry as Area }));
      try {
        let result;
        if (validator.current?.key !== tallyBuildings) {
          const at = new Map(centroids.map((c) => [c.code, c.at]));
          const planBuildings: PlanBuilding[] = tallyBuildings.flatMap((b) => {
            const c = at.get(b.id);
            return c ? [{ ...b, communityId: community, centroid: c }] : [];
          });
          const v = new PlanValidator(new Map([[community, communityGeometry as Area]]), planGrids, planBuildings, { assignment });
          validator.current = { key: tallyBuildings, v };
          result = v.result();
        } else result = validator.current.v.sync(planGrids, assignment);
        setProblems(result.problems.map((p) => ({ code: p.code, severity: p.severity, bbox: p.bbox, message: p.message })));
      } catch {
        setProblems(null); // fall back to the server's validation
      }
    }, LIVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [grids, communityGeometry, community, buildingsLoaded, tallyBuildings, centroids, assignment]);

  return problems;
}
