/**
 * The automatic grid partitioner (issue #5): cuts a community's buildings into basic grids of
 * [lo, hi] households (default 300–400, aiming at 350) that are contiguous and compact.
 *
 * 1. **Adjacency** (building-graph.ts). A building's Voronoi cell, clipped to the community, is
 *    exactly the cell the server dissolves into grid polygons (grid-geometry.repo.ts), so
 *    "contiguous here" means "one polygon after derivation" and the plan validator never calls a
 *    grid of ours `disconnected` (issue #16). The diagram is built in degrees as PostGIS builds it
 *    (delaunay.ts, voronoi-cells.ts) and measured in metres. Two buildings are neighbours when
 *    their cells share an edge of at least MIN_SHARED metres inside the community (not outside a
 *    concave community, not at a point) and the segment between them crosses no barrier
 *    (arterial road, river, rail). Cell areas, perimeters and shared edge lengths are kept, so a
 *    grid's Polsby–Popper score 4πA/P² is a sum over its buildings — no polygon unions.
 *    **Buildings without households** (empty-buildings.ts) are left out of the graph and of all
 *    balancing; after it each joins the grid its cell shares the longest edge with, which can
 *    never split or disconnect a grid (nor is one ever a pocket of its own). Only empty buildings
 *    that alone link a housed piece to the rest stay in, as members without households.
 * 2. **Contraction** (contract.ts). A compound's buildings become one node when they fit under
 *    `hi` (so compounds are never cut); a compound over `hi` stays as buildings and is split
 *    along its own adjacency. Locked grids are left out (fixed).
 * 3. **fresh** (fresh.ts, bisect.ts). A building over `hi` is a grid of its own (reported). Each
 *    barrier-connected piece of the rest gets k grids, k nearest households/target among the
 *    counts that can all be in band (else the count with least violation — reported). The piece
 *    is cut by recursive bisection: every split grows one side from an extreme node (as a sweep
 *    or a disc, 8 directions) and takes a prefix whose households keep both sides feasible
 *    (k₁·lo ≤ w₁ ≤ k₁·hi and the same for the rest), preferring the shortest cut.
 *    **rebalance** (rebalance.ts) starts from the current grids — a grid in pieces mended first,
 *    its stray pieces joining the grid around them (stray-pieces.ts) — and fixes only the out-of-band
 *    ones: single boundary moves and short chains first, then splitting an over-full grid or
 *    merging/re-cutting an under-full one with its cheapest neighbour.
 * 4. **Band repair** (repair.ts): boundary moves (and chains of moves through neighbouring grids)
 *    that lower the households out of band, never breaking contiguity.
 * 5. **Compactness** (compactness.ts): seeded local search of boundary moves that keep every grid
 *    in band and contiguous, lowering Σ 1/PP. In rebalance only among touched grids and never
 *    moving more buildings.
 * Whatever stays out of band is reported in `infeasible` with the buildings that cause it.
 * Deterministic: the same input and seed give the same output. `spanning-tree.ts` is a baseline
 * used only by the benchmark.
 */
import { DEFAULT_BAND } from '../band.js';
import { violation } from './band-math.js';
import { bisect } from './bisect.js';
import { bridgePockets } from './bridges.js';
import { buildGraph } from './building-graph.js';
import { improveCompactness } from './compactness.js';
import { contract } from './contract.js';
import { attachEmpty, emptyBuildings } from './empty-buildings.js';
import { freshAssignment, infeasiblePieces, type Pocket, type Splitter } from './fresh.js';
import { PlanState } from './plan-state.js';
import { Rng } from './random.js';
import { rebalanceFix } from './rebalance.js';
import { repairBand } from './repair.js';
import { buildingSetContiguous, buildingSetPP } from './shape.js';
import { spanningTreePartition } from './spanning-tree.js';
import { joinStrayPieces } from './stray-pieces.js';
import { balanceLoad } from './load-balance.js';
import { type Infeasibility, PartitionCancelled, type PartitionInput, type PartitionOptions, type PartitionResult, type ResultGrid } from './types.js';

export * from './types.js';

type Method = 'bisection' | 'spanning-tree';

export function partition(input: PartitionInput, opts: PartitionOptions = {}): PartitionResult {
  return run(input, opts, 'bisection');
}

/** Baseline for the benchmark only: spanning-tree splitting, no compactness search (fresh mode). */
export function partitionSpanningTreeBaseline(input: PartitionInput): PartitionResult {
  return run({ ...input, mode: 'fresh' }, {}, 'spanning-tree');
}

function run(input: PartitionInput, opts: PartitionOptions, method: Method): PartitionResult {
  const first = solve(input, opts, method, new Set());
  const result = assemble(input, first);
  if (method !== 'bisection') return result;
  // Compounds are whole whenever the band allows: where it did not, split the compounds of the
  // failing grids and their neighbours and repair from this plan (rebalance from it).
  const failing = result.grids.filter((g) => !g.locked && g.status !== 'in');
  if (!failing.length) return result;
  const byId = new Map(input.buildings.map((b) => [b.id, b]));
  const near = new Set(failing.flatMap((g) => g.buildings));
  const grids = new Set(failing.map((g) => g.id));
  for (const [v, nbrs] of first.nodes.adj.entries()) {
    const mine = first.nodes.members[v].map((i) => input.buildings[i].id);
    if (mine.some((id) => near.has(id))) for (const u of nbrs) for (const i of first.nodes.members[u]) grids.add(result.assignment[input.buildings[i].id]);
  }
  const split = new Set<string>();
  for (const g of result.grids) if (grids.has(g.id)) for (const id of g.buildings) { const c = byId.get(id)?.compound; if (c) split.add(c); }
  const current: Record<string, string> = {};
  for (const g of result.grids) if (!g.locked) for (const id of g.buildings) current[id] = g.id;
  const second = solve({ ...input, mode: 'rebalance', current }, opts, method, split, first);
  const retry = assemble(input, second);
  const miss = (r: PartitionResult) => r.grids.reduce((t, g) => t + (g.locked ? 0 : violation(g.households, input.band ?? DEFAULT_BAND)), 0);
  return miss(retry) < miss(result) ? retry : result;
}

const loadOfBuilding = (b: PartitionInput['buildings'][number]) => b.load ?? b.households;

/** The load of each contracted node (the sum of its buildings'). */
function nodeLoads(nodes: Solved['nodes'], buildings: PartitionInput['buildings']): number[] {
  return nodes.members.map((m) => m.reduce((s, i) => s + loadOfBuilding(buildings[i]), 0));
}

interface Solved {
  graph: ReturnType<typeof buildGraph>;
  nodes: ReturnType<typeof contract>['nodes'];
  state: PlanState;
  pockets: Pocket[];
  crossings: Infeasibility[];
  lockedOf: Map<number, string>;
  /** Buildings without households, left out of the balancing (empty-buildings.ts). */
  empty: Set<number>;
  /** The part a building's current grid became (rebalance), else −1. */
  currentPart: (i: number) => number;
}

function solve(input: PartitionInput, opts: PartitionOptions, method: Method, splitCompounds: Set<string>, reuse?: Solved): Solved {
  const band = input.band ?? DEFAULT_BAND;
  const mode = input.mode ?? 'fresh';
  const seed = input.seed ?? 1;
  const rng = new Rng(seed);
  const current = input.current ?? {};
  let ticks = 0;
  const tick = () => {
    if ((++ticks & 15) === 0 && opts.shouldCancel?.()) throw new PartitionCancelled();
  };
  const progress = (f: number, stage: string) => {
    if (opts.shouldCancel?.()) throw new PartitionCancelled();
    opts.onProgress?.(f, stage);
  };

  const buildings = input.buildings;
  const index = new Map(buildings.map((b, i) => [b.id, i]));
  if (index.size !== buildings.length) throw new RangeError('duplicate building ids');
  const lockedOf = new Map<number, string>();
  for (const lg of input.locked ?? []) for (const id of lg.buildings) if (index.has(id)) lockedOf.set(index.get(id)!, lg.id);
  progress(0, 'graph');
  const graph = reuse?.graph ?? buildGraph(buildings, input.boundary, input.barriers);
  progress(0.15, 'graph');
  const hh = buildings.map((b) => b.households);
  const empty = reuse?.empty ?? emptyBuildings(graph, hh, buildings.map((_, i) => !lockedOf.has(i)), band);
  const free = buildings.map((_, i) => !lockedOf.has(i) && !empty.has(i));
  const crossings: Infeasibility[] = reuse?.crossings ?? bridgePockets(graph, hh, free, band).map((pk) => ({
    kind: pk.households < band.lo ? 'pocket_under_lo' : 'pocket_between_bands',
    buildings: pk.buildings.map((i) => buildings[i].id),
    households: pk.households,
  }));
  const group = (i: number) => {
    const c = buildings[i].compound;
    if (c === null || splitCompounds.has(c)) return null;
    return mode === 'rebalance' ? `${c}\u0000${current[buildings[i].id] ?? ''}` : c;
  };
  const { nodes } = contract(graph, hh, free, group, band.hi);

  let state: PlanState;
  let pockets: Pocket[] = [];
  let currentPart = (_i: number) => -1;
  if (mode === 'fresh') {
    const split: Splitter =
      method === 'bisection' ? (g, ns, k) => bisect(g, ns, k, band, tick) : (g, ns, k) => spanningTreePartition(g, ns, k, band, rng);
    const fresh = freshAssignment(nodes, band, split);
    pockets = fresh.pockets;
    progress(0.45, 'split');
    state = new PlanState(nodes, fresh.part, fresh.parts);
    if (method === 'bisection') repairBand(state, band, (v) => nodes.w[v] <= band.hi, tick);
  } else {
    const ids = [...new Set(nodes.members.map((m) => current[buildings[m[0]].id] ?? ''))].filter((x) => x).sort();
    const partOfId = new Map(ids.map((id, p) => [id, p]));
    // Empty buildings keep the user's current grid when it still touches them (not in the retry,
    // whose `current` is only the first attempt).
    if (!reuse) currentPart = (i) => partOfId.get(current[buildings[i].id] ?? '') ?? -1;
    const initial = new Int32Array(nodes.count).fill(-1);
    for (let v = 0; v < nodes.count; v++) initial[v] = partOfId.get(current[buildings[nodes.members[v][0]].id] ?? '') ?? -1;
    // Buildings without a current grid join a neighbouring grid (or one of their own).
    let extra = ids.length;
    for (let changed = true; changed; ) {
      changed = false;
      for (let v = 0; v < nodes.count; v++) {
        if (initial[v] >= 0) continue;
        const u = nodes.adj[v].find((x) => initial[x] >= 0);
        if (u !== undefined) {
          initial[v] = initial[u];
          changed = true;
        }
      }
    }
    for (let v = 0; v < nodes.count; v++) if (initial[v] < 0) initial[v] = extra++;
    const before = Int32Array.from(initial);
    const wBefore = new PlanState(nodes, initial, extra).w;
    // A current grid in pieces is mended first (its stray pieces join the grid around them).
    state = new PlanState(nodes, initial, joinStrayPieces(nodes, initial, extra));
    progress(0.3, 'rebalance');
    rebalanceFix(state, band, tick);
    const touched = new Set<number>();
    for (let v = 0; v < nodes.count; v++) if (state.part[v] !== before[v]) { touched.add(state.part[v]); touched.add(before[v]); }
    for (let p = 0; p < wBefore.length; p++) if (violation(wBefore[p], band) > 0) touched.add(p);
    for (let v = 0; v < nodes.count; v++) if (nodes.w[v] > band.hi) pockets.push({ kind: 'building_over_hi', nodes: [v], households: nodes.w[v] });
    pockets.push(...infeasiblePieces(nodes, band));
    const origin = before;
    const t = touched;
    progress(0.6, 'compactness');
    const limits = {
      movable: (v: number) => t.has(state.part[v]),
      // Never move more buildings: only moves home, or moves of a node already moved.
      accept: (v: number, to: number) => t.has(to) && (to === origin[v] || state.part[v] !== origin[v]),
      tick,
    };
    improveCompactness(state, band, rng, limits);
    if (method === 'bisection' && input.objective === 'load') balanceLoad(state, nodeLoads(nodes, buildings), band, rng, limits);
  }
  if (method === 'bisection' && mode === 'fresh') {
    progress(0.6, 'compactness');
    improveCompactness(state, band, rng, { tick });
    if (input.objective === 'load') {
      progress(0.8, 'load');
      balanceLoad(state, nodeLoads(nodes, buildings), band, rng, { tick });
    }
  }
  progress(0.95, 'report');
  return { graph, nodes, state, pockets, crossings, lockedOf, empty, currentPart };
}

function assemble(input: PartitionInput, solved: Solved): PartitionResult {
  const { graph, nodes, state, pockets, crossings, lockedOf, empty, currentPart } = solved;
  const band = input.band ?? DEFAULT_BAND;
  const buildings = input.buildings;
  const current = input.current ?? {};
  const partOf = new Int32Array(buildings.length).fill(-1);
  for (let v = 0; v < nodes.count; v++) for (const i of nodes.members[v]) partOf[i] = state.part[v];
  // Buildings without households join the grid around them once the households are balanced.
  const parts = attachEmpty(graph, partOf, empty, state.parts, currentPart);
  const partBuildings: number[][] = Array.from({ length: parts }, () => []);
  partOf.forEach((p, i) => p >= 0 && partBuildings[p].push(i));
  const live = partBuildings.map((b, p) => ({ p, b: b.sort((x, y) => x - y) })).filter((x) => x.b.length);
  // Name parts after the current grid they overlap most (greedy, largest overlap first), else new-N.
  const lockedIds = new Set(input.locked?.map((l) => l.id) ?? []);
  const pairs: { p: number; id: string; n: number }[] = [];
  for (const { p, b } of live) {
    const count = new Map<string, number>();
    for (const i of b) {
      const id = current[buildings[i].id];
      if (id && !lockedIds.has(id)) count.set(id, (count.get(id) ?? 0) + 1);
    }
    for (const [id, n] of count) pairs.push({ p, id, n });
  }
  pairs.sort((a, b) => b.n - a.n || a.p - b.p || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const nameOf = new Map<number, string>();
  const used = new Set<string>();
  for (const { p, id } of pairs) if (!nameOf.has(p) && !used.has(id)) { nameOf.set(p, id); used.add(id); }
  let fresh = 1;
  for (const { p } of live) {
    if (nameOf.has(p)) continue;
    while (used.has(`new-${fresh}`) || lockedIds.has(`new-${fresh}`)) fresh++;
    nameOf.set(p, `new-${fresh}`);
    used.add(`new-${fresh++}`);
  }

  const status = (w: number): ResultGrid['status'] => (w < band.lo ? 'under' : w > band.hi ? 'over' : 'in');
  const gridOf = (set: number[], id: string, locked: boolean): ResultGrid => {
    const households = set.reduce((s, i) => s + buildings[i].households, 0);
    return {
      id,
      buildings: set.map((i) => buildings[i].id),
      households,
      residents: set.reduce((s, i) => s + buildings[i].residents, 0),
      status: status(households),
      locked,
      contiguous: buildingSetContiguous(graph, set),
      polsbyPopper: buildingSetPP(graph, set),
      load: set.reduce((s, i) => s + loadOfBuilding(buildings[i]), 0),
    };
  };
  const grids = live.map(({ p, b }) => gridOf(b, nameOf.get(p)!, false));
  const lockedSets = new Map<string, number[]>();
  for (const [i, id] of lockedOf) lockedSets.set(id, [...(lockedSets.get(id) ?? []), i]);
  const lockedGrids = [...lockedSets].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([id, set]) => gridOf(set.sort((x, y) => x - y), id, true));

  const assignment: Record<string, string> = {};
  for (const g of [...grids, ...lockedGrids]) for (const id of g.buildings) assignment[id] = g.id;
  let moved = 0;
  if (input.current) buildings.forEach((b, i) => {
    if (!lockedOf.has(i) && current[b.id] !== undefined && current[b.id] !== assignment[b.id]) moved++;
  });

  const infeasible: Infeasibility[] = [...crossings, ...pockets.map((pk) => ({
    kind: pk.kind,
    buildings: pk.nodes.flatMap((v) => nodes.members[v]).sort((a, b) => a - b).map((i) => buildings[i].id),
    households: pk.households,
  }))];
  const explained = new Set(infeasible.flatMap((x) => x.buildings));
  for (const g of grids) {
    if (g.status !== 'in' && !g.buildings.some((id) => explained.has(id))) {
      infeasible.push({ kind: 'no_band_split_found', buildings: g.buildings.slice(), households: g.households });
    }
  }
  const pps = grids.map((g) => g.polsbyPopper);
  const inBand = grids.filter((g) => g.status === 'in').length;
  return {
    grids: [...grids, ...lockedGrids],
    assignment,
    infeasible,
    stats: {
      grids: grids.length,
      inBand,
      inBandShare: grids.length ? inBand / grids.length : 1,
      contiguous: grids.every((g) => g.contiguous),
      meanPolsbyPopper: pps.length ? pps.reduce((a, b) => a + b, 0) / pps.length : 0,
      worstPolsbyPopper: pps.length ? Math.min(...pps) : 0,
      moved,
    },
  };
}
