/**
 * Issue #16: the partitioner never returns a plan its own validator refuses. For several seeds, every
 * community of the demo street is partitioned automatically (fresh, and rebalance from the seeded
 * plan) and written as a draft the way the partition job does it (writePartitionDraft: building
 * assignments, then grid polygons derived from them). The drafts are chained — each community's
 * draft is copied from the previous one — so one run of the PostGIS plan validator used at publish
 * judges them all: no grid the partitioner made may be `disconnected`, and no `gap` or `overlap`
 * may appear. Each run is rolled back. Before the fix, 370602001008 (seed 7 as in the issue, and
 * every other seed) came out with grid -002 in two pieces.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { partition } from '../../geo/partition/index.js';
import type { Database } from '../../server/db/client.js';
import { loadPartitionInput, writePartitionDraft } from '../../server/repos/partition.repo.js';
import { validatePlanSql } from '../../server/repos/plan-validation.repo.js';
import { testDb } from '../helpers/test-db.js';

const RUNS: { mode: 'fresh' | 'rebalance'; seed: number }[] = [
  { mode: 'fresh', seed: 1 },
  { mode: 'fresh', seed: 7 },
  { mode: 'fresh', seed: 42 },
  { mode: 'rebalance', seed: 7 },
];
const GEOMETRIC = new Set(['disconnected', 'gap', 'overlap']);

let db: Database;
let planId: number;
let communities: string[];

class Rollback extends Error {}

beforeAll(async () => {
  ({ db } = await testDb());
  // The seeded plan (the first one): other test files may have published edited copies since.
  planId = (await db.query<{ id: number }>('SELECT min(id)::int AS id FROM grid_plans'))[0].id;
  communities = (await db.query<{ code: string }>('SELECT code FROM communities ORDER BY code')).map((c) => c.code);
});

/** Geometric errors after every community is partitioned with `mode` and `seed` and written as drafts. */
async function geometricErrors(mode: 'fresh' | 'rebalance', seed: number): Promise<string[]> {
  let found: string[] = [];
  await db
    .transaction(async (tx) => {
      let source = planId;
      for (const community of communities) {
        const input = await loadPartitionInput(tx, planId, community);
        const result = partition({ ...input, mode, seed });
        source = (await writePartitionDraft(tx, { sourceId: source, community, result, mode, seed, actor: 'test', userId: null, scope: null })).plan;
      }
      // The grids the partitioner made (dedicated and locked grids are passed through unchanged).
      const made = new Set(
        (await tx.query<{ code: string }>(`SELECT code FROM grids WHERE plan_id = $1 AND kind = 'basic' AND NOT locked`, [source])).map((g) => g.code),
      );
      const problems = await validatePlanSql(tx, source);
      found = problems
        .filter((p) => GEOMETRIC.has(p.code) && (p.code !== 'disconnected' || p.gridIds.some((g) => made.has(g))))
        .map((p) => `${mode} seed ${seed}: ${p.code} ${p.gridIds.join(',')} (${Math.round(p.value)})`);
      throw new Rollback();
    })
    .catch((e: unknown) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return found;
}

describe('automatic partitions pass the plan validator (issue #16)', () => {
  it('leaves no disconnected grid, gap or overlap in any community, for fresh and rebalance and several seeds', async () => {
    expect(communities.length).toBeGreaterThan(1);
    const errors: string[] = [];
    for (const { mode, seed } of RUNS) errors.push(...(await geometricErrors(mode, seed)));
    expect(errors).toEqual([]);
  }, 240_000);
});
