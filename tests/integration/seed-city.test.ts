/**
 * Issue #15 part 5: a generated city seeded into an empty database — districts named, streets
 * under their districts and apart, every building inside its community, all rows written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCity } from '../../data/generate/city.js';
import { type CitySeedReport, seedCity } from '../../data/seed-city.js';
import { isolatedApp } from '../helpers/isolated-db.js';

let ctx: Awaited<ReturnType<typeof isolatedApp>>;
let report: CitySeedReport;
const city = generateCity({ districts: 2, streetsPerDistrict: 2, seed: 7, buildingsPerStreet: 120 });

beforeAll(async () => {
  ctx = await isolatedApp('city', { empty: true });
  report = await seedCity(ctx.db, city);
}, 300_000);
afterAll(async () => ctx?.close());

describe('seedCity', () => {
  it('writes the districts with their names and each street under its district', async () => {
    const rows = await ctx.db.query<{ street: string; district: string; name: string }>(
      `SELECT s.code AS street, d.code AS district, d.name FROM streets s JOIN districts d ON d.id = s.district_id ORDER BY s.code`,
    );
    expect(rows.map((r) => r.street)).toEqual(city.plan.map((s) => s.code));
    for (const r of rows) expect(r.street.startsWith(r.district)).toBe(true);
    expect([...new Set(rows.map((r) => r.name))]).toEqual(['芝罘区', '福山区']);
  });

  it('writes every building and household it reports, each building inside its community', async () => {
    const [n] = await ctx.db.query<{ b: number; h: number; outside: number; nodes: number }>(`
      SELECT (SELECT count(*) FROM buildings)::int AS b, (SELECT count(*) FROM households)::int AS h,
        (SELECT count(*) FROM buildings b JOIN communities c ON c.id = b.community_id
          WHERE NOT ST_Contains(c.geom, ST_PointOnSurface(b.geom)))::int AS outside,
        (SELECT count(*) FROM walk_nodes)::int AS nodes`);
    expect(report.streets).toBe(4);
    expect(n.b).toBe(report.buildings);
    expect(n.h).toBe(report.households);
    expect(n.outside).toBe(0);
    expect(n.nodes).toBeGreaterThan(0);
    expect(report.streetMs).toHaveLength(4);
  });

  it('lays the streets apart and gives each a published plan of its own', async () => {
    const [o] = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM streets a JOIN streets b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)`,
    );
    expect(o.n).toBe(0);
    const plans = await ctx.db.query<{ n: number }>(`SELECT count(DISTINCT street_id)::int AS n FROM grid_plans WHERE status = 'published'`);
    expect(plans[0].n).toBe(4);
    // Each street's seed derives its own grids' polygons (not every street's again): all are shaped.
    const [g] = await ctx.db.query<{ empty: number; total: number }>(
      `SELECT count(*) FILTER (WHERE ST_IsEmpty(geom))::int AS empty, count(*)::int AS total FROM grids`,
    );
    expect(g.total).toBeGreaterThan(4);
    expect(g.empty).toBe(0);
  });
});
