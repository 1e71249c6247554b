/**
 * Public aggregates of resident requests: the wall-screen figures, the map layer of points and a
 * heat grid. No description, reporter, assignee or note ever leaves through these queries.
 */
import type { Sql } from '../db/client.js';
import type { EscalationLevel, RequestStatus } from '../../geo/requests/lifecycle.js';
import { type ListQuery, requestFilters } from './requests.repo.js';
import { SqlParams } from './sql-params.js';

const FROM_SQL = `FROM requests r LEFT JOIN communities c ON c.id = r.community_id`;
const OPEN = `r.status IN ('reported', 'dispatched', 'accepted')`;
const CST_MS = 8 * 3_600_000;

/** Start of the calendar month in China Standard Time (UTC+8) that contains `nowMs`. */
export function monthStartCst(nowMs: number): Date {
  const local = new Date(nowMs + CST_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - CST_MS);
}

export interface StatsFigures {
  total: number;
  open: number;
  overdue: number;
  reportedThisMonth: number;
  resolvedThisMonth: number;
  resolved: number;
  cancelled: number;
  resolvedInGrid: number;
  resolvedOnTime: number;
  rated: number;
  satisfied: number;
  ratingSum: number;
}

export interface FeedItem {
  id: number;
  category: string;
  status: RequestStatus;
  level: EscalationLevel;
  communityName: string | null;
  gridCode: string | null;
  reportedAt: string;
  overdue: boolean;
}

export async function requestStats(db: Sql, scope: { community?: string; grid?: string; streetId?: number | null }, nowMs: number, feedSize = 12) {
  /** Fresh parameters per query (an unused parameter has no type in PostgreSQL). */
  const scoped = () => {
    const p = new SqlParams();
    const where = requestFilters(p, scope, null);
    const now = p.add(new Date(nowMs).toISOString());
    return { p, now, where: where.length ? `WHERE ${where.join(' AND ')}` : 'WHERE true' };
  };
  const q1 = scoped();
  const month = q1.p.add(monthStartCst(nowMs).toISOString());
  const [f] = await db.query<StatsFigures>(
    `SELECT count(*)::int AS total,
       count(*) FILTER (WHERE ${OPEN})::int AS open,
       count(*) FILTER (WHERE ${OPEN} AND r.due_at < ${q1.now}::timestamptz)::int AS overdue,
       count(*) FILTER (WHERE r.reported_at >= ${month}::timestamptz AND r.reported_at <= ${q1.now}::timestamptz)::int AS "reportedThisMonth",
       count(*) FILTER (WHERE r.resolved_at >= ${month}::timestamptz AND r.resolved_at <= ${q1.now}::timestamptz)::int AS "resolvedThisMonth",
       count(*) FILTER (WHERE r.resolved_at IS NOT NULL)::int AS resolved,
       count(*) FILTER (WHERE r.status = 'closed' AND r.resolved_at IS NULL)::int AS cancelled,
       count(*) FILTER (WHERE r.resolved_at IS NOT NULL AND r.level = 'grid')::int AS "resolvedInGrid",
       count(*) FILTER (WHERE r.resolved_at IS NOT NULL AND r.resolved_at <= r.due_at)::int AS "resolvedOnTime",
       count(r.rating)::int AS rated,
       count(*) FILTER (WHERE r.rating >= 4)::int AS satisfied,
       COALESCE(sum(r.rating), 0)::int AS "ratingSum"
     ${FROM_SQL} ${q1.where}`,
    q1.p.values,
  );
  const q2 = scoped();
  const byCategory = await db.query<{ category: string; total: number; open: number }>(
    `SELECT r.category, count(*)::int AS total, count(*) FILTER (WHERE ${OPEN})::int AS open
     ${FROM_SQL} ${q2.where} AND r.reported_at <= ${q2.now}::timestamptz GROUP BY r.category`,
    q2.p.values,
  );
  const q3 = scoped();
  const cst = (col: string) => `to_char((${col} AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM')`;
  const monthly = await db.query<{ month: string; reported: number; resolved: number }>(
    `WITH m AS (
       SELECT ${cst('r.reported_at')} AS month, 1 AS reported, 0 AS resolved ${FROM_SQL} ${q3.where}
       UNION ALL
       SELECT ${cst('r.resolved_at')}, 0, 1 ${FROM_SQL} ${q3.where} AND r.resolved_at IS NOT NULL)
     SELECT month, sum(reported)::int AS reported, sum(resolved)::int AS resolved FROM m
     WHERE month >= to_char((${q3.now}::timestamptz AT TIME ZONE 'UTC') + interval '8 hours' - interval '11 months', 'YYYY-MM')
       AND month <= ${cst(`${q3.now}::timestamptz`)}
     GROUP BY month ORDER BY month`,
    q3.p.values,
  );
  const q4 = scoped();
  const latest = await db.query<FeedItem>(
    `SELECT r.id, r.category, r.status, r.level, c.name AS "communityName", r.grid_code AS "gridCode",
       to_json(r.reported_at) #>> '{}' AS "reportedAt", (${OPEN} AND r.due_at < ${q4.now}::timestamptz) AS overdue
     ${FROM_SQL} ${q4.where} AND r.reported_at <= ${q4.now}::timestamptz
     ORDER BY r.reported_at DESC, r.id DESC LIMIT ${q4.p.add(feedSize)}`,
    q4.p.values,
  );
  return { figures: f, byCategory, monthly, latest };
}

const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 1000 : null);

/** The derived rates the wall screen shows (null when there is nothing to divide by). */
export function rates(f: StatsFigures) {
  return {
    /** resolved / (all − cancelled) */
    resolutionRate: ratio(f.resolved, f.total - f.cancelled),
    /** resolved without ever leaving the grid level / resolved (小事不出网格) */
    withinGridShare: ratio(f.resolvedInGrid, f.resolved),
    /** resolved by the due time / resolved */
    onTimeRate: ratio(f.resolvedOnTime, f.resolved),
    satisfaction: {
      rated: f.rated,
      average: f.rated > 0 ? Math.round((f.ratingSum / f.rated) * 100) / 100 : null,
      /** ratings of 4 or 5 / ratings (the seeds' "满意率") */
      satisfiedShare: ratio(f.satisfied, f.rated),
    },
  };
}

/** GeoJSON points for the map: category, status, level, overdue, time, grid — nothing personal. */
export async function requestLayer(db: Sql, q: Omit<ListQuery, 'limit' | 'offset'> & { category?: string }, limit: number) {
  const p = new SqlParams();
  const where = requestFilters(p, q, null);
  if (q.category) where.push(`r.category = ${p.add(q.category)}`);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [row] = await db.query<{ fc: string; n: number }>(
    `SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
       'type', 'Feature', 'id', s.id,
       'geometry', json_build_object('type', 'Point', 'coordinates', json_build_array(round(ST_X(s.geom)::numeric, 6), round(ST_Y(s.geom)::numeric, 6))),
       'properties', json_build_object('id', s.id, 'category', s.category, 'status', s.status, 'level', s.level,
         'overdue', s.overdue, 'reportedAt', s.reported_at, 'grid', s.grid_code))), '[]'::json))::text AS fc,
       count(*)::int AS n
     FROM (SELECT r.id, r.geom, r.category, r.status, r.level, r.grid_code, r.reported_at,
             (${OPEN} AND r.due_at < now()) AS overdue
           ${FROM_SQL} ${clause} ORDER BY r.reported_at DESC LIMIT ${p.add(limit)}) s`,
    p.values,
  );
  return row.fc;
}

/**
 * Heat: request counts in square cells of `cellDeg` degrees (0.001° ≈ 110 m north–south),
 * as GeoJSON points at the cell centres with `count`.
 */
export async function requestHeat(db: Sql, q: Omit<ListQuery, 'limit' | 'offset'> & { category?: string }, cellDeg: number) {
  const p = new SqlParams();
  const where = requestFilters(p, q, null);
  if (q.category) where.push(`r.category = ${p.add(q.category)}`);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const cell = p.add(cellDeg);
  const [row] = await db.query<{ fc: string }>(
    `SELECT json_build_object('type', 'FeatureCollection', 'cellDeg', ${cell}::float8, 'features', COALESCE(json_agg(json_build_object(
       'type', 'Feature',
       'geometry', json_build_object('type', 'Point', 'coordinates', json_build_array(round(cx::numeric, 6), round(cy::numeric, 6))),
       'properties', json_build_object('count', n)) ORDER BY cx, cy), '[]'::json))::text AS fc
     FROM (SELECT (floor(ST_X(r.geom) / ${cell}::float8) + 0.5) * ${cell}::float8 AS cx,
                  (floor(ST_Y(r.geom) / ${cell}::float8) + 0.5) * ${cell}::float8 AS cy, count(*)::int AS n
           ${FROM_SQL} ${clause} GROUP BY 1, 2) h`,
    p.values,
  );
  return row.fc;
}
