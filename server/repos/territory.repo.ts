/**
 * The administrative hierarchy as the API lists it (issue #15): districts → streets with their
 * extent and counts. Public aggregates only (no personal data).
 */
import type { Sql } from '../db/client.js';
import type { TerritoryDistrict, TerritoryStreet } from '../api/territory-types.js';
import { dataVersion, derivedFigure } from './derived-figures.repo.js';

export type { TerritoryDistrict, TerritoryStreet } from '../api/territory-types.js';

type StreetRow = TerritoryStreet & { districtCode: string | null; districtName: string | null };

/**
 * Every street with its district, extent and counts: a pass over every building of the database
 * (seconds in a city of a million), so kept in derived_figures under the data version — a restarted
 * server, and every caller's view of it, read it back.
 */
export function allTerritoryStreets(db: Sql): Promise<StreetRow[]> {
  return dataVersion(db).then((version) => derivedFigure(db, 'territory', version, () => db.query<StreetRow>(
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
     ORDER BY d.code NULLS LAST, s.code`,
  ).then((rows) => [...rows])));
}

/**
 * Districts and their streets, limited to `streetCodes` (null: all). Districts without a street
 * in view are left out; streets without a district come last under `{code: null, name: null}`.
 */
export async function listTerritory(db: Sql, streetCodes: readonly string[] | null): Promise<{ districts: TerritoryDistrict[] }> {
  const wanted = streetCodes && new Set(streetCodes);
  const rows = (await allTerritoryStreets(db)).filter((s) => !wanted || wanted.has(s.code));
  const districts: TerritoryDistrict[] = [];
  for (const { districtCode, districtName, ...street } of rows) {
    let d = districts[districts.length - 1];
    if (!d || d.code !== districtCode) districts.push((d = { code: districtCode, name: districtName, streets: [] }));
    d.streets.push(street);
  }
  return { districts };
}
