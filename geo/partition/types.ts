/** Input and output shapes of the grid partitioner (see index.ts for the algorithm). */
import type { Band } from '../band.js';

export type LngLat = [number, number];

export interface PartitionBuilding {
  id: string;
  households: number;
  residents: number;
  /** [lng, lat] */
  centroid: LngLat;
  /** GeoJSON polygon rings; optional, not needed by the algorithm (cells come from centroids). */
  footprint?: LngLat[][];
  /** Compound (小区) id; buildings of one compound stay in one grid whenever it fits the band. */
  compound: string | null;
  /** Workload (geo/party/load.ts); absent = its households. Balanced only with objective 'load'. */
  load?: number;
}

export interface LockedGrid {
  id: string;
  buildings: string[];
}

export interface PartitionInput {
  buildings: PartitionBuilding[];
  /** Community boundary, GeoJSON polygon rings [lng, lat] (outer ring first). */
  boundary: LngLat[][];
  /** Arterial roads, rivers, rail: polylines no grid may straddle. */
  barriers: LngLat[][];
  /** Grids that must not change (their buildings are fixed; dedicated grids are passed here too). */
  locked?: LockedGrid[];
  /** Current plan: building id → grid id (used by `rebalance`, and to name grids). */
  current?: Record<string, string>;
  band?: Band;
  mode?: 'fresh' | 'rebalance';
  seed?: number;
  /**
   * 'households' (default): band, contiguity, compactness. 'load': the same, then the spread of
   * grid load is lowered as a second objective, the band and contiguity staying hard (issue #20).
   */
  objective?: 'households' | 'load';
}

export interface PartitionOptions {
  /** Called with a fraction 0…1 and a stage name. */
  onProgress?: (fraction: number, stage: string) => void;
  /** Polled between stages and inside loops; when it returns true the run stops with PartitionCancelled. */
  shouldCancel?: () => boolean;
}

export type Infeasibility =
  | { kind: 'building_over_hi'; buildings: string[]; households: number }
  | { kind: 'pocket_under_lo'; buildings: string[]; households: number }
  | { kind: 'pocket_between_bands'; buildings: string[]; households: number }
  | { kind: 'no_band_split_found'; buildings: string[]; households: number };

export interface ResultGrid {
  id: string;
  buildings: string[];
  households: number;
  residents: number;
  status: 'under' | 'in' | 'over';
  locked: boolean;
  contiguous: boolean;
  /** 4πA/P² of the union of the grid's Voronoi cells (1 = disc). */
  polsbyPopper: number;
  /** Σ load of its buildings (each building's load, else its households). */
  load: number;
}

export interface PartitionResult {
  grids: ResultGrid[];
  /** Building id → grid id, every building exactly once. */
  assignment: Record<string, string>;
  infeasible: Infeasibility[];
  stats: {
    grids: number;
    inBand: number;
    inBandShare: number;
    contiguous: boolean;
    meanPolsbyPopper: number;
    worstPolsbyPopper: number;
    /** Buildings whose grid differs from `current` (rebalance), else 0 for fresh. */
    moved: number;
  };
}

export class PartitionCancelled extends Error {
  constructor() {
    super('partition cancelled');
    this.name = 'PartitionCancelled';
  }
}
