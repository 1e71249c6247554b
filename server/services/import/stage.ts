/**
 * Sends the staged rows (prepare.ts: JSON with hex-WKB geometries, 32 MB for one 1M-vertex
 * outline) to PostgreSQL in 256 KB pieces, into a temporary table of the current transaction. One
 * 32 MB parameter made the driver copy and encode it in one synchronous step (~0.4 s on a loaded
 * machine: no request answered meanwhile); 1 MB pieces still took 20–50 ms each to decode and
 * encode there (a CPU profile of the server during the load test's import); a quarter of that
 * keeps every step to a few milliseconds, at 128 round trips instead of 32.
 * Queries then read the whole JSON as `STAGED_JSON`.
 */
import type { Sql } from '../../db/client.js';

const PIECE_BYTES = 256 << 10;

/** The staged JSON, as a SQL expression, inside the transaction that called `stageJson`. */
export const STAGED_JSON = `(SELECT coalesce(string_agg(part, '' ORDER BY i), '[]') FROM import_stage)::json`;

/** Pieces of the staged text: a string sliced, or UTF-8 bytes (from the worker) decoded piecewise. */
export function* pieces(staged: string | Uint8Array): Generator<string> {
  if (typeof staged === 'string') {
    for (let i = 0; i < staged.length; i += PIECE_BYTES) yield staged.slice(i, i + PIECE_BYTES);
    return;
  }
  const decoder = new TextDecoder('utf-8');
  for (let i = 0; i < staged.length; i += PIECE_BYTES) {
    const end = Math.min(staged.length, i + PIECE_BYTES);
    yield decoder.decode(staged.subarray(i, end), { stream: end < staged.length });
  }
}

/** Creates `import_stage` (dropped at commit) holding the staged JSON; call inside a transaction. */
export async function stageJson(tx: Sql, staged: string | Uint8Array): Promise<void> {
  await tx.query('DROP TABLE IF EXISTS import_stage');
  await tx.query('CREATE TEMP TABLE import_stage (i int PRIMARY KEY, part text NOT NULL) ON COMMIT DROP');
  let i = 0;
  for (const part of pieces(staged)) await tx.query('INSERT INTO import_stage (i, part) VALUES ($1, $2)', [i++, part]);
}
