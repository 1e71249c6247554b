/**
 * The version of the street's data, shared by every process on the database (issue #16).
 *
 * `data_version` (migration 0017) is one row whose number is bumped at the commit of every
 * transaction that changed a data table, whichever process made it (this server, another one, the
 * CLI importer, psql). Reading it is a one-row primary-key lookup — cheap enough to do before every
 * cached answer (see services/data-version-reader.ts for the figure). The table's OID is part of
 * the version: `npm run restore` (pg_restore --clean) recreates the table, so a restored database
 * never repeats a version a running server has cached answers under, even if the restored counter
 * does.
 */
import type { Sql } from '../db/client.js';

/** The version's expression, `… FROM data_version` to follow (also a scalar subquery of a tile's statement). */
export const DATA_VERSION_SQL = `SELECT 'data_version'::regclass::oid || ':' || version`;

/**
 * Reads the current data version. Read in the reader's own snapshot, before computing: an answer
 * computed after reading it is at least as new as the version it is kept under.
 */
export async function dataVersion(db: Sql): Promise<string> {
  const [row] = await db.query<{ v: string }>(`${DATA_VERSION_SQL} AS v FROM data_version`);
  return row.v;
}
