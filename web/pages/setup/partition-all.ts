/**
 * "Partition every community" of the set-up page: one draft plan made empty, then the automatic
 * partition (issue #5) run on each community in turn, each run starting from the draft the previous
 * one wrote, so the last draft holds every community's grids. The intermediate drafts are deleted.
 * A community the partitioner refuses (e.g. `empty_community`: no buildings) is skipped and reported.
 */
import { ApiError, query, sendJson } from '../../http/api-client';
import { type JobView, followJob } from './setup-api';

export interface PartitionResult { plan: number; grids: number; inBand: number }
export interface PartitionProgress { index: number; total: number; name: string; pct: number }
export interface PartitionAllResult {
  plan: number;
  communities: number;
  grids: number;
  inBand: number;
  skipped: Array<{ name: string; reason: string }>;
}

const deletePlan = (id: number) => sendJson<unknown>('DELETE', `/api/plans/${id}`).catch(() => undefined);

/** Runs the partition of every community; see the file comment. */
export async function partitionAll(
  street: string | null,
  communities: Array<{ code: string; name: string }>,
  onProgress: (p: PartitionProgress) => void,
): Promise<PartitionAllResult> {
  const q = query({ street: street ?? undefined });
  const start = await sendJson<{ id: number }>('POST', `/api/plans${q}`, { name: '初始化自动划分 set-up partition', from: 'empty' });
  let plan = start.id;
  const out: PartitionAllResult = { plan, communities: 0, grids: 0, inBand: 0, skipped: [] };
  for (const [i, c] of communities.entries()) {
    onProgress({ index: i + 1, total: communities.length, name: c.name, pct: 0 });
    let job: JobView<PartitionResult>;
    try {
      ({ job } = await sendJson<{ job: JobView<PartitionResult> }>('POST', `/api/plans/${plan}/partition${q}`, { community: c.code, mode: 'fresh' }));
    } catch (e) {
      if (!(e instanceof ApiError) || e.status >= 500) throw e;
      out.skipped.push({ name: c.name, reason: e.message });
      continue;
    }
    const end = await followJob<PartitionResult>(job.id, (j) =>
      onProgress({ index: i + 1, total: communities.length, name: c.name, pct: Math.round(j.progress * 100) }));
    if (end.status !== 'done' || !end.result) {
      out.skipped.push({ name: c.name, reason: end.error?.message ?? end.status });
      continue;
    }
    await deletePlan(plan);
    plan = end.result.plan;
    out.communities += 1;
    out.grids += end.result.grids;
    out.inBand += end.result.inBand;
  }
  out.plan = plan;
  return out;
}
