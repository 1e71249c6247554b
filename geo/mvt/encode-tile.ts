/**
 * Mapbox Vector Tile 2.1 encoder. The embedded PostGIS (PGlite) has no protobuf-c, so there the
 * database clips and projects geometries into tile pixels and this writes the protobuf that native
 * PostGIS would produce with ST_AsMVT. Geometry rules live in geometry-commands.ts.
 *
 * Wire layout (vector_tile.proto 2.1): Tile.layers = 3; Layer.version = 15, name = 1,
 * features = 2, keys = 3, values = 4, extent = 5; Feature.id = 1, tags = 2 (packed),
 * type = 3, geometry = 4 (packed); Value.string = 1, double = 3, uint = 5, sint = 6, bool = 7.
 */
import type * as GeoJSON from 'geojson';
import { PbfWriter } from 'pbf';
import { geometryCommands, type MvtGeomType } from './geometry-commands.js';

/** A property value MVT can carry. */
export type MvtValue = string | number | boolean;

/** One feature to encode. */
export interface MvtFeature {
  /** Feature id; must be a non-negative safe integer (the spec's id is a uint64). */
  id?: number;
  /** null/undefined values are omitted, as ST_AsMVT omits NULL columns. */
  properties: Record<string, MvtValue | null | undefined>;
  /** In tile pixel coordinates (y down), already clipped and snapped to integers. */
  geometry: GeoJSON.Geometry;
}

/** One named layer of a tile. */
export interface MvtLayer {
  name: string;
  /** Tile extent in pixels; 4096 by default, as ST_AsMVT. */
  extent?: number;
  features: MvtFeature[];
}

/** Default layer extent, as PostGIS ST_AsMVT/ST_AsMVTGeom. */
export const DEFAULT_EXTENT = 4096;

const MVT_VERSION = 2;
const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;

interface EncodedFeature {
  id?: number;
  tags: number[];
  type: MvtGeomType;
  commands: number[];
}

interface EncodedLayer {
  name: string;
  extent: number;
  keys: string[];
  values: MvtValue[];
  features: EncodedFeature[];
}

/**
 * A deduplicating lookup table: each distinct entry is stored once and features refer to it by
 * index, which is what keeps a tile of 1,000 similar features small.
 */
class Table<T> {
  readonly items: T[] = [];
  private readonly index = new Map<string, number>();

  indexOf(item: T, key: string): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.items.push(item) - 1;
      this.index.set(key, i);
    }
    return i;
  }
}

/** Identity of a value in the value table: type and value, so 1 and '1' and true stay apart. */
function valueKey(v: MvtValue): string {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? `i:${v}` : `d:${v}`; // -0 → 'i:0'
  return `${typeof v === 'string' ? 's' : 'b'}:${String(v)}`;
}

function checkValue(layer: string, key: string, v: unknown): asserts v is MvtValue {
  if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
    throw new TypeError(`MVT layer "${layer}": property "${key}" has unsupported type ${typeof v}`);
  }
}

/** Builds a layer's key and value tables (deduplicated) and each feature's tag pairs. */
function prepareLayer(layer: MvtLayer): EncodedLayer {
  const extent = layer.extent ?? DEFAULT_EXTENT;
  if (!Number.isSafeInteger(extent) || extent <= 0) {
    throw new RangeError(`MVT layer "${layer.name}": extent must be a positive integer, got ${extent}`);
  }
  const keys = new Table<string>();
  const values = new Table<MvtValue>();
  const features: EncodedFeature[] = [];
  for (const f of layer.features) {
    if (f.id !== undefined && !(Number.isSafeInteger(f.id) && f.id >= 0)) {
      throw new RangeError(`MVT layer "${layer.name}": feature id must be a non-negative integer, got ${String(f.id)}`);
    }
    const geom = geometryCommands(f.geometry);
    if (!geom) continue;
    const tags: number[] = [];
    for (const [k, v] of Object.entries(f.properties ?? {})) {
      if (v === null || v === undefined) continue;
      checkValue(layer.name, k, v);
      tags.push(keys.indexOf(k, k), values.indexOf(v, valueKey(v)));
    }
    features.push({ id: f.id, tags, type: geom.type, commands: geom.commands });
  }
  return { name: layer.name, extent, keys: keys.items, values: values.items, features };
}

/** Strings, booleans, uint for non-negative safe integers, sint for negative ones, else double. */
function writeValue(v: MvtValue, pbf: PbfWriter) {
  if (typeof v === 'string') {
    pbf.writeTag(1, WIRE_BYTES);
    pbf.writeString(v);
  } else if (typeof v === 'boolean') {
    pbf.writeTag(7, WIRE_VARINT);
    pbf.writeBoolean(v);
  } else if (Number.isSafeInteger(v)) {
    if (v >= 0) {
      pbf.writeTag(5, WIRE_VARINT);
      pbf.writeVarint(v);
    } else {
      pbf.writeTag(6, WIRE_VARINT);
      pbf.writeSVarint(v);
    }
  } else {
    pbf.writeTag(3, WIRE_FIXED64);
    pbf.writeDouble(v);
  }
}

function writeFeature(f: EncodedFeature, pbf: PbfWriter) {
  if (f.id !== undefined) {
    pbf.writeTag(1, WIRE_VARINT);
    pbf.writeVarint(f.id);
  }
  pbf.writePackedVarint(2, f.tags);
  pbf.writeTag(3, WIRE_VARINT);
  pbf.writeVarint(f.type);
  pbf.writePackedVarint(4, f.commands);
}

function writeLayer(layer: EncodedLayer, pbf: PbfWriter) {
  pbf.writeTag(15, WIRE_VARINT);
  pbf.writeVarint(MVT_VERSION);
  pbf.writeTag(1, WIRE_BYTES);
  pbf.writeString(layer.name);
  for (const f of layer.features) pbf.writeMessage(2, writeFeature, f);
  for (const k of layer.keys) {
    pbf.writeTag(3, WIRE_BYTES);
    pbf.writeString(k);
  }
  for (const v of layer.values) pbf.writeMessage(4, writeValue, v);
  pbf.writeTag(5, WIRE_VARINT);
  pbf.writeVarint(layer.extent);
}

/**
 * Encodes layers into one MVT 2.1 tile. Features whose geometry is empty after cleaning are
 * dropped; layers left with no feature are omitted; when nothing is left the result is an empty
 * Uint8Array (length 0), which the tile endpoint answers with 204.
 *
 * @throws Error when two layers share a name (the spec forbids it; decoders keep only one).
 * @throws RangeError for a bad extent, feature id or out-of-range coordinate; TypeError for a
 *   property value that is not a string, number or boolean.
 */
export function encodeTile(layers: MvtLayer[]): Uint8Array {
  const names = new Set<string>();
  for (const l of layers) {
    if (names.has(l.name)) throw new Error(`MVT: duplicate layer name "${l.name}"`);
    names.add(l.name);
  }
  const prepared = layers.map(prepareLayer).filter((l) => l.features.length > 0);
  if (prepared.length === 0) return new Uint8Array(0);
  const pbf = new PbfWriter();
  for (const l of prepared) pbf.writeMessage(3, writeLayer, l);
  return pbf.finish();
}
