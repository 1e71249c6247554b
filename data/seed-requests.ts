/**
 * Seeds a year of demo resident requests (data/generate/requests.ts) into a street that has a
 * published plan, in one transaction. Separate from seedStreet so databases seeded before the
 * requests table existed get them on their next start (server/main.ts calls ensureDemoRequests).
 */
import type { Database, Sql } from '../server/db/client.js';
import { publishedPlanSql } from '../server/repos/sql-params.js';
import { REQUEST_CATEGORIES } from '../server/requests/categories.js';
import { type DemoRequest, type RequestBuilding, generateRequests } from './generate/requests.js';

const CHUNK = 2000;

export async function requestBuildings(db: Sql): Promise<RequestBuilding[]> {
  return db.query<RequestBuilding>(
    `SELECT b.code, b.number, ST_X(b.centroid) AS lon, ST_Y(b.centroid) AS lat, b.households,
            c.code AS "communityCode", g.code AS "gridCode"
     FROM buildings b JOIN communities c ON c.id = b.community_id
     LEFT JOIN building_grid bg ON bg.building_id = b.id AND bg.plan_id = ${publishedPlanSql('c.street_id')}
     LEFT JOIN grids g ON g.id = bg.grid_id
     ORDER BY b.code`,
  );
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Inserts generated requests and their events (ids continue after the current maximum). */
export async function insertDemoRequests(tx: Sql, reqs: DemoRequest[]): Promise<void> {
  const [{ base }] = await tx.query<{ base: number }>('SELECT COALESCE(max(id), 0)::int AS base FROM requests');
  const rows = reqs.map((r, i) => ({
    id: base + i + 1, category: r.category, description: r.description, channel: r.channel, lon: r.lon, lat: r.lat,
    building: r.buildingCode, community: r.communityCode, grid: r.gridCode, status: r.status, level: r.level,
    assigneeKind: r.assigneeKind, assignee: r.assignee, rating: r.rating, reportedBy: r.reportedBy,
    reportedAt: iso(r.reportedAt), dueAt: iso(r.dueAt), resolvedAt: iso(r.resolvedAt), closedAt: iso(r.closedAt),
    updatedAt: iso(r.events[r.events.length - 1].at),
  }));
  for (let i = 0; i < rows.length; i += CHUNK) {
    await tx.query(
      `INSERT INTO requests (id, category, description, channel, geom, building_id, community_id, grid_code, status, level,
         assignee_kind, assignee, rating, reported_by, reported_at, due_at, resolved_at, closed_at, updated_at)
       SELECT r.id, r.category, r.description, r.channel, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326), b.id, c.id, r.grid,
         r.status, r.level, r."assigneeKind", r.assignee, r.rating, r."reportedBy", r."reportedAt", r."dueAt",
         r."resolvedAt", r."closedAt", r."updatedAt"
       FROM json_to_recordset($1::json) AS r(id int, category text, description text, channel text, lon float8, lat float8,
         building text, community text, grid text, status text, level text, "assigneeKind" text, assignee text, rating int,
         "reportedBy" text, "reportedAt" timestamptz, "dueAt" timestamptz, "resolvedAt" timestamptz, "closedAt" timestamptz,
         "updatedAt" timestamptz)
       LEFT JOIN buildings b ON b.code = r.building LEFT JOIN communities c ON c.code = r.community`,
      [JSON.stringify(rows.slice(i, i + CHUNK))],
    );
  }
  const events = reqs.flatMap((r, i) =>
    r.events.map((e) => ({ request: base + i + 1, at: iso(e.at), actor: e.actor, step: e.step, from: e.from, to: e.to, note: e.note, detail: e.detail })),
  );
  for (let i = 0; i < events.length; i += CHUNK * 4) {
    await tx.query(
      `INSERT INTO request_events (request_id, at, actor, step, from_status, to_status, note, detail)
       SELECT r.request, r.at, r.actor, r.step, r."from", r."to", r.note, COALESCE(r.detail, '{}'::jsonb)
       FROM json_to_recordset($1::json) AS r(request int, at timestamptz, actor text, step text, "from" text, "to" text, note text, detail jsonb)`,
      [JSON.stringify(events.slice(i, i + CHUNK * 4))],
    );
  }
  await tx.query(`SELECT setval(pg_get_serial_sequence('requests', 'id'), GREATEST((SELECT max(id) FROM requests), 1))`);
}

/** Generates and inserts a year of demo requests ending at `endMs`; returns how many. */
export async function seedDemoRequests(tx: Sql, opts: { seed: number; endMs: number }): Promise<number> {
  const buildings = await requestBuildings(tx);
  const reqs = generateRequests(buildings, REQUEST_CATEGORIES, opts);
  await insertDemoRequests(tx, reqs);
  return reqs.length;
}

/** On start: seeds demo requests once, when the street has a published plan and no request yet. */
export async function ensureDemoRequests(db: Database, opts: { seed: number; log?: (m: string) => void }): Promise<boolean> {
  const [{ n, plans }] = await db.query<{ n: number; plans: number }>(
    `SELECT (SELECT count(*)::int FROM requests) AS n, (SELECT count(*)::int FROM grid_plans WHERE status = 'published') AS plans`,
  );
  if (n > 0 || plans === 0) return false;
  const t0 = Date.now();
  const count = await db.transaction((tx) => seedDemoRequests(tx, { seed: opts.seed, endMs: Date.now() }));
  opts.log?.(`seeded ${count} demo resident requests in ${Date.now() - t0} ms`);
  return true;
}
