/**
 * SQL of residents' own reports (issue #18.3): the place a QR token names, the tracking key's
 * request, spam marks and the resolve photo, and the buildings of a grid worker's grids.
 */
import type { Sql } from '../db/client.js';
import { publishedPlanSql } from './sql-params.js';

/** How a building reads on a sign and a phone: its own name, else "<compound> <number>" (e.g. 锦绣苑 5号楼). */
const BUILDING_LABEL = `COALESCE(b.name, concat_ws(' ', k.name, b.number))`;

export interface PlaceBuilding {
  code: string;
  label: string;
}

export interface ReportPlace {
  kind: 'building' | 'compound';
  code: string;
  name: string;
  communityCode: string;
  communityName: string;
  /** A compound's buildings (for the resident to pick one); a building's own entry otherwise. */
  buildings: PlaceBuilding[];
  /** A point inside the compound (its report location when no building is picked). */
  lon: number;
  lat: number;
}

/** The place of a token's subject, or null when it no longer exists. */
export async function reportPlace(db: Sql, s: { kind: 'building' | 'compound'; code: string }): Promise<ReportPlace | null> {
  if (s.kind === 'building') {
    const [b] = await db.query<ReportPlace>(
      `SELECT 'building' AS kind, b.code, ${BUILDING_LABEL} AS name, c.code AS "communityCode", c.name AS "communityName",
              json_build_array(json_build_object('code', b.code, 'label', ${BUILDING_LABEL})) AS buildings,
              ST_X(b.centroid) AS lon, ST_Y(b.centroid) AS lat
       FROM buildings b JOIN communities c ON c.id = b.community_id LEFT JOIN compounds k ON k.id = b.compound_id
       WHERE b.code = $1`,
      [s.code],
    );
    return b ?? null;
  }
  const [k] = await db.query<ReportPlace>(
    `SELECT 'compound' AS kind, k.code, k.name, c.code AS "communityCode", c.name AS "communityName",
            COALESCE((SELECT json_agg(json_build_object('code', b.code, 'label', ${BUILDING_LABEL}) ORDER BY b.code)
                      FROM buildings b WHERE b.compound_id = k.id), '[]') AS buildings,
            ST_X(ST_PointOnSurface(k.geom)) AS lon, ST_Y(ST_PointOnSurface(k.geom)) AS lat
     FROM compounds k JOIN communities c ON c.id = k.community_id
     WHERE k.code = $1`,
    [s.code],
  );
  return k ?? null;
}

/** Marks a new request as the resident's own: the hash of its tracking key and the token's subject. */
export async function markResidentReport(tx: Sql, id: number, trackingHash: string, subject: string) {
  await tx.query('UPDATE requests SET tracking_hash = $2, report_subject = $3 WHERE id = $1', [id, trackingHash, subject]);
}

export async function requestIdByTracking(db: Sql, trackingHash: string): Promise<number | null> {
  const [row] = await db.query<{ id: number }>('SELECT id FROM requests WHERE tracking_hash = $1', [trackingHash]);
  return row?.id ?? null;
}

/** What the tracking page adds to the request row: the resident's comment, the spam mark, the place's name. */
export async function trackingExtras(db: Sql, id: number) {
  const [row] = await db.query<{ ratingComment: string | null; spam: boolean; place: string | null }>(
    `SELECT r.rating_comment AS "ratingComment", r.spam, ${BUILDING_LABEL} AS place
     FROM requests r LEFT JOIN buildings b ON b.id = r.building_id LEFT JOIN compounds k ON k.id = b.compound_id
     WHERE r.id = $1`,
    [id],
  );
  return row;
}

export async function setRatingComment(tx: Sql, id: number, comment: string | null) {
  await tx.query('UPDATE requests SET rating_comment = $2 WHERE id = $1', [id, comment]);
}

export async function setSpam(tx: Sql, id: number, spam: boolean) {
  await tx.query('UPDATE requests SET spam = $2, updated_at = now() WHERE id = $1', [id, spam]);
}

export async function setResolvePhoto(tx: Sql, id: number, photo: { bytes: Buffer; type: string }) {
  await tx.query('UPDATE requests SET resolve_photo = $2, resolve_photo_type = $3 WHERE id = $1', [id, photo.bytes, photo.type]);
}

export async function resolvePhoto(db: Sql, id: number) {
  const [row] = await db.query<{ photo: Uint8Array | null; type: string | null }>(
    'SELECT resolve_photo AS photo, resolve_photo_type AS type FROM requests WHERE id = $1',
    [id],
  );
  return row ?? null;
}

export interface WorkerBuilding {
  code: string;
  label: string;
  gridCode: string;
  communityCode: string;
  households: number;
  residents: number;
  lon: number;
  lat: number;
  openRequests: number;
}

/** The buildings of `grids` in the published plan, with their open requests. */
export function gridBuildings(db: Sql, grids: string[]) {
  return db.query<WorkerBuilding>(
    `SELECT b.code, ${BUILDING_LABEL} AS label, g.code AS "gridCode", c.code AS "communityCode",
            b.households, b.residents, ST_X(b.centroid) AS lon, ST_Y(b.centroid) AS lat,
            (SELECT count(*)::int FROM requests r WHERE r.building_id = b.id AND r.status IN ('reported', 'dispatched', 'accepted')) AS "openRequests"
     FROM buildings b JOIN communities c ON c.id = b.community_id LEFT JOIN compounds k ON k.id = b.compound_id
     JOIN building_grid bg ON bg.building_id = b.id AND bg.plan_id = ${publishedPlanSql('c.street_id')}
     JOIN grids g ON g.id = bg.grid_id
     WHERE g.code = ANY($1::text[])
     ORDER BY g.code, label, b.code`,
    [grids],
  );
}

/** The buildings a compound or community token list covers, for printing QR sheets. */
export function communityBuildings(db: Sql, community: string) {
  return db.query<{ code: string; label: string; compoundCode: string | null; compoundName: string | null }>(
    `SELECT b.code, ${BUILDING_LABEL} AS label, k.code AS "compoundCode", k.name AS "compoundName"
     FROM buildings b JOIN communities c ON c.id = b.community_id LEFT JOIN compounds k ON k.id = b.compound_id
     WHERE c.code = $1 AND b.use = 'residential'
     ORDER BY k.code NULLS LAST, b.code`,
    [community],
  );
}
