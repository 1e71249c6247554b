/** Typed calls of the life-circle API (issue #6) for the /life page. */
import { getJson, query, sendJson, withStreet } from '../../http/api-client';
import { isochroneFromLines, type IsochroneLinesReply } from './isochrone-lines';

export interface ReachedFacility { code: string; name: string; distanceM: number; minutes: number; band: number | null; position: [number, number] }
export interface CategoryGroup { category: string; name: string; nameEn: string; color: string; facilities: ReachedFacility[] }
export interface IsochroneReply {
  type: 'FeatureCollection';
  start: { position: [number, number]; snapped: [number, number]; snapDistanceM: number };
  speedMPerMin: number;
  features: GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon, { minutes: number; distanceM: number; networkM: number }>[];
  facilities: { count: number; byCategory: CategoryGroup[] };
}
export interface NearestReply {
  results: { code: string; name: string; distanceM: number; minutes: number; position: [number, number]; route: GeoJSON.LineString }[];
}
export interface Aggregate { key: string; name: string; buildings: number; households: number; coveredHouseholds: number; share: number; uncoveredBuildings: number }
export interface CoverageReply {
  level: number; distanceM: number; minutes: number; categories: string[]; ms: number;
  buildings: { code: string; covered: boolean; households: number; routed: boolean }[];
  totals: Omit<Aggregate, 'key' | 'name'>;
  byCategory: Aggregate[]; byCommunity: Aggregate[]; byGrid: Aggregate[];
}
export interface SitesReply {
  before: { share: number };
  sites: { rank: number; position: [number, number]; gainHouseholds: number; gainBuildings: number; shareAfter: number; buildings: string[] }[];
}
export interface Standard { speedMPerMin: number; levels: { level: number; name: string; nameEn: string; minutes: number; distanceM: number; categories: string[] }[] }

/** The bands and facilities from a point: the compact lines answer, drawn into polygons here (isochrone-lines.ts). */
export const fetchIsochrone = async (lng: number, lat: number, signal?: AbortSignal): Promise<IsochroneReply> =>
  isochroneFromLines(await getJson<IsochroneLinesReply>(`/api/isochrone${query({ lng: String(lng), lat: String(lat), minutes: '5,10,15', geometry: 'lines' })}`, signal));

export const fetchNearestRoute = (lng: number, lat: number, category: string, k = 1) =>
  getJson<NearestReply>(`/api/nearest${query({ lng: String(lng), lat: String(lat), category, k: String(k) })}`);

export const fetchCoverage = (level: number, category?: string, community?: string, signal?: AbortSignal) =>
  getJson<CoverageReply>(`/api/coverage${query({ level: String(level), category, community })}`, signal);

export const coverageExportUrl = (format: 'csv' | 'xlsx' | 'geojson', level: number, category?: string, community?: string) =>
  withStreet(`/api/coverage${query({ level: String(level), category, community, format })}`);

export const proposeSites = (category: string, level: number, k: number) =>
  sendJson<SitesReply>('POST', '/api/coverage/sites', { category, level, k });

export const fetchStandard = () => getJson<Standard>('/api/life-circle/standard');
