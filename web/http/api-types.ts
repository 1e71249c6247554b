/**
 * Types of what the GridAtlas HTTP API returns (see docs/api.md).
 * Kept in one place so every panel and map layer reads the same shape, and a contract change
 * shows up as a compile error rather than a blank map.
 *
 * (The folder is `web/http/`, not `web/api/`: in `vite` dev mode source files are served by path,
 * and `/api/…` is proxied to the API server.)
 */
import type { FeatureCollection, LineString, MultiPolygon, Point, Polygon } from 'geojson';

/** Band status of a grid: basic grids are under/in/over the 300–400-household band. */
export type BandStatus = 'under' | 'in' | 'over' | 'dedicated';

export type RoadKind = 'arterial' | 'secondary' | 'local' | 'footway' | 'path' | 'gate';

export type BuildingUse = 'residential' | 'school' | 'market' | 'office' | 'hospital' | 'commercial' | 'public';

export type LayerName = 'communities' | 'compounds' | 'grids' | 'buildings' | 'households' | 'facilities' | 'roads';

/** Every layer the map page loads, in load order. */
export const LAYER_NAMES: readonly LayerName[] = [
  'communities',
  'compounds',
  'grids',
  'roads',
  'buildings',
  'households',
  'facilities',
];

type Area = MultiPolygon | Polygon;

export interface CommunityProps {
  code: string;
  name: string;
  shortName: string;
  buildings: number;
  households: number;
  residents: number;
  grids: number;
}

export interface CompoundProps {
  code: string;
  name: string;
  communityCode: string;
  gated: boolean;
  buildings: number;
  households: number;
}

export interface GridProps {
  code: string;
  name: string;
  communityCode: string;
  communityName: string;
  kind: 'basic' | 'dedicated';
  dedicatedType: string | null;
  planId: number;
  buildings: number;
  households: number;
  residents: number;
  partyMembers: number;
  partyCenters: number;
  workers: number;
  status: BandStatus;
}

export interface BuildingProps {
  code: string;
  number: string;
  name: string | null;
  use: BuildingUse;
  floors: number;
  heightM: number;
  units: number;
  households: number;
  residents: number;
  communityCode: string;
  compoundCode: string | null;
  gridCode: string | null;
}

/** Per-building aggregate: no personal fields, only counts. */
export interface HouseholdAggregateProps {
  buildingCode: string;
  households: number;
  residents: number;
  partyHouseholds: number;
  partyMembers: number;
  partyCenters: number;
  elderlyAlone: number;
  rental: number;
}

export interface FacilityProps {
  code: string;
  name: string;
  category: string;
  categoryName: string;
  level: string;
  color: string;
  communityCode: string | null;
  address: string;
}

export interface RoadProps {
  kind: RoadKind;
  name: string | null;
  lengthM: number;
}

export interface LayerPropsMap {
  communities: CommunityProps;
  compounds: CompoundProps;
  grids: GridProps;
  buildings: BuildingProps;
  households: HouseholdAggregateProps;
  facilities: FacilityProps;
  roads: RoadProps;
}

export interface LayerGeometryMap {
  communities: Area;
  compounds: Area;
  grids: Area;
  buildings: Area;
  households: Point;
  facilities: Point;
  roads: LineString;
}

export type LayerCollection<L extends LayerName> = FeatureCollection<LayerGeometryMap[L], LayerPropsMap[L]>;

export type LayerData = { [L in LayerName]: LayerCollection<L> };

export interface FacilityCategory {
  code: string;
  name: string;
  nameEn: string;
  level: string;
  color: string;
  sort: number;
  count: number;
}

export interface Stats {
  scope: { community: string | null; grid: string | null };
  communities: number;
  compounds: number;
  buildings: number;
  households: number;
  residents: number;
  partyMembers: number;
  partyHouseholds: number;
  partyCenters: number;
  grids: { total: number; basic: number; dedicated: number; under: number; in: number; over: number };
  facilities: { total: number; byCategory: { code: string; name: string; count: number }[] };
  planId: number;
}

/** `GET /api/config`: deployment settings the page needs. All fields optional for older servers. */
export interface AppConfig {
  basemap: { url: string; attribution: string } | null;
  street?: { code: string; name: string } | null;
  /** Buildings in the database (absent from servers older than this field). */
  buildings?: number;
  /** The street's extent [west, south, east, north] (null: no data yet; absent from older servers). */
  bbox?: [number, number, number, number] | null;
}
