/**
 * Shapes shared by the importers: a file is read into records (properties + an optional GeoJSON
 * geometry in the file's own coordinates), then mapped to the rows of one target layer.
 */
import type { Geometry } from 'geojson';

export const IMPORT_LAYERS = ['buildings', 'households', 'facilities', 'compounds', 'walk', 'boundaries'] as const;
export type ImportLayer = (typeof IMPORT_LAYERS)[number];

export type FileFormat = 'geojson' | 'shapefile' | 'csv' | 'xlsx' | 'osm' | 'osm-pbf';

/** One record of the source file. `row` is 1-based as the user sees it (a CSV's header is row 1). */
export interface SourceRecord {
  row: number;
  props: Record<string, unknown>;
  geometry: Geometry | null;
}

export interface ParsedFile {
  format: FileFormat;
  /** Text encoding found for CSV/shapefile attributes ('utf-8' | 'gb18030'), when it applies. */
  encoding?: string;
  /** Column names in file order. */
  columns: string[];
  records: SourceRecord[];
  /** CRS the file declares (GeoJSON `crs`; a shapefile .prj: `EPSG:<n>` when it matches one, else `prj`), if any. */
  declaredCrs?: string;
  /** A shapefile's .prj text, as the file gives it. */
  prj?: string;
  /** OSM only: ways classified for the walk network (source records carry tags). */
  sourceHint?: 'osm';
  /**
   * OSM only: objects of the layer's kind that could not become records (e.g. an open multipolygon
   * ring), with why; `kept: true` for a multipolygon imported without the parts the extract lacks.
   */
  skipped?: Array<{ osmId: string; zh: string; en: string; kept?: boolean; count?: number }>;
}

export interface RowError {
  row: number;
  /** A column or 'geometry'. */
  field?: string;
  zh: string;
  en: string;
  /**
   * One line for many rows of the same kind (rows in no community): how many, and which (`row` is
   * the first; `rows` the first 1000). Counted as `count` rows in `counts.errors` / `counts.warnings`.
   */
  count?: number;
  rows?: number[];
}

/** Column mapping: target field → source column name. */
export type ColumnMapping = Record<string, string>;
