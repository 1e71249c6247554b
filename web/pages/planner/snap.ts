/**
 * Snapping for the grid editor: a dragged or drawn vertex jumps to the nearest vertex of a
 * neighbouring grid or road within `vertexPx` screen pixels, else to the nearest point on one of
 * their edges within `edgePx`. Works in screen space, so the feel is the same at every zoom.
 */
type Pos = [number, number];
type Project = (lng: number, lat: number) => { x: number; y: number };
type Unproject = (x: number, y: number) => { lng: number; lat: number };

export interface SnapTargets {
  /** Polylines (grid rings and road lines) in lng/lat. */
  lines: Pos[][];
}

/** Rings of every polygon and every line string of the given features. */
export function snapTargets(features: readonly GeoJSON.Feature[]): SnapTargets {
  const lines: Pos[][] = [];
  for (const f of features) {
    const g = f.geometry;
    if (!g) continue;
    if (g.type === 'Polygon') lines.push(...(g.coordinates as Pos[][]));
    else if (g.type === 'MultiPolygon') for (const p of g.coordinates) lines.push(...(p as Pos[][]));
    else if (g.type === 'LineString') lines.push(g.coordinates as Pos[]);
    else if (g.type === 'MultiLineString') lines.push(...(g.coordinates as Pos[][]));
  }
  return { lines };
}

export function snapPoint(
  targets: SnapTargets,
  at: { x: number; y: number },
  project: Project,
  unproject: Unproject,
  opts: { vertexPx?: number; edgePx?: number } = {},
): Pos | undefined {
  const vertexPx = opts.vertexPx ?? 12;
  const edgePx = opts.edgePx ?? 8;
  let bestV: Pos | undefined;
  let bestVd = vertexPx;
  let bestE: { x: number; y: number } | undefined;
  let bestEd = edgePx;
  for (const line of targets.lines) {
    let prev: { x: number; y: number } | null = null;
    for (const c of line) {
      const p = project(c[0], c[1]);
      const d = Math.hypot(p.x - at.x, p.y - at.y);
      if (d < bestVd) {
        bestVd = d;
        bestV = c;
      }
      if (prev) {
        const q = closestOnSegment(prev, p, at);
        const e = Math.hypot(q.x - at.x, q.y - at.y);
        if (e < bestEd) {
          bestEd = e;
          bestE = q;
        }
      }
      prev = p;
    }
  }
  if (bestV) return [bestV[0], bestV[1]];
  if (bestE) {
    const ll = unproject(bestE.x, bestE.y);
    return [ll.lng, ll.lat];
  }
  return undefined;
}

function closestOnSegment(a: { x: number; y: number }, b: { x: number; y: number }, p: { x: number; y: number }) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return { x: a.x + t * dx, y: a.y + t * dy };
}
