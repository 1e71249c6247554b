/**
 * Structural checks of a {@link StreetDataset}: what the seeder, the grid planner and the
 * life-circle audit silently rely on. Used by the generator's tests and usable on any dataset
 * before it is seeded (an imported street must satisfy the same rules).
 *
 * Each check returns a list of problems (empty when fine) so a caller can report them all at once.
 * They are written to run on 100,000-building datasets: spatial hashing instead of all-pairs.
 */
import { haversineM } from './projection.js';
import type { Position, StreetDataset } from './types.js';

type Box = [number, number, number, number];

function boxOf(ring: readonly Position[]): Box {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of ring) {
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return [x0, y0, x1, y1];
}

/** Buckets boxes in a uniform grid and yields each pair of boxes whose buckets coincide once. */
function candidatePairs(boxes: readonly Box[], cell: number, visit: (a: number, b: number) => void): void {
  const buckets = new Map<string, number[]>();
  boxes.forEach((b, i) => {
    for (let gx = Math.floor(b[0] / cell); gx <= Math.floor(b[2] / cell); gx++) {
      for (let gy = Math.floor(b[1] / cell); gy <= Math.floor(b[3] / cell); gy++) {
        const key = `${gx}:${gy}`;
        const list = buckets.get(key);
        if (list) list.push(i);
        else buckets.set(key, [i]);
      }
    }
  });
  const seen = new Set<number>();
  const n = boxes.length;
  for (const list of buckets.values()) {
    for (let p = 0; p < list.length; p++) {
      for (let q = p + 1; q < list.length; q++) {
        const a = Math.min(list[p], list[q]);
        const b = Math.max(list[p], list[q]);
        const key = a * n + b;
        if (seen.has(key)) continue;
        seen.add(key);
        visit(a, b);
      }
    }
  }
}

/** Ray-casting point-in-polygon on the outer ring minus holes (boundary counts as outside-ish). */
export function pointInPolygon(p: Position, polygon: readonly (readonly Position[])[]): boolean {
  let inside = false;
  polygon.forEach((ring, k) => {
    let c = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) c = !c;
    }
    if (k === 0) inside = c;
    else if (c) inside = false;
  });
  return inside;
}

/** Every code referenced exists; codes are unique. */
export function checkReferences(ds: StreetDataset): string[] {
  const problems: string[] = [];
  const unique = (what: string, codes: string[]) => {
    if (new Set(codes).size !== codes.length) problems.push(`${what} codes are not unique`);
    return new Set(codes);
  };
  const communities = unique('community', ds.communities.map((c) => c.code));
  const compounds = unique('compound', ds.compounds.map((c) => c.code));
  const buildings = unique('building', ds.buildings.map((b) => b.code));
  unique('facility', ds.facilities.map((f) => f.code));
  unique('grid', ds.plan.grids.map((g) => g.code));
  const categories = new Set(ds.categories.map((c) => c.code));
  for (const c of ds.compounds) if (!communities.has(c.communityCode)) problems.push(`compound ${c.code}: unknown community`);
  for (const b of ds.buildings) {
    if (!communities.has(b.communityCode)) problems.push(`building ${b.code}: unknown community`);
    if (b.compoundCode !== null && !compounds.has(b.compoundCode)) problems.push(`building ${b.code}: unknown compound`);
  }
  for (const h of ds.households) if (!buildings.has(h.buildingCode)) problems.push(`household: unknown building ${h.buildingCode}`);
  for (const f of ds.facilities) if (!categories.has(f.category)) problems.push(`facility ${f.code}: unknown category ${f.category}`);
  return problems.slice(0, 50);
}

/** Every building is in exactly one grid of the plan, and that grid is in the building's community. */
export function checkPlanCoverage(ds: StreetDataset): string[] {
  const problems: string[] = [];
  const gridOf = new Map<string, string>();
  const communityOfGrid = new Map(ds.plan.grids.map((g) => [g.code, g.communityCode]));
  for (const g of ds.plan.grids) {
    if (g.buildingCodes.length === 0) problems.push(`grid ${g.code} has no buildings`);
    for (const b of g.buildingCodes) {
      if (gridOf.has(b)) problems.push(`building ${b} is in grids ${gridOf.get(b)} and ${g.code}`);
      gridOf.set(b, g.code);
    }
  }
  for (const b of ds.buildings) {
    const g = gridOf.get(b.code);
    if (!g) problems.push(`building ${b.code} is in no grid`);
    else if (communityOfGrid.get(g) !== b.communityCode) problems.push(`building ${b.code} is in grid ${g} of another community`);
  }
  return problems.slice(0, 50);
}

/** No two footprints' bounding boxes share interior; every footprint lies in its community (and compound). */
export function checkFootprints(ds: StreetDataset): string[] {
  const problems: string[] = [];
  const boxes = ds.buildings.map((b) => boxOf(b.footprint[0]));
  candidatePairs(boxes, 0.002, (a, b) => {
    const A = boxes[a];
    const B = boxes[b];
    if (A[0] < B[2] && B[0] < A[2] && A[1] < B[3] && B[1] < A[3]) {
      problems.push(`buildings ${ds.buildings[a].code} and ${ds.buildings[b].code} overlap`);
    }
  });
  const community = new Map(ds.communities.map((c) => [c.code, c.polygon]));
  const compound = new Map(ds.compounds.map((c) => [c.code, c.polygon]));
  for (const b of ds.buildings) {
    const corners = b.footprint[0];
    const inC = community.get(b.communityCode);
    if (!inC || !corners.every((p) => pointInPolygon(p, inC))) problems.push(`building ${b.code} is not inside its community`);
    const inX = b.compoundCode ? compound.get(b.compoundCode) : null;
    if (inX && !corners.every((p) => pointInPolygon(p, inX))) problems.push(`building ${b.code} is not inside its compound`);
  }
  return problems.slice(0, 50);
}

/** Connected components of the walk network (1 is what routing needs). */
export function walkComponents(ds: StreetDataset): number {
  const parent = new Int32Array(ds.walkNodes.length + 1).map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const e of ds.walkEdges) parent[find(e.source)] = find(e.target);
  const roots = new Set<number>();
  for (const n of ds.walkNodes) roots.add(find(n.id));
  return roots.size;
}

/** Node ids 1…n, straight two-point edges on their nodes, lengths = geodesic lengths, no crossings. */
export function checkWalkGeometry(ds: StreetDataset): string[] {
  const problems: string[] = [];
  const pos = new Map(ds.walkNodes.map((n) => [n.id, n.position]));
  ds.walkNodes.forEach((n, i) => i + 1 !== n.id && problems.length < 5 && problems.push(`node ids are not 1…n at ${n.id}`));
  for (const e of ds.walkEdges) {
    const a = pos.get(e.source);
    const b = pos.get(e.target);
    if (!a || !b) {
      problems.push(`edge ${e.source}-${e.target}: unknown node`);
      continue;
    }
    if (e.line.length !== 2 || e.line[0][0] !== a[0] || e.line[0][1] !== a[1] || e.line[1][0] !== b[0] || e.line[1][1] !== b[1]) {
      problems.push(`edge ${e.source}-${e.target}: line does not join its nodes`);
    }
    if (Math.abs(haversineM(a, b) - e.lengthM) > 0.05) problems.push(`edge ${e.source}-${e.target}: lengthM is not the geodesic length`);
    if (e.lengthM <= 0) problems.push(`edge ${e.source}-${e.target}: zero length`);
  }
  // Planarity: two edges may meet only at a shared node.
  const segs = ds.walkEdges.map((e) => e.line);
  const boxes = segs.map((s) => boxOf(s));
  candidatePairs(boxes, 0.002, (i, j) => {
    const ei = ds.walkEdges[i];
    const ej = ds.walkEdges[j];
    const shared = [ei.source, ei.target].filter((n) => n === ej.source || n === ej.target).length;
    if (shared === 2) problems.push(`edges ${i} and ${j} duplicate each other`);
    else if (crosses(segs[i], segs[j], shared === 1)) problems.push(`edges ${ei.source}-${ei.target} and ${ej.source}-${ej.target} cross`);
  });
  return problems.slice(0, 50);
}

/** Segments intersect anywhere but at a shared endpoint (collinear overlap counts). */
function crosses(s: Position[], t: Position[], shareEnd: boolean): boolean {
  const [p, p2] = s;
  const [q, q2] = t;
  const orient = (a: Position, b: Position, c: Position) => {
    const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
    return Math.abs(v) < 1e-18 ? 0 : Math.sign(v);
  };
  const onSeg = (a: Position, b: Position, c: Position) =>
    Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1]);
  const o1 = orient(p, p2, q), o2 = orient(p, p2, q2), o3 = orient(q, q2, p), o4 = orient(q, q2, p2);
  if (shareEnd) {
    // Sharing one end: only a collinear overlap is a problem.
    return o1 === 0 && o2 === 0 && (
      (onSeg(p, p2, q) && !(q[0] === p[0] && q[1] === p[1]) && !(q[0] === p2[0] && q[1] === p2[1])) ||
      (onSeg(p, p2, q2) && !(q2[0] === p[0] && q2[1] === p[1]) && !(q2[0] === p2[0] && q2[1] === p2[1])) ||
      (onSeg(q, q2, p) && !(p[0] === q[0] && p[1] === q[1]) && !(p[0] === q2[0] && p[1] === q2[1])) ||
      (onSeg(q, q2, p2) && !(p2[0] === q[0] && p2[1] === q[1]) && !(p2[0] === q2[0] && p2[1] === q2[1])));
  }
  if (o1 !== o2 && o3 !== o4) return true;
  return (o1 === 0 && onSeg(p, p2, q)) || (o2 === 0 && onSeg(p, p2, q2)) || (o3 === 0 && onSeg(q, q2, p)) || (o4 === 0 && onSeg(q, q2, p2));
}

/**
 * A gated compound is entered only through its gates: every edge with exactly one end inside the
 * compound is a `gate` edge, it has 1–3 of them, and every building in it has a node inside.
 */
export function checkGates(ds: StreetDataset): string[] {
  const problems: string[] = [];
  const gated = ds.compounds.filter((c) => c.gated);
  const boxes = gated.map((c) => boxOf(c.polygon[0]));
  const cell = 0.002;
  const index = new Map<string, number[]>();
  boxes.forEach((b, i) => {
    for (let gx = Math.floor(b[0] / cell); gx <= Math.floor(b[2] / cell); gx++) {
      for (let gy = Math.floor(b[1] / cell); gy <= Math.floor(b[3] / cell); gy++) {
        const key = `${gx}:${gy}`;
        (index.get(key) ?? index.set(key, []).get(key)!).push(i);
      }
    }
  });
  const compoundOf = new Map<number, number>();
  for (const n of ds.walkNodes) {
    const key = `${Math.floor(n.position[0] / cell)}:${Math.floor(n.position[1] / cell)}`;
    for (const i of index.get(key) ?? []) {
      const b = boxes[i];
      if (n.position[0] >= b[0] && n.position[0] <= b[2] && n.position[1] >= b[1] && n.position[1] <= b[3] && pointInPolygon(n.position, gated[i].polygon)) {
        compoundOf.set(n.id, i);
      }
    }
  }
  const gates = new Array<number>(gated.length).fill(0);
  const nodesIn = new Array<number>(gated.length).fill(0);
  for (const c of compoundOf.values()) nodesIn[c]++;
  for (const e of ds.walkEdges) {
    const a = compoundOf.get(e.source);
    const b = compoundOf.get(e.target);
    if (a === b) continue;
    if (e.kind !== 'gate') problems.push(`${e.kind} edge ${e.source}-${e.target} crosses the fence of ${gated[a ?? b!].code}`);
    if (a !== undefined) gates[a]++;
    if (b !== undefined) gates[b]++;
  }
  const buildingsIn = new Map<string, number>();
  for (const b of ds.buildings) if (b.compoundCode) buildingsIn.set(b.compoundCode, (buildingsIn.get(b.compoundCode) ?? 0) + 1);
  gated.forEach((c, i) => {
    if (gates[i] < 1 || gates[i] > 3) problems.push(`gated compound ${c.code} has ${gates[i]} gates`);
    if (nodesIn[i] < (buildingsIn.get(c.code) ?? 0)) problems.push(`gated compound ${c.code}: fewer nodes than buildings inside`);
  });
  return problems.slice(0, 50);
}
