/**
 * A partition job's work, the same whichever queue runs it (job-queue.ts): load the community's
 * buildings from plan :planId, partition them in a worker thread (partition-jobs.ts), write the
 * new draft plan. The request is plain data so it can travel through pg-boss to another process.
 */
import type { PartitionInput, PartitionResult } from '../../../geo/partition/index.js';
import type { Sql } from '../../db/client.js';
import { badRequest } from '../../http-error.js';
import { loadPartitionInputs, writePartitionDraft } from '../../repos/partition.repo.js';
import { communityLoads } from '../party-reach.js';
export { startPartition as runPartition } from '../partition-jobs.js';

export interface PartitionRequest {
  planId: number;
  /** The plan's street (its load weights, issue #20). */
  streetId: number;
  community: string;
  mode: 'fresh' | 'rebalance';
  seed: number;
  /** "households" (default) or "load": balance grid load as a second objective (issue #20). */
  objective?: 'households' | 'load';
  /** The audit log's actor and the draft's author. */
  actor: string;
  userId: number | null;
  /** The draft's own community (a community plan), or null for a street-wide draft. */
  scope: string | null;
}

type Inputs = PartitionInput | PartitionInput[];

const emptyCommunity = (community: string) =>
  badRequest('empty_community', `社区 ${community} 没有楼栋`, `community ${community} has no buildings`);

/** One input per piece of a community with exclaves (issue #15), partitioned piece by piece. */
export async function partitionInputs(db: Sql, req: PartitionRequest): Promise<Inputs> {
  // Every building carries its load under the street's weights (the grids' load is reported either way).
  const loads = await communityLoads(db, req.streetId, req.community);
  const inputs = (await loadPartitionInputs(db, req.planId, req.community)).map((i) => ({
    ...i, mode: req.mode, seed: req.seed, objective: req.objective ?? 'households',
    buildings: i.buildings.map((b) => ({ ...b, load: loads.get(b.id) ?? b.households })),
  }));
  if (inputs.length === 0) throw emptyCommunity(req.community);
  return inputs.length === 1 ? inputs[0] : inputs;
}

/** Refuses a community without buildings up front (400), before a job is queued for it. */
export async function assertPartitionable(db: Sql, req: PartitionRequest): Promise<void> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM buildings b JOIN communities c ON c.id = b.community_id WHERE c.code = $1`, [req.community]);
  if (!row?.n) throw emptyCommunity(req.community);
}

/** Writes the partition's draft plan (inside the caller's transaction); returns its summary. */
export function writePartitionResult(tx: Sql, req: PartitionRequest, result: PartitionResult) {
  return writePartitionDraft(tx, {
    sourceId: req.planId, community: req.community, result, mode: req.mode, seed: req.seed, objective: req.objective, actor: req.actor, userId: req.userId, scope: req.scope,
  });
}

