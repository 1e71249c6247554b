/**
 * The administrative hierarchy as the API lists it (issue #15): districts → streets with their
 * extent and counts. Public aggregates only (no personal data).
 */
import type { Sql } from '../db/client.js';
import type { TerritoryDistrict, TerritoryStreet } from '../api/territory-types.js';

export type { TerritoryDistrict, TerritoryStreet } from '../api/territory-types.js';

/**
 * Districts and their streets, limited to `streetCodes` (null: all). Districts without a street
 * in view are left out; streets without a district come last under `{code: null, name: null}`.
 */
export async function listTerritory(db: Sql, streetCodes: readonly string[] | null): Promise<{ districts: TerritoryDistrict[] }> {
  const rows = await db.query<TerritoryStreet & { districtCode: string | null; districtName: string | null }>(
    `SELECT d.code AS "districtCode", d.name AS "districtName", s.code, s.name,
       CASE WHEN e IS NULL THEN NULL ELSE json_build_array(round(ST_XMin(e)::numeric, 6)::float8, round(ST_YMin(e)::numeric, 6)::float8,
         round(ST_XMax(e)::numeric, 6)::float8, round(ST_YMax(e)::numeric, 6)::float8) END AS bbox,
       coalesce(cs.communities, 0)::int AS communities, coalesce(bs.buildings, 0)::int AS buildings,
       coalesce(bs.households, 0)::int AS households
     FROM streets s LEFT JOIN districts d ON d.id = s.district_id
     LEFT JOIN LATERAL (SELECT count(*) AS communities, ST_Extent(c.geom) AS ce FROM communities c WHERE c.street_id = s.id) cs ON true
     LEFT JOIN LATERAL (SELECT count(*) AS buildings, sum(b.households) AS households
                        FROM buildings b JOIN communities c ON c.id = b.community_id WHERE c.street_id = s.id) bs ON true
     CROSS JOIN LATERAL (SELECT coalesce(ST_Envelope(s.geom)::box2d, cs.ce) AS e) x
     WHERE $1::text[] IS NULL OR s.code = ANY($1::text[])
     ORDER BY d.code NULLS LAST, s.code`,
    [streetCodes],
  );
  const districts: TerritoryDistrict[] = [];
  for (const { districtCode, districtName, ...street } of rows) {
    let d = districts[districts.length - 1];
    if (!d || d.code !== districtCode) districts.push((d = { code: districtCode, name: districtName, streets: [] }));
    d.streets.push(street);
  }
  return { districts };
}
