/**
 * Response shapes of the wall screen's endpoints (docs/api.md, "Wall screen"):
 * `GET /api/screen/summary` and `GET /api/screen/buildings/:code`.
 *
 * The one declaration of these shapes: server/repos/screen.repo.ts produces them and
 * web/http/screen-api.ts reads them. Types only, importing only other type-only modules, so the
 * web can `import type` it without any server code reaching the browser bundle.
 */
import type { BuildingUse } from '../../data/generate/types.js';
import type { BandStatus } from '../../geo/band.js';

/** `[west, south, east, north]`, rounded to 6 decimals. */
export type BBox = [number, number, number, number];

export interface ScreenCommunity {
  code: string;
  name: string;
  shortName: string;
  buildings: number;
  households: number;
  residents: number;
  partyMembers: number;
  partyCenters: number;
  bbox: BBox;
}

export interface ScreenGrid {
  code: string;
  name: string;
  communityCode: string;
  kind: 'basic' | 'dedicated';
  status: BandStatus;
  buildings: number;
  households: number;
  residents: number;
  partyMembers: number;
  partyCenters: number;
  /** Masked name (first character kept) and role; never a phone. */
  workers: { masked: string; role: 'full_time' | 'auxiliary' }[];
  bbox: BBox;
}

/** `GET /api/screen/summary`. */
export interface ScreenSummary {
  generatedAt: string;
  band: { lo: number; hi: number };
  street: { code: string; name: string } | null;
  communities: ScreenCommunity[];
  grids: ScreenGrid[];
  /** Facilities counted by community and category (grid counts: `GET /api/stats?grid=`). */
  facilities: { community: string | null; category: string; count: number }[];
  /**
   * Party members summed over square cells (~50 m; larger on streets of more than 5,000 buildings):
   * `[lng, lat, partyMembers]`, empty cells left out.
   */
  partyDensity: [number, number, number][];
  /** The cells' size in degrees of latitude. */
  partyDensityCellDeg: number;
}

/** `GET /api/screen/buildings/:code`. */
export interface ScreenBuilding {
  code: string;
  number: string;
  name: string | null;
  /** buildings.use, limited to these values by the table's CHECK. */
  use: BuildingUse;
  floors: number;
  units: number;
  households: number;
  residents: number;
  partyMembers: number;
  partyHouseholds: number;
  partyCenters: number;
  communityCode: string;
  gridCode: string | null;
  bbox: BBox;
}
