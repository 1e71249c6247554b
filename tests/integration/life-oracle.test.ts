/**
 * Correctness oracle for geo/routing: pgRouting's pgr_drivingDistance on the same walk network in the
 * test database must reach the same nodes with the same distances (to 0.5 m) from several starts.
 * Native PostGIS only (PGlite has no pgRouting); skipped loudly there, always run in CI.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/client.js';
import { shortestPaths } from '../../geo/routing/index.js';
import { walkNetwork } from '../../server/services/walk-network.js';
import { announceNativeOnly, isNative, nativeConnection, testDb } from '../helpers/test-db.js';

let db: Database;
beforeAll(async () => {
  ({ db } = await testDb());
});

/** Our distances from `startId` within `cutoff`, keyed by node id. */
async function ourReach(database: Database, startId: number, cutoff: number) {
  const net = await walkNetwork(database);
  const sp = shortestPaths(net.graph, [{ node: net.graph.indexOfNode(startId), distance: 0 }], cutoff);
  return new Map([...sp.settled].map((v) => [net.graph.nodeIds[v], sp.dist[v]]));
}

describe('routing oracle: pgr_drivingDistance', () => {
  it('reaches the same nodes at the same distances from several start nodes', async () => {
    if (!isNative()) {
      announceNativeOnly('pgRouting oracle (pgr_drivingDistance vs geo/routing) needs native PostGIS with pgRouting');
      expect(process.env.CI === 'true').toBe(false);
      return;
    }
    const pg = (await nativeConnection())!;
    try {
      await pg.query('CREATE EXTENSION IF NOT EXISTS pgrouting');
      const ids = (await pg.query<{ id: number }>('SELECT id FROM walk_nodes ORDER BY id')).map((r) => r.id);
      const starts = [ids[0], ids[Math.floor(ids.length / 3)], ids[Math.floor(ids.length / 2)], ids[ids.length - 1], ids[777 % ids.length]];
      for (const start of starts) {
        for (const cutoff of [300, 500, 1000]) {
          const rows = await pg.query<{ node: number; agg_cost: number }>(
            `SELECT node, agg_cost FROM pgr_drivingDistance('SELECT id, source, target, length_m AS cost FROM walk_edges', $1::bigint, $2::float8, directed => false)`,
            [start, cutoff],
          );
          const theirs = new Map(rows.map((r) => [Number(r.node), Number(r.agg_cost)]));
          const ours = await ourReach(db, start, cutoff);
          const problems: string[] = [];
          for (const [node, d] of theirs) {
            const mine = ours.get(node);
            if (mine === undefined) {
              if (cutoff - d > 0.5) problems.push(`node ${node}: pgRouting ${d.toFixed(2)} m, ours unreached`);
            } else if (Math.abs(mine - d) > 0.5) problems.push(`node ${node}: pgRouting ${d.toFixed(2)} m, ours ${mine.toFixed(2)} m`);
          }
          for (const [node, d] of ours) if (!theirs.has(node) && cutoff - d > 0.5) problems.push(`node ${node}: ours ${d.toFixed(2)} m, pgRouting unreached`);
          expect(problems, `start ${start}, cutoff ${cutoff} m`).toEqual([]);
          expect(ours.size).toBeGreaterThan(1);
          expect(Math.abs(ours.size - theirs.size)).toBeLessThanOrEqual(1);
        }
      }
    } finally {
      await pg.close();
    }
  });
});
