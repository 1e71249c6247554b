/**
 * Automatic partition of every community of one street into ONE new draft plan (issue #15.3,
 * `npm run partition`): the same partitioner input, partitioner (geo/partition) and write
 * (repos/partition.repo.ts `applyPartition`) as `POST /api/plans/:id/partition`, once per
 * community. The partitions are computed first, then the draft is written in one transaction —
 * a failure leaves no half-partitioned draft behind.
 */
import { type PartitionInput, type PartitionResult, partition } from '../../../geo/partition/index.js';
import type { Database } from '../../db/client.js';
import { audit } from '../../repos/audit.repo.js';
import { type PartitionWriteSummary, applyPartition, loadPartitionInput, partitionSummary } from '../../repos/partition.repo.js';
import { copyPlanGrids } from '../../repos/plan-scope.repo.js';
import type { StreetRef } from '../street-context.js';

export interface StreetPartition {
  /** The new draft plan. */
  plan: number;
  /** The published plan it was copied from (null: none yet, the draft starts empty). */
  basedOn: number | null;
  communities: Array<PartitionWriteSummary & { name: string; buildings: number; ms: number }>;
  /** Communities of the street without buildings (nothing to partition). */
  empty: string[];
}

export interface PartitionStreetOptions {
  seed: number;
  actor: string;
  userId?: number | null;
  /** Runs one partition; default: in this thread. */
  run?: (input: PartitionInput) => Promise<PartitionResult> | PartitionResult;
  log?: (message: string) => void;
}

/** Partitions every community of `street` that has buildings; returns the new draft and per-community figures. */
export async function partitionStreet(db: Database, street: Pick<StreetRef, 'id' | 'code' | 'name'>, opts: PartitionStreetOptions): Promise<StreetPartition> {
  const [published] = await db.query<{ id: number }>(`SELECT id FROM grid_plans WHERE street_id = $1 AND status = 'published'`, [street.id]);
  const communities = await db.query<{ id: number; code: string; name: string; buildings: number }>(`
    SELECT c.id, c.code, c.name, (SELECT count(*)::int FROM buildings b WHERE b.community_id = c.id) AS buildings
    FROM communities c WHERE c.street_id = $1 ORDER BY c.code`, [street.id]);
  const run = opts.run ?? ((input: PartitionInput) => partition(input));
  const results: Array<{ c: (typeof communities)[number]; result: PartitionResult; ms: number }> = [];
  for (const c of communities.filter((x) => x.buildings > 0)) {
    const t0 = Date.now();
    // Read from the published plan (or none): a fresh partition keeps its dedicated and locked grids.
    const input = await loadPartitionInput(db, published?.id ?? 0, c.code);
    const result = await run({ ...input, mode: 'fresh', seed: opts.seed });
    results.push({ c, result, ms: Date.now() - t0 });
    opts.log?.(`${c.code} ${c.name}: ${c.buildings} buildings → ${result.stats.grids} grids (${result.stats.inBand} in band) in ${Date.now() - t0} ms`);
  }
  const plan = await db.transaction(async (tx) => {
    const [draft] = await tx.query<{ id: number }>(
      `INSERT INTO grid_plans (name, status, version, street_id, community_id, based_on) VALUES ($1, 'draft', 1, $2, NULL, $3) RETURNING id`,
      [`${street.name}自动划分`.slice(0, 80), street.id, published?.id ?? null]);
    if (published) await copyPlanGrids(tx, draft.id, published.id, null);
    for (const { c, result } of results) await applyPartition(tx, draft.id, c, result);
    await audit(tx, {
      actor: opts.actor, userId: opts.userId ?? null, action: 'plan_partition', targetType: 'plan', targetId: String(draft.id),
      detail: { from: published?.id ?? null, street: street.code, mode: 'fresh', seed: opts.seed, communities: results.map((r) => r.c.code) },
    });
    return draft.id;
  });
  return {
    plan, basedOn: published?.id ?? null,
    communities: results.map(({ c, result, ms }) => ({ ...partitionSummary(plan, c.code, result), name: c.name, buildings: c.buildings, ms })),
    empty: communities.filter((x) => x.buildings === 0).map((x) => x.code),
  };
}
