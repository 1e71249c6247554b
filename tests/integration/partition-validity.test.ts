/**
 * Issue #16: the partitioner never returns a plan its own validator refuses. For every community of
 * the demo street and several seeds, a fresh automatic partition is written as a draft the way the
 * partition job does (writePartitionDraft: building assignments, then grid polygons derived from
 * them), and the PostGIS plan validator used at publish must find no `disconnected`, `gap` or
 * `overlap` error in the community. Each run is rolled back.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { partition } from '../../geo/partition/index.js';
import type { Database } from '../../server/db/client.js';
import { loadPartitionInput, writePartitionDraft } from '../../server/repos/partition.repo.js';
import { validatePlanSql } from '../../server/repos/plan-validation.repo.js';
import { testDb } from '../helpers/test-db.js';

const SEEDS = [1, 7, 42];
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

/** Geometric errors of the draft a fresh partition of `community` with `seed` writes. */
async function geometricErrors(community: string, seed: number): Promise<string[]> {
  const input = await loadPartitionInput(db, planId, community);
  const result = partition({ ...input, mode: 'fresh', seed });
  let found: string[] = [];
  await db
    .transaction(async (tx) => {
      const draft = await writePartitionDraft(tx, { sourceId: planId, community, result, mode: 'fresh', seed, actor: 'test', userId: null });
      const codes = new Set((await tx.query<{ code: string }>('SELECT code FROM grids WHERE plan_id = $1 AND community_id = (SELECT id FROM communities WHERE code = $2)', [draft.plan, community])).map((g) => g.code));
      const problems = await validatePlanSql(tx, draft.plan);
      found = problems
        .filter((p) => GEOMETRIC.has(p.code) && (p.code === 'gap' || p.gridIds.some((g) => codes.has(g))))
        .map((p) => `${community} seed ${seed}: ${p.code} ${p.gridIds.join(',')} (${Math.round(p.value)})`);
      throw new Rollback();
    })
    .catch((e: unknown) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return found;
}

describe('automatic partitions pass the plan validator (issue #16)', () => {
  it('leaves no disconnected grid, gap or overlap in any community for any seed', async () => {
    expect(communities.length).toBeGreaterThan(1);
    const errors: string[] = [];
    for (const community of communities) for (const seed of SEEDS) errors.push(...(await geometricErrors(community, seed)));
    expect(errors).toEqual([]);
  }, 180_000);
});
