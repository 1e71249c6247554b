/**
 * `GET /api/territory` (issue #15): the districts and streets a caller may see, with extents and
 * counts. Types only — declared once here for the server (repos/territory.repo.ts) and the web
 * app (web/http/territory.ts), erased from the bundle.
 */
export type TerritoryBBox = [number, number, number, number];

export interface TerritoryStreet {
  code: string;
  name: string;
  bbox: TerritoryBBox | null;
  communities: number;
  buildings: number;
  households: number;
}

export interface TerritoryDistrict {
  /** null: the streets that belong to no district. */
  code: string | null;
  name: string | null;
  streets: TerritoryStreet[];
}

export interface Territory {
  districts: TerritoryDistrict[];
}
