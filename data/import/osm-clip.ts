/**
 * A way cut by the edge of an extract: it refers to nodes the file does not hold. GDAL's OSM driver keeps
 * the part inside the extract, so do we — roads and buildings at the edge of a city extract must survive.
 */
import type { Position } from 'geojson';

interface WayLike { refs: string[] }
interface NodeLike { lon: number; lat: number }

/** The runs of consecutive present nodes of a way (in order), and how many of its node refs are missing. */
export function presentRuns(way: WayLike, nodes: Map<string, NodeLike>): { runs: Position[][]; missing: number } {
  const runs: Position[][] = [];
  let run: Position[] = [];
  let missing = 0;
  for (const ref of way.refs) {
    const n = nodes.get(ref);
    if (n) {
      run.push([n.lon, n.lat]);
      continue;
    }
    missing++;
    if (run.length) runs.push(run);
    run = [];
  }
  if (run.length) runs.push(run);
  return { runs, missing };
}

/**
 * A building ring over the present nodes only, closed; null when fewer than 4 positions (3 distinct corners)
 * remain. The runs are joined in way order, so the ring follows the outline minus the cut-off corners.
 */
export function clippedRing(runs: Position[][]): Position[] | null {
  const ring = runs.flat();
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) ring.push(first);
  const distinct = new Set(ring.map((p) => `${p[0]},${p[1]}`)).size;
  return distinct >= 3 && ring.length >= 4 ? ring : null;
}
