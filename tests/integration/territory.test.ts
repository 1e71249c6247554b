/**
 * Issue #15: two streets of two districts in one database. `GET /api/territory` lists both, and a
 * street-wide request without `?street=` is refused with 400 street_required.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreetDataset } from '../../data/generate/types.js';
import { isolatedApp } from '../helpers/isolated-db.js';
import { SECOND_STREET, seedSecondStreet } from '../helpers/second-street.js';
import type { TerritoryDistrict } from '../../server/repos/territory.repo.js';

let t: Awaited<ReturnType<typeof isolatedApp>>;
let first: StreetDataset;
let second: StreetDataset;

beforeAll(async () => {
  t = await isolatedApp('territory');
  first = t.dataset;
  second = (await seedSecondStreet(t.db)).dataset;
});
afterAll(async () => t?.close());

describe('GET /api/territory', () => {
  it('lists both districts with their streets, extents and counts matching SQL', async () => {
    const res = await t.app.request('/api/territory');
    expect(res.status).toBe(200);
    const { districts } = (await res.json()) as { districts: TerritoryDistrict[] };
    expect(districts.map((d) => d.code)).toEqual([first.street.code.slice(0, 6), SECOND_STREET.district]);
    expect(districts[1].name).toBe(SECOND_STREET.districtName);
    for (const [d, ds] of [[districts[0], first], [districts[1], second]] as const) {
      expect(d.streets).toHaveLength(1);
      const s = d.streets[0];
      const [sql] = await t.db.query<{ communities: number; buildings: number; households: number }>(
        `SELECT (SELECT count(*) FROM communities c JOIN streets s ON s.id = c.street_id WHERE s.code = $1)::int AS communities,
           count(*)::int AS buildings, sum(b.households)::int AS households
         FROM buildings b JOIN communities c ON c.id = b.community_id JOIN streets s ON s.id = c.street_id WHERE s.code = $1`,
        [ds.street.code],
      );
      expect(s).toMatchObject({ code: ds.street.code, name: ds.street.name, ...sql });
      expect(s.communities).toBe(ds.communities.length);
      expect(s.bbox).toHaveLength(4);
    }
    // The second street lies 0.05° east of the first.
    expect(districts[1].streets[0].bbox![0]).toBeCloseTo(districts[0].streets[0].bbox![0] + 0.05, 5);
  });

  it('refuses a street-wide request without ?street= (400 street_required), and bad codes', async () => {
    const res = await t.app.request('/api/config');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('street_required');
    expect(body.error.message).toMatch(/GET \/api\/territory/);
    expect((await t.app.request('/api/config?street=12345')).status).toBe(400);
    const unknown = await t.app.request('/api/config?street=370613999');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('street_not_found');
    // A district with one street picks it.
    const byDistrict = await t.app.request(`/api/config?district=${SECOND_STREET.district}`);
    expect(((await byDistrict.json()) as { street: { code: string } }).street.code).toBe(SECOND_STREET.code);
  });
});
