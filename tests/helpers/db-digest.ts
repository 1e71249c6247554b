/**
 * A fingerprint of everything the street's data and settings hold: per table of the public schema,
 * its row count and the sum of a 64-bit hash of every row. Two digests are equal when no row was
 * added, removed or changed (up to a hash collision) — the scope tests of issue #14 take one before
 * and one after a refused request.
 *
 * Left out: tables that change on reads or sign-ins by design (sessions, the audit log, cached
 * figures and tiles) and PostGIS's spatial_ref_sys.
 */
import type { Sql } from '../../server/db/client.js';

const VOLATILE = ['sessions', 'audit_log', 'derived_figures', 'tile_store', 'spatial_ref_sys'];

export async function dataDigest(db: Sql): Promise<Record<string, string>> {
  const tables = await db.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND NOT (tablename = ANY ($1::text[])) ORDER BY 1`,
    [VOLATILE],
  );
  const parts = tables.map(
    // Row count and the sum of a 64-bit hash of each row's text: order-independent, so no sort of
    // every row's text (the md5 of the sorted rows took ~3× as long, and this runs twice per probe).
    (t) => `SELECT '${t.name}' AS name, count(*)::text || ':' || coalesce(sum(hashtextextended(x::text, 0)::numeric), 0)::text AS digest FROM "${t.name}" x`,
  );
  const rows = await db.query<{ name: string; digest: string }>(parts.join(' UNION ALL '));
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]));
}
