/**
 * Response shape of the district wall screen's endpoint (docs/api.md, "District wall screen"):
 * `GET /api/screen/district`. Types only, so the web can `import type` it (see screen-types.ts).
 */
import type { BBox } from './screen-types.js';

/** One street of a district, with the figures its tile on the district screen shows. */
export interface DistrictStreet {
  code: string;
  name: string;
  communities: number;
  buildings: number;
  households: number;
  residents: number;
  /** Grids of the street's published plan (basic and dedicated). */
  grids: number;
  /** Basic grids below the band's low end (under 300 households by default). */
  underGrids: number;
  /** Basic grids above the band's high end (over 400 households by default). */
  overGrids: number;
  /** Basic grids inside the band. */
  inBandGrids: number;
  /** Share of basic grids inside the band (0–1); null when the street has no basic grid. */
  inBandShare: number | null;
  /** Resident requests not yet resolved (reported, dispatched, accepted). */
  openRequests: number;
  /** Open requests past their due time. */
  overdueRequests: number;
  /**
   * Share of households with every required category within the 10-minute walk, from the figure
   * the street screen last stored (null when none is stored yet: it is never computed here).
   */
  lifeCircleShare: number | null;
  bbox: BBox | null;
  /** The street's outline, simplified (~20 m), as GeoJSON geometry; null when it has none. */
  outline: GeoJSON.MultiPolygon | GeoJSON.Polygon | null;
}

/** One district with its streets, in code order. */
export interface DistrictScreenDistrict {
  /** The district's code (a street without a district row: its code's first 6 digits). */
  code: string | null;
  /** null when no district row names it. */
  name: string | null;
  streets: DistrictStreet[];
  bbox: BBox | null;
}

/** `GET /api/screen/district[?district=<6-digit>]`. */
export interface DistrictScreen {
  generatedAt: string;
  band: { lo: number; hi: number };
  districts: DistrictScreenDistrict[];
}
