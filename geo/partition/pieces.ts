/**
 * A community in several pieces (exclaves of real boundaries, issue #15) is partitioned piece by
 * piece — each piece its own boundary, so no piece's buildings fall outside the partitioner's
 * boundary — and the results are read as one: grids and assignments together, figures summed
 * (shares and compactness weighted by grids).
 */
import { partition } from './index.js';
import type { PartitionInput, PartitionOptions, PartitionResult } from './types.js';

/** Partitions every input (one per piece) and merges the results; progress runs 0…1 over all of them. */
export function partitionEach(inputs: readonly PartitionInput[], opts: PartitionOptions = {}): PartitionResult {
  const results = inputs.map((input, i) => partition(input, {
    ...opts,
    onProgress: opts.onProgress && ((f, stage) => opts.onProgress!((i + f) / inputs.length, stage)),
  }));
  return mergeResults(results);
}

/** The results of a community's pieces as one result. */
export function mergeResults(rs: readonly PartitionResult[]): PartitionResult {
  if (rs.length === 1) return rs[0];
  const grids = rs.reduce((s, r) => s + r.stats.grids, 0);
  const weighted = (f: (r: PartitionResult) => number) => (grids ? rs.reduce((s, r) => s + f(r) * r.stats.grids, 0) / grids : 0);
  const inBand = rs.reduce((s, r) => s + r.stats.inBand, 0);
  return {
    grids: rs.flatMap((r) => r.grids),
    assignment: Object.assign({}, ...rs.map((r) => r.assignment)) as PartitionResult['assignment'],
    infeasible: rs.flatMap((r) => r.infeasible),
    stats: {
      ...rs[0].stats,
      grids, inBand, inBandShare: grids ? inBand / grids : 0,
      contiguous: rs.every((r) => r.stats.contiguous),
      meanPolsbyPopper: weighted((r) => r.stats.meanPolsbyPopper),
      worstPolsbyPopper: Math.min(...rs.map((r) => r.stats.worstPolsbyPopper)),
      moved: rs.reduce((s, r) => s + r.stats.moved, 0),
    },
  };
}
