/**
 * Reads what the router needs from PostGIS: the walk network, facilities and buildings (with their
 * grid in the published plan), plus a signature that changes whenever any of them changes, so the
 * in-memory graph is rebuilt after an import or edit by any process. Plain SQL that runs the same on
 * native PostGIS and PGlite.
 */
import { type Database, type Sql, streamRows } from '../db/client.js';
import { GraphBuilder } from '../../geo/routing/graph.js';
import { dataVersion } from './data-version.repo.js';
import { derivedFigure } from './derived-figures.repo.js';

export interface WalkNodeRow { id: number; lng: number; lat: number }
/** `wkt`: the edge's LINESTRING as PostGIS writes it (null: none). */
export interface WalkEdgeRow { id: number; source: number; target: number; kind: string; length_m: number; wkt: string | null }
export interface FacilityRow { id: number; code: string; name: string; category: string; community_code: string | null; lng: number; lat: number }
export interface BuildingRow {
  id: number; code: string; number: string; name: string | null; use: string; households: number;
  community_code: string; community_name: string; grid_code: string | null; grid_name: string | null;
  gated: boolean; lng: number; lat: number;
}

/**
 * The signature of what the router reads: counts, max ids and sums over the network, facilities,
 * buildings and the published plan. Full-table aggregates (tens of ms on a big street): callers
 * use {@link currentNetworkSignature}, which runs them once per data version.
 */
export async function networkSignature(db: Sql): Promise<string> {
  const [r] = await db.query<Record<string, unknown>>(
    `SELECT (SELECT concat_ws(':', count(*), max(id), round(sum(length_m)::numeric, 3), sum(source::bigint * 7 + target)) FROM walk_edges) AS e,
            (SELECT concat_ws(':', count(*), max(id)) FROM walk_nodes) AS n,
            (SELECT concat_ws(':', count(*), max(id), round(sum(ST_X(geom) + ST_Y(geom))::numeric, 7), string_agg(DISTINCT category, ',')) FROM facilities) AS f,
            (SELECT concat_ws(':', count(*), max(id), sum(households)) FROM buildings) AS b,
            (SELECT string_agg(concat_ws(':', id, version), ',' ORDER BY id) FROM grid_plans WHERE status = 'published') AS p`,
  );
  return [r.e, r.n, r.f, r.b, r.p].join('|');
}

const NETWORK_SIGNATURE_KEY = 'walk-network-signature';

const signatures = new WeakMap<Sql, { version: string; signature: Promise<string> }>();

/**
 * {@link networkSignature} as of now, for the price of a one-row read while the data version
 * (repos/data-version.repo.ts) is unchanged: the aggregates run only after some process committed
 * a change. Not the data version itself as the signature: then every write anywhere — a draft plan
 * being edited, a household roster — would rebuild the walk network and recompute the stored
 * life-circle share (3.3 s on a 100k-building street); the signature still tells those apart.
 * The version is read before the aggregates, so the signature kept under it is at least as new.
 */
export async function currentNetworkSignature(db: Sql): Promise<string> {
  return (await versionedNetworkSignature(db)).signature;
}

/**
 * {@link currentNetworkSignature} with the data version it is current for. `readVersion`: how to
 * read that version (default: a read of its own; the routes pass the response cache's reader, which
 * shares one read among the requests that arrived before it was issued).
 */
export async function versionedNetworkSignature(db: Sql, readVersion: () => Promise<string> = () => dataVersion(db)): Promise<{ version: string; signature: string }> {
  const version = await readVersion();
  const known = signatures.get(db);
  if (known?.version === version) return { version, signature: await known.signature };
  // Kept in derived_figures under the data version too: a restarted server (or another process)
  // reads it back instead of running the aggregates (seconds on a city of a million buildings).
  const signature = derivedFigure(db, NETWORK_SIGNATURE_KEY, version, () => networkSignature(db));
  signatures.set(db, { version, signature });
  signature.catch(() => {
    if (signatures.get(db)?.signature === signature) signatures.delete(db);
  });
  return { version, signature: await signature };
}

/** The walk graph (streamed), and the facilities and buildings the router snaps onto it. */
export async function loadNetwork(db: Database) {
  const builder = new GraphBuilder();
  // Streamed in batches straight into the graph's typed arrays (issue #15: a city's 2.3 million
  // edges as row objects, parsed polylines and graph input at once took ~4 GB of heap).
  for await (const batch of streamRows<WalkNodeRow>(db, 'SELECT id, ST_X(geom) AS lng, ST_Y(geom) AS lat FROM walk_nodes ORDER BY id', [], BATCH_ROWS)) {
    for (const n of batch) builder.addNode(n.id, Number(n.lng), Number(n.lat));
  }
  // Coordinates as WKT ("LINESTRING(lng lat,lng lat)"): compact to transfer, quick to produce and
  // parse (a per-edge ST_DumpPoints subquery was ~10× slower to load).
  const flat: number[] = [];
  const edgesSql = 'SELECT id, source, target, kind, length_m, ST_AsText(geom) AS wkt FROM walk_edges ORDER BY id';
  for await (const batch of streamRows<WalkEdgeRow>(db, edgesSql, [], BATCH_ROWS)) {
    for (const e of batch) {
      parseLineWkt(e.wkt, flat);
      builder.addEdge(e.id, e.source, e.target, Number(e.length_m), e.kind ?? '', flat);
    }
  }
  const graph = builder.build();
  const facilities = await db.query<FacilityRow>(
    `SELECT f.id, f.code, f.name, f.category, c.code AS community_code, ST_X(f.geom) AS lng, ST_Y(f.geom) AS lat
     FROM facilities f LEFT JOIN communities c ON c.id = f.community_id ORDER BY f.id`,
  );
  const buildings = await db.query<BuildingRow>(
    `SELECT b.id, b.code, b.number, b.name, b.use, b.households, c.code AS community_code, c.name AS community_name,
            g.code AS grid_code, g.name AS grid_name, coalesce(k.gated, false) AS gated,
            ST_X(b.centroid) AS lng, ST_Y(b.centroid) AS lat
     FROM buildings b
     JOIN communities c ON c.id = b.community_id
     LEFT JOIN compounds k ON k.id = b.compound_id
     LEFT JOIN grid_plans p ON p.status = 'published' AND p.street_id = c.street_id
     LEFT JOIN building_grid bg ON bg.plan_id = p.id AND bg.building_id = b.id
     LEFT JOIN grids g ON g.id = bg.grid_id
     ORDER BY b.id`,
  );
  return { graph, facilities: facilities.map(internRow), buildings: buildings.map(internRow) };
}

const BATCH_ROWS = 50_000;

/** The coordinates of a WKT LINESTRING into `out` as flat lng, lat pairs (empty for no geometry). */
export function parseLineWkt(wkt: string | null, out: number[]) {
  out.length = 0;
  if (!wkt) return;
  const open = wkt.indexOf('(');
  const close = wkt.lastIndexOf(')');
  if (open < 0 || close < open) return;
  for (const point of wkt.slice(open + 1, close).split(',')) {
    // "lng lat", possibly padded, possibly with a z (or m) after.
    const [lng, lat] = point.trim().split(/\s+/, 2);
    out.push(Number(lng), Number(lat));
  }
}

/**
 * The row with its repeated strings (community, grid and category codes and names, uses) shared:
 * the driver makes a new string per row, and a city's million buildings each held their own copy.
 */
const interned = new Map<string, string>();
function internRow<T extends object>(row: T): T {
  const r = row as Record<string, unknown>;
  for (const key of INTERNED_KEYS) {
    const v = r[key];
    if (typeof v !== 'string') continue;
    let shared = interned.get(v);
    if (shared === undefined) {
      if (interned.size > 200_000) interned.clear();
      interned.set(v, (shared = v));
    }
    r[key] = shared;
  }
  return row;
}
const INTERNED_KEYS = ['community_code', 'community_name', 'grid_code', 'grid_name', 'use', 'category'];
