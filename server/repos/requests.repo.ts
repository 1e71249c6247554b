/**
 * Resident requests: locating a report in the published plan, creating it, listing with scope
 * filters, and writing one lifecycle step (rules in geo/requests/lifecycle.ts).
 */
import type { Sql } from '../db/client.js';
import type { Assignee, EscalationLevel, ReporterChannel, RequestStatus, StepKind } from '../../geo/requests/lifecycle.js';
import { PUBLISHED_PLANS_SQL, SqlParams, publishedPlanSql } from './sql-params.js';

export interface Location {
  lon: number;
  lat: number;
  buildingId: number | null;
  communityId: number | null;
  communityCode: string | null;
  gridCode: string | null;
  /** The street: the community's, else the street whose outline holds the point (issue #15). */
  streetId: number | null;
  streetCode: string | null;
}

/**
 * Where a report belongs, from the PUBLISHED plan:
 * - with a building: the building's grid (building_grid) and community; the point defaults to its centroid;
 * - with a point: the grid whose polygon covers it; a point on a boundary shared by several grids
 *   goes to the grid whose code sorts first (deterministic); the community is that grid's;
 * - outside every grid: the community covering the point (first code), grid NULL;
 * - outside every community: community and grid NULL ('unassigned', the street dispatches it).
 * Returns null when the building code does not exist.
 */
export async function locate(db: Sql, at: { lon?: number; lat?: number; building?: string }): Promise<Location | null> {
  if (at.building !== undefined) {
    const [b] = await db.query<Location>(
      `SELECT b.id AS "buildingId", c.id AS "communityId", c.code AS "communityCode", g.code AS "gridCode",
              COALESCE($2::float8, ST_X(b.centroid)) AS lon, COALESCE($3::float8, ST_Y(b.centroid)) AS lat,
              c.street_id AS "streetId", (SELECT code FROM streets WHERE id = c.street_id) AS "streetCode"
       FROM buildings b JOIN communities c ON c.id = b.community_id
       LEFT JOIN building_grid bg ON bg.building_id = b.id AND bg.plan_id = ${publishedPlanSql('c.street_id')}
       LEFT JOIN grids g ON g.id = bg.grid_id
       WHERE b.code = $1`,
      [at.building, at.lon ?? null, at.lat ?? null],
    );
    return b ?? null;
  }
  const [row] = await db.query<Location>(
    `WITH pt AS (SELECT ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326) AS g),
     grid AS (
       SELECT g.code, g.community_id FROM grids g, pt
       WHERE g.plan_id IN (${PUBLISHED_PLANS_SQL}) AND ST_Intersects(g.geom, pt.g)
       ORDER BY g.code LIMIT 1),
     comm AS (
       SELECT c.id FROM communities c, pt WHERE ST_Intersects(c.geom, pt.g) ORDER BY c.code LIMIT 1)
     SELECT $1::float8 AS lon, $2::float8 AS lat, NULL::int AS "buildingId",
            c.id AS "communityId", c.code AS "communityCode", (SELECT code FROM grid) AS "gridCode",
            s.id AS "streetId", s.code AS "streetCode"
     FROM (SELECT COALESCE((SELECT community_id FROM grid), (SELECT id FROM comm)) AS id) pick
     LEFT JOIN communities c ON c.id = pick.id
     LEFT JOIN streets s ON s.id = COALESCE(c.street_id,
       (SELECT s2.id FROM streets s2, pt WHERE ST_Intersects(s2.geom, pt.g) ORDER BY s2.code LIMIT 1))`,
    [at.lon, at.lat],
  );
  return row;
}

export interface NewRequest {
  category: string;
  description: string;
  channel: ReporterChannel;
  location: Location;
  reporterName: string | null;
  reporterPhone: string | null;
  photo: Buffer | null;
  photoType: string | null;
  reportedBy: string;
  limitHours: number;
}

export async function insertRequest(tx: Sql, r: NewRequest): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO requests (category, description, channel, geom, building_id, community_id, grid_code,
       reporter_name, reporter_phone, photo, photo_type, reported_by, due_at, street_id)
     VALUES ($1, $2, $3, ST_SetSRID(ST_MakePoint($4::float8, $5::float8), 4326), $6, $7, $8, $9, $10, $11, $12, $13,
       now() + make_interval(secs => $14::float8 * 3600), $15)
     RETURNING id`,
    [r.category, r.description, r.channel, r.location.lon, r.location.lat, r.location.buildingId, r.location.communityId,
      r.location.gridCode, r.reporterName, r.reporterPhone, r.photo, r.photoType, r.reportedBy, r.limitHours, r.location.streetId],
  );
  await tx.query(
    `INSERT INTO request_events (request_id, actor, step, from_status, to_status, detail)
     VALUES ($1, $2, 'report', NULL, 'reported', $3::jsonb)`,
    [row.id, r.reportedBy, JSON.stringify({ channel: r.channel, grid: r.location.gridCode })],
  );
  return row.id;
}

export interface RequestRow {
  id: number;
  category: string;
  description: string;
  channel: ReporterChannel;
  lon: number;
  lat: number;
  buildingCode: string | null;
  communityCode: string | null;
  communityName: string | null;
  gridCode: string | null;
  /** The request's street (issue #15); null only for requests made before streets were recorded in a several-street database. */
  streetCode: string | null;
  status: RequestStatus;
  level: EscalationLevel;
  assigneeKind: Assignee['kind'] | null;
  assignee: string | null;
  rating: number | null;
  reporterName: string | null;
  reporterPhone: string | null;
  hasPhoto: boolean;
  reportedBy: string;
  reportedAt: string;
  dueAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  overdue: boolean;
  /** Issue #18: marked as spam by a dispatcher; the grid worker's photo of the finished work. */
  spam: boolean;
  hasResolvePhoto: boolean;
}

const ROW_SQL = `
  r.id, r.category, r.description, r.channel, ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat, b.code AS "buildingCode",
  c.code AS "communityCode", c.name AS "communityName", r.grid_code AS "gridCode",
  (SELECT code FROM streets WHERE id = r.street_id) AS "streetCode", r.status, r.level,
  r.assignee_kind AS "assigneeKind", r.assignee, r.rating, r.reporter_name AS "reporterName",
  r.reporter_phone AS "reporterPhone", r.photo IS NOT NULL AS "hasPhoto", r.reported_by AS "reportedBy",
  to_json(r.reported_at) #>> '{}' AS "reportedAt", to_json(r.due_at) #>> '{}' AS "dueAt",
  to_json(r.resolved_at) #>> '{}' AS "resolvedAt", to_json(r.closed_at) #>> '{}' AS "closedAt",
  (r.status IN ('reported', 'dispatched', 'accepted') AND r.due_at < now()) AS overdue,
  r.spam, r.resolve_photo IS NOT NULL AS "hasResolvePhoto"`;
const FROM_SQL = `FROM requests r LEFT JOIN communities c ON c.id = r.community_id LEFT JOIN buildings b ON b.id = r.building_id`;

/**
 * Which requests a principal may see: everything (`all`: a deployment-wide grant), the requests of
 * some streets and districts (street-wide grants, issue #15), some communities and grids.
 */
export interface RequestScope {
  all: boolean;
  streets: string[];
  districts: string[];
  communities: string[];
  grids: string[];
}

export interface ListQuery {
  grid?: string;
  community?: string;
  status?: RequestStatus[];
  from?: string;
  to?: string;
  overdue?: boolean;
  /** Only this street's requests (issue #15). */
  streetId?: number | null;
  limit: number;
  offset: number;
}

/** Adds the scope and query filters to `where`. */
export function requestFilters(p: SqlParams, q: Omit<ListQuery, 'limit' | 'offset'>, scope: RequestScope | null): string[] {
  const where: string[] = [];
  if (scope && !scope.all) {
    where.push(`(c.code = ANY(${p.add(scope.communities)}::text[]) OR r.grid_code = ANY(${p.add(scope.grids)}::text[])
      OR r.street_id IN (SELECT id FROM streets WHERE code = ANY(${p.add(scope.streets)}::text[]) OR left(code, 6) = ANY(${p.add(scope.districts)}::text[])))`);
  }
  if (q.streetId) where.push(`r.street_id = ${p.add(q.streetId)}::int`);
  if (q.grid) where.push(`r.grid_code = ${p.add(q.grid)}`);
  if (q.community) where.push(`c.code = ${p.add(q.community)}`);
  if (q.status?.length) where.push(`r.status = ANY(${p.add(q.status)}::text[])`);
  if (q.from) where.push(`r.reported_at >= ${p.add(q.from)}::timestamptz`);
  if (q.to) where.push(`r.reported_at < ${p.add(q.to)}::timestamptz`);
  if (q.overdue !== undefined) {
    where.push(`${q.overdue ? '' : 'NOT '}(r.status IN ('reported', 'dispatched', 'accepted') AND r.due_at < now())`);
  }
  return where;
}

export async function listRequests(db: Sql, q: ListQuery, scope: RequestScope) {
  const p = new SqlParams();
  const where = requestFilters(p, q, scope);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [{ total }] = await db.query<{ total: number }>(`SELECT count(*)::int AS total ${FROM_SQL} ${clause}`, p.values);
  const items = await db.query<RequestRow>(
    `SELECT ${ROW_SQL} ${FROM_SQL} ${clause} ORDER BY r.reported_at DESC, r.id DESC LIMIT ${p.add(q.limit)} OFFSET ${p.add(q.offset)}`,
    p.values,
  );
  return { total, items };
}

export async function getRequest(db: Sql, id: number, forUpdate = false): Promise<RequestRow | null> {
  const [row] = await db.query<RequestRow>(
    `SELECT ${ROW_SQL} ${FROM_SQL} WHERE r.id = $1${forUpdate ? ' FOR UPDATE OF r' : ''}`,
    [id],
  );
  return row ?? null;
}

export interface EventRow {
  at: string;
  actor: string;
  step: string;
  fromStatus: string | null;
  toStatus: string;
  note: string | null;
  detail: Record<string, unknown>;
}

export function requestEvents(db: Sql, id: number) {
  return db.query<EventRow>(
    `SELECT to_json(at) #>> '{}' AS at, actor, step, from_status AS "fromStatus", to_status AS "toStatus", note, detail
     FROM request_events WHERE request_id = $1 ORDER BY at, id`,
    [id],
  );
}

export async function requestPhoto(db: Sql, id: number) {
  const [row] = await db.query<{ photo: Uint8Array | null; type: string | null }>(
    'SELECT photo, photo_type AS type FROM requests WHERE id = $1',
    [id],
  );
  return row ?? null;
}

/** Writes one accepted step: the new state, its timestamps, and the event. */
export async function writeTransition(
  tx: Sql,
  id: number,
  t: {
    from: RequestStatus;
    to: RequestStatus;
    step: StepKind;
    level: EscalationLevel;
    assignee: Assignee | null;
    rating: number | null;
    note: string | null;
    actor: string;
    limitHours: number;
  },
) {
  await tx.query(
    `UPDATE requests SET status = $2, level = $3, assignee_kind = $4, assignee = $5, rating = $6, updated_at = now(),
       resolved_at = CASE WHEN $2 = 'resolved' THEN now() WHEN $7 = 'reopen' THEN NULL ELSE resolved_at END,
       closed_at = CASE WHEN $2 = 'closed' THEN now() WHEN $7 = 'reopen' THEN NULL ELSE closed_at END,
       due_at = CASE WHEN $7 = 'reopen' THEN now() + make_interval(secs => $8::float8 * 3600) ELSE due_at END
     WHERE id = $1`,
    [id, t.to, t.level, t.assignee?.kind ?? null, t.assignee?.code ?? null, t.rating, t.step, t.limitHours],
  );
  await tx.query(
    `INSERT INTO request_events (request_id, actor, step, from_status, to_status, note, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
    [id, t.actor, t.step, t.from, t.to, t.note,
      JSON.stringify({ level: t.level, assignee: t.assignee, ...(t.rating !== null && t.to === 'rated' ? { rating: t.rating } : {}) })],
  );
}
