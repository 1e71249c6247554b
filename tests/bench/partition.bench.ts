/**
 * Issue #5 bar: the grid partitioner on the demo street (985 buildings, every community), on
 * generated streets of more buildings (`--buildings 10000,50000`), and a rebalance of the demo's
 * published plan (drifted: 6 under, 3 over) — each next to the spanning-tree baseline on the same
 * input. Goals: 985 ≤ 2 s, 10k ≤ 20 s, 100% in band when feasible, mean PP above the baseline.
 * Pure computation: no database. Standalone: `npx tsx tests/bench/partition.bench.ts --buildings 10000`.
 */
import { pathToFileURL } from 'node:url';
import { generateStreet } from '../../data/generate/index.js';
import { partition, partitionSpanningTreeBaseline, type PartitionResult } from '../../geo/partition/index.js';
import { communityInputs } from './partition-input.js';
import { table } from './stats.js';

interface Tally {
  ms: number;
  cpuMs: number;
  grids: number;
  inBand: number;
  contiguous: number;
  pps: number[];
  moved: number;
  /** Out-of-band grids the partitioner proved infeasible (isolated pockets, buildings over hi). */
  infeasibleGrids: number;
}

function tally(results: { r: PartitionResult; ms: number; cpuMs: number }[]): Tally {
  const t: Tally = { ms: 0, cpuMs: 0, grids: 0, inBand: 0, contiguous: 0, pps: [], moved: 0, infeasibleGrids: 0 };
  for (const { r, ms, cpuMs } of results) {
    t.ms += ms;
    t.cpuMs += cpuMs;
    const free = r.grids.filter((g) => !g.locked);
    t.grids += free.length;
    t.inBand += free.filter((g) => g.status === 'in').length;
    t.contiguous += free.filter((g) => g.contiguous).length;
    t.pps.push(...free.map((g) => g.polsbyPopper));
    t.moved += r.stats.moved;
    const proven = new Set(r.infeasible.filter((x) => x.kind !== 'no_band_split_found').flatMap((x) => x.buildings));
    t.infeasibleGrids += free.filter((g) => g.status !== 'in' && g.buildings.some((id) => proven.has(id))).length;
  }
  return t;
}

function row(label: string, method: string, t: Tally): string[] {
  const mean = t.pps.reduce((a, b) => a + b, 0) / Math.max(1, t.pps.length);
  const feasible = t.grids - t.infeasibleGrids;
  return [
    label, method, `${(t.ms / 1000).toFixed(2)} s`, `${(t.cpuMs / 1000).toFixed(2)} s`, String(t.grids),
    `${((100 * t.inBand) / Math.max(1, t.grids)).toFixed(1)}%`,
    `${((100 * Math.min(t.inBand, feasible)) / Math.max(1, feasible)).toFixed(1)}%`,
    `${t.contiguous}/${t.grids}`, mean.toFixed(3), Math.min(...t.pps).toFixed(3), String(t.moved),
  ];
}

function timed(fn: () => PartitionResult) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = fn();
  const c = process.cpuUsage(c0);
  return { r, ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
}

export function benchPartition(sizes: number[] = [10_000, 50_000]) {
  console.log('\n## Grid partitioner (issue #5) — ours vs spanning-tree splitting (GerryChain-style) on the same input');
  const rows: string[][] = [['street', 'method', 'wall', 'cpu', 'grids', 'in band', 'in band (feasible)', 'contiguous', 'mean PP', 'worst PP', 'moved']];
  for (const buildings of [985, ...sizes]) {
    const ds = generateStreet({ buildings });
    const inputs = communityInputs(ds, 'fresh');
    const label = `${ds.buildings.length} bldg, ${inputs.length} communities`;
    rows.push(row(label, 'ours (fresh)', tally(inputs.map(({ input }) => timed(() => partition(input))))));
    rows.push(row(label, 'spanning tree', tally(inputs.map(({ input }) => timed(() => partitionSpanningTreeBaseline(input))))));
    if (buildings === 985) {
      const rebalance = communityInputs(ds, 'rebalance');
      rows.push(row('demo published plan', 'ours (rebalance)', tally(rebalance.map(({ input }) => timed(() => partition(input))))));
    }
    console.log(`  … ${label} done`);
  }
  table(rows);
  console.log('in band (feasible): share among grids not proven infeasible (pockets cut off by barriers and dedicated grids, buildings over 400).');
  console.log('wall = elapsed time, cpu = process CPU time (differs when the machine is shared). moved: buildings whose grid differs from the published plan. Goals: 985 ≤ 2 s, 10k ≤ 20 s, 100% in band when feasible, mean PP > spanning tree.');
}

export function sizesFromArgs(argv: string[]): number[] | undefined {
  const i = argv.indexOf('--buildings');
  if (i < 0 || !argv[i + 1]) return undefined;
  return argv[i + 1].split(',').map(Number).filter((n) => n > 0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) benchPartition(sizesFromArgs(process.argv));
