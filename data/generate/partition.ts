/**
 * Divides a community's housing into its basic grids and puts each dedicated site in a grid of
 * its own — the published plan.
 *
 * Buildings are taken in the community's serpentine block order (so consecutive buildings are
 * neighbours) and the sequence is cut into as many runs as the community has basic grids. The cuts
 * are chosen by dynamic programming: each run must land in the band status its target asks for
 * (under / in / over), should be close to its household target, and a cut through a compound costs
 * extra, so compounds stay whole where they fit. Contiguous runs of a serpentine walk give
 * spatially contiguous, compact grids.
 */
import { BAND, type BandStatus, type GridTarget } from './grid-targets.js';

export interface SequenceItem {
  households: number;
  /** Compound / quarter / site id: cutting between two items of the same unit splits it. */
  unit: number;
}

const STATUS_MISS = 1e6;
const SPLIT_UNIT = 2;
/** Households of deviation from a run's target that cost as much as one split compound. */
const DEVIATION_SCALE = 25;

/**
 * 0 when a run of `households` has the wanted band status, else a large penalty growing with the
 * miss. Runs keep 3 households clear of the band edges so no reading of "300–400" (inclusive or
 * not) changes their status.
 */
function statusCost(households: number, status: BandStatus): number {
  const [lo, hi] =
    status === 'under' ? [200, BAND.min - 3] : status === 'over' ? [BAND.max + 3, 520] : [BAND.min + 3, BAND.max - 3];
  if (households >= lo && households <= hi) return 0;
  return STATUS_MISS + (households < lo ? lo - households : households - hi);
}

/**
 * Cuts `items` (in sequence order) into `targets.length` non-empty runs; returns the run index of
 * every item. With fewer items than targets the last runs stay empty (never happens for the demo).
 */
export function partitionSequence(items: readonly SequenceItem[], targets: readonly GridTarget[]): number[] {
  const n = items.length;
  const k = targets.length;
  if (k <= 1 || n <= k) return items.map((_, i) => Math.min(i, k - 1));
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + items[i].households;
  const cutCost = (b: number) => (b > 0 && b < n && items[b - 1].unit === items[b].unit ? SPLIT_UNIT : 0);
  // best[j][b]: cost of cutting the first b items into j runs; from[j][b]: where run j started.
  const best: Float64Array[] = Array.from({ length: k + 1 }, () => new Float64Array(n + 1).fill(Infinity));
  const from: Int32Array[] = Array.from({ length: k + 1 }, () => new Int32Array(n + 1).fill(-1));
  best[0][0] = 0;
  for (let j = 1; j <= k; j++) {
    const t = targets[j - 1];
    const bMin = j;
    const bMax = n - (k - j);
    for (let b = bMin; b <= bMax; b++) {
      const extra = cutCost(b);
      let bestCost = Infinity;
      let bestA = -1;
      for (let a = j - 1; a < b; a++) {
        const prev = best[j - 1][a];
        if (prev === Infinity) continue;
        const hh = prefix[b] - prefix[a];
        const dev = (hh - t.households) / DEVIATION_SCALE;
        const cost = prev + statusCost(hh, t.status) + dev * dev + extra;
        if (cost < bestCost) {
          bestCost = cost;
          bestA = a;
        }
      }
      best[j][b] = bestCost;
      from[j][b] = bestA;
    }
  }
  const runOf = new Array<number>(n);
  let b = n;
  for (let j = k; j >= 1; j--) {
    const a = from[j][b];
    for (let i = a; i < b; i++) runOf[i] = j - 1;
    b = a;
  }
  return runOf;
}

/**
 * Orders grids west→east, north→south (reading order) by their centroids: rows are bands of
 * `bandM` metres from the community's north edge, then x within a band.
 */
export function readingOrder(centroids: readonly [number, number][], northY: number, bandM = 200): number[] {
  return centroids
    .map((c, i) => ({ i, band: Math.floor((northY - c[1]) / bandM), x: c[0] }))
    .sort((a, b) => a.band - b.band || a.x - b.x || a.i - b.i)
    .map((e) => e.i);
}
