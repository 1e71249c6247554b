/**
 * Household targets of the published plan's basic grids.
 *
 * The standard says 300–400 households a basic grid, but a plan published a few years ago has
 * drifted: people moved, compounds were completed, so some grids are now under 300 and some over
 * 400. The demo needs that drift — the redistricting tools exist to fix it — so about a fifth of
 * the basic grids (17–22%) are drawn out of band on purpose, the rest inside it. A community's
 * household total is the sum of its grids' targets, and the generator builds exactly that many
 * households.
 */
import { DEFAULT_BAND } from '../../geo/band.js';
import { Random } from './random.js';
import type { CommunitySeed } from './real-street.js';

export type BandStatus = 'under' | 'in' | 'over';

export interface GridTarget {
  status: BandStatus;
  households: number;
}

/** The basic-grid band of the standard (inclusive), shared with the map and the stats. */
export const BAND = { min: DEFAULT_BAND.lo, max: DEFAULT_BAND.hi } as const;

export function bandOf(households: number): BandStatus {
  return households < BAND.min ? 'under' : households > BAND.max ? 'over' : 'in';
}

/**
 * Per community, its basic grids' targets in sequence order. The real communities draw their
 * out-of-band grids together (a fixed 17–22% of their 53); each synthetic community draws its own
 * (each grid out of band with that probability), so adding synthetic communities never changes the
 * real ones.
 */
export function gridTargets(seed: number, briefs: readonly CommunitySeed[]): GridTarget[][] {
  const real = briefs.slice(0, 8);
  const rng = Random.derive(seed, 'grid-targets');
  const slots: [number, number][] = [];
  real.forEach((b, c) => {
    for (let k = 0; k < b.basicGrids; k++) slots.push([c, k]);
  });
  const out = Math.max(1, Math.round(slots.length * rng.range(0.17, 0.22)));
  const under = Math.max(slots.length > 1 ? 1 : 0, Math.min(out, Math.round(out * rng.range(0.55, 0.7))));
  const status = new Map<string, BandStatus>();
  rng.shuffle(slots).forEach(([c, k], i) => status.set(`${c}:${k}`, i < under ? 'under' : i < out ? 'over' : 'in'));
  return briefs.map((b, c) => {
    const own = c < 8 ? rng : Random.derive(seed, 'grid-targets', b.code);
    return Array.from({ length: b.basicGrids }, (_, k) => {
      const r = own.float();
      const s = c < 8 ? status.get(`${c}:${k}`)! : r < 0.12 ? 'under' : r < 0.195 ? 'over' : 'in';
      return { status: s, households: target(own, s, b.inBandMean) };
    });
  });
}

function target(rng: Random, status: BandStatus, inBandMean: number): number {
  if (status === 'under') return rng.int(238, 288);
  if (status === 'over') return rng.int(412, 452);
  return Math.round(Math.min(392, Math.max(306, rng.range(inBandMean - 16, inBandMean + 16))));
}
