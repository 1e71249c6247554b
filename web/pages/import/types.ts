/** The answer of POST /api/import (dry run or write), as the page uses it. */
import type { FeatureCollection } from 'geojson';

export type ImportLayer = 'buildings' | 'households' | 'facilities' | 'compounds' | 'walk' | 'boundaries';
export const IMPORT_LAYERS: ImportLayer[] = ['buildings', 'households', 'facilities', 'compounds', 'walk', 'boundaries'];

export interface TargetField { key: string; zh: string; en: string; required: boolean }
/** `count`: one line for that many rows (rows in no community), `row` the first of `rows`. */
export interface RowError { row: number; field?: string; zh: string; en: string; count?: number; rows?: number[] }

export interface ImportResult {
  layer: ImportLayer;
  dryRun: boolean;
  written: boolean;
  format: string;
  encoding?: string;
  columns: string[];
  fields: TargetField[];
  mapping: Record<string, string>;
  mappingSource: 'request' | 'remembered' | 'suggested';
  crs: { used: string | null; label: string | null; prj?: { name: string; epsg: number | null }; guess: { crs: string | null; confirm: boolean; candidates: string[]; reason: { zh: string; en: string } } | null };
  counts: { records: number; valid: number; errors: number; warnings: number; inserts: number; updates: number; repaired: number; nodes?: number; skipped?: number; partial?: number };
  errors: RowError[];
  /** Optional values left empty or rounded (the rows are imported). */
  warnings: RowError[];
  repaired: Array<{ row: number; reason: string }>;
  skipped?: Array<{ osmId: string; zh: string; en: string; kept?: boolean; count?: number }>;
  /** Buildings/compounds in no community (also row errors; drawn with `outside: true` in the preview). */
  outside?: { count: number; rows: number[] };
  preview: FeatureCollection;
  boundaries?: BoundaryReport;
  ms: number;
}

/** Layer `boundaries` only (docs/api.md, *Boundaries*). */
export interface BoundaryReport {
  boundaries: Array<{ row: number; code: string; name: string; level: 'district' | 'street' | 'community'; status: 'new' | 'updated' | 'unchanged'; parent: string | null; parentBy: string | null; codeBy?: 'file' | 'assigned' | 'name' }>;
  counts: { new: number; updated: number; unchanged: number };
  membership: { moved: { count: number; codes: string[] }; orphaned: { count: number; codes: string[] }; planOutdated: boolean };
}

/** Systems offered in the picker; any other EPSG code can be typed (the API accepts every code epsg-index knows). */
export const CRS_CHOICES: Array<{ id: string; zh: string; en: string }> = [
  { id: 'EPSG:4326', zh: 'WGS84（GPS、天地图、OSM）', en: 'WGS84 (GPS, Tianditu, OSM)' },
  { id: 'EPSG:4490', zh: 'CGCS2000 经纬度', en: 'CGCS2000 lng/lat' },
  { id: 'GCJ02', zh: 'GCJ-02（高德、腾讯）', en: 'GCJ-02 (Amap, Tencent)' },
  { id: 'BD09', zh: 'BD-09（百度）', en: 'BD-09 (Baidu)' },
  ...Array.from({ length: 21 }, (_, i) => ({ id: `EPSG:${4513 + i}`, zh: `CGCS2000 3度带 第${25 + i}带`, en: `CGCS2000 3° GK zone ${25 + i}` })),
  ...Array.from({ length: 21 }, (_, i) => ({ id: `EPSG:${4534 + i}`, zh: `CGCS2000 3度带 中央经线${75 + 3 * i}°`, en: `CGCS2000 3° GK CM ${75 + 3 * i}E` })),
];
