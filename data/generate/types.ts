/**
 * The shape of a generated (or imported) street, independent of any database.
 * `data/generate/` produces it deterministically from a seed; `data/seed.ts` writes it to PostGIS.
 * Coordinates are WGS84 [lng, lat]; polygons are GeoJSON polygon coordinates (outer ring first,
 * closed rings).
 */
export type Position = [number, number];
export type PolygonCoords = Position[][];

export type BuildingUse = 'residential' | 'school' | 'market' | 'office' | 'hospital' | 'commercial' | 'public';
export type WalkEdgeKind = 'arterial' | 'secondary' | 'local' | 'footway' | 'path' | 'gate';
export type LifeCircleLevel = '5min' | '10min' | '15min' | 'block';

export interface StreetSpec { code: string; name: string; polygon: PolygonCoords }
export interface CommunitySpec { code: string; name: string; shortName: string; polygon: PolygonCoords }
export interface CompoundSpec {
  code: string; name: string; communityCode: string; gated: boolean; builtYear: number; polygon: PolygonCoords;
}
export interface BuildingSpec {
  code: string; communityCode: string; compoundCode: string | null;
  /** e.g. "5号楼" */
  number: string; name: string | null; use: BuildingUse;
  floors: number; units: number; households: number; residents: number; builtYear: number;
  footprint: PolygonCoords;
  /** Street-front shops in or at the building (issue #20's load); absent = 0. */
  shops?: number;
}
export interface HouseholdSpec {
  buildingCode: string; unit: number; room: string; size: number;
  partyMembers: number; isPartyCenter: boolean;
  /** e.g. 独居老人, 出租户, 空置, 低保户 */
  tags: string[];
  headName: string; headPhone: string;
}
export interface FacilityCategorySpec {
  code: string; name: string; nameEn: string; level: LifeCircleLevel; color: string; sort: number;
}
export interface FacilitySpec {
  code: string; name: string; category: string; communityCode: string | null; address: string; position: Position;
}
export interface WalkNodeSpec { id: number; position: Position }
export interface WalkEdgeSpec {
  source: number; target: number; kind: WalkEdgeKind; name: string | null; lengthM: number; line: Position[];
}
export interface GridWorkerSpec { name: string; phone: string; role: 'full_time' | 'auxiliary' }
export interface GridSpec {
  code: string; name: string; communityCode: string; kind: 'basic' | 'dedicated';
  dedicatedType: string | null; workers: GridWorkerSpec[];
  /** Every building of the community is in exactly one grid of the plan. */
  buildingCodes: string[];
}
export interface PlanSpec { name: string; grids: GridSpec[] }

export interface StreetDataset {
  seed: number;
  street: StreetSpec;
  communities: CommunitySpec[];
  compounds: CompoundSpec[];
  buildings: BuildingSpec[];
  households: HouseholdSpec[];
  categories: FacilityCategorySpec[];
  facilities: FacilitySpec[];
  walkNodes: WalkNodeSpec[];
  walkEdges: WalkEdgeSpec[];
  /** The published plan. Grid polygons are derived at seed time (Voronoi cells of the buildings). */
  plan: PlanSpec;
}
