/** Column mappings chosen on import, remembered per layer and header set (migration 0008). */
import type { Sql } from '../db/client.js';
import type { ColumnMapping } from '../../data/import/types.js';

export async function rememberedMapping(db: Sql, layer: string, headers: string): Promise<ColumnMapping | null> {
  const [row] = await db.query<{ mapping: ColumnMapping }>('SELECT mapping FROM import_mappings WHERE layer = $1 AND headers = $2', [layer, headers]);
  return row?.mapping ?? null;
}

/** Every remembered mapping of a layer, by header set (a handful of rows), for a worker thread to choose from. */
export async function rememberedMappings(db: Sql, layer: string): Promise<Record<string, ColumnMapping>> {
  const rows = await db.query<{ headers: string; mapping: ColumnMapping }>('SELECT headers, mapping FROM import_mappings WHERE layer = $1', [layer]);
  return Object.fromEntries(rows.map((r) => [r.headers, r.mapping]));
}

export async function rememberMapping(db: Sql, layer: string, headers: string, mapping: ColumnMapping, by: string | null) {
  await db.query(
    `INSERT INTO import_mappings (layer, headers, mapping, updated_by) VALUES ($1, $2, $3::jsonb, $4)
     ON CONFLICT (layer, headers) DO UPDATE SET mapping = EXCLUDED.mapping, updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [layer, headers, JSON.stringify(mapping), by],
  );
}
