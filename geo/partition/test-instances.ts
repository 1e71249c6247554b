/**
 * Synthetic instances for the partitioner's tests: a lattice of buildings cut into rectangular
 * blocks whose households are chosen in band, so an in-band contiguous partition is known to exist.
 */
import { Rng } from './random.js';
import type { LngLat, PartitionInput } from './types.js';

const M = 1 / 111_000; // ~1 m in degrees near the equator

export interface Lattice {
  input: PartitionInput;
  /** The known in-band grids (building ids). */
  known: string[][];
}

/**
 * `blocksX × blocksY` blocks of `bw × bh` buildings, 30 m apart; each block's households total a
 * value in [lo + slack, hi − slack], spread over its buildings; some buildings pair up as compounds.
 */
export function latticeInstance(seed: number, blocksX: number, blocksY: number, bw = 4, bh = 4, slack = 20): Lattice {
  const rng = new Rng(seed);
  const buildings: PartitionInput['buildings'] = [];
  const known: string[][] = [];
  for (let by = 0; by < blocksY; by++) {
    for (let bx = 0; bx < blocksX; bx++) {
      const n = bw * bh;
      const total = 300 + slack + rng.int(100 - 2 * slack + 1);
      const weights = Array.from({ length: n }, () => 0.3 + rng.next());
      const sum = weights.reduce((a, b) => a + b, 0);
      const hh = weights.map((w) => Math.floor((w / sum) * total));
      hh[0] += total - hh.reduce((a, b) => a + b, 0);
      const ids: string[] = [];
      let partner: string | null = null;
      for (let k = 0; k < n; k++) {
        const x = bx * bw + (k % bw);
        const y = by * bh + Math.floor(k / bw);
        const id = `b${by}-${bx}-${k}`;
        // Pairs of horizontally adjacent buildings in the block sometimes form a compound.
        const compound: string | null = partner ?? (k % 2 === 0 && k % bw < bw - 1 && rng.next() < 0.3 ? `c${by}-${bx}-${k}` : null);
        partner = partner ? null : compound;
        buildings.push({ id, households: hh[k], residents: hh[k] * 2, centroid: [x * 30 * M + rng.next() * 3 * M, y * 30 * M + rng.next() * 3 * M], compound });
        ids.push(id);
      }
      known.push(ids);
    }
  }
  const W = blocksX * bw * 30 * M;
  const H = blocksY * bh * 30 * M;
  const boundary: LngLat[][] = [[[-15 * M, -15 * M], [W - 15 * M, -15 * M], [W - 15 * M, H - 15 * M], [-15 * M, H - 15 * M], [-15 * M, -15 * M]]];
  return { input: { buildings, boundary, barriers: [], band: { lo: 300, hi: 400, target: 350 } }, known };
}

export function knownAssignment(known: string[][]): Record<string, string> {
  const out: Record<string, string> = {};
  known.forEach((ids, g) => ids.forEach((id) => (out[id] = `g${g}`)));
  return out;
}
