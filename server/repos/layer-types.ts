/**
 * The JSON type of each property of a map layer, as PostgreSQL types the layer's SQL
 * (layer-defs.ts): whole numbers `integer`, other numbers `number`, `boolean`, else `string`.
 * Clients that build a table from our answers (GDAL/QGIS over OGC API, MapLibre styles from
 * TileJSON) need the type up front; guessing it from the first features (what GDAL does without a
 * schema) turns `lengthM` 36.0 into an Integer column and cuts every later 21.7 to 21.
 * Read once per database and layer (the types change only with a migration).
 */
import type { ColumnType } from '../../data/formats/shapefile-write.js';
import type { Sql } from '../db/client.js';
import { LAYERS, type LayerName } from './layer-defs.js';
import { layerSelect } from './layers.repo.js';
import { SqlParams } from './sql-params.js';

/** The same four kinds the shapefile writer types its DBF columns by (data/formats/shapefile-write.ts). */
export type PropertyType = ColumnType;

const INTEGER = new Set(['smallint', 'integer', 'bigint']);
const NUMBER = new Set(['real', 'double precision', 'numeric']);

/** A PostgreSQL type name (pg_typeof) as a JSON type. */
export function jsonTypeOf(pgType: string): PropertyType {
  if (INTEGER.has(pgType)) return 'integer';
  if (NUMBER.has(pgType)) return 'number';
  return pgType === 'boolean' ? 'boolean' : 'string';
}

const memo = new WeakMap<Sql, Map<LayerName, Promise<Record<string, PropertyType>>>>();

async function readTypes(db: Sql, name: LayerName): Promise<Record<string, PropertyType>> {
  const def = LAYERS[name];
  const p = new SqlParams();
  const inner = layerSelect(def, {}, p);
  // The columns' declared types, also when the layer is empty: pg_typeof of a null-extended row.
  const cols = def.props.map(([n]) => `pg_typeof(f."${n}")::text AS "${n}"`).join(', ');
  const [row] = await db.query<Record<string, string>>(`SELECT ${cols} FROM (SELECT 1) one LEFT JOIN (${inner} LIMIT 1) f ON true`, p.values);
  return Object.fromEntries(def.props.map(([n]) => [n, jsonTypeOf(row[n])]));
}

/** Property name → JSON type for a layer, in the layer's property order. */
export function layerPropertyTypes(db: Sql, name: LayerName): Promise<Record<string, PropertyType>> {
  let perDb = memo.get(db);
  if (!perDb) memo.set(db, (perDb = new Map()));
  let types = perDb.get(name);
  if (!types) {
    types = readTypes(db, name);
    perDb.set(name, types);
    types.catch(() => perDb.delete(name));
  }
  return types;
}
