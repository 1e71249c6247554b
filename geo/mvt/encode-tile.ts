/**
 * Mapbox Vector Tile 2.1 encoder. The embedded PostGIS (PGlite) has no protobuf-c, so there the
 * database clips and projects geometries into tile pixels and this writes the protobuf that native
 * PostGIS would produce with ST_AsMVT.
 */
import type * as GeoJSON from 'geojson';
import { PbfWriter } from 'pbf';
import { geometryCommands } from './geometry-commands.js';

export type MvtValue = string | number | boolean;

export interface MvtFeature {
  id?: number;
  properties: Record<string, MvtValue | null | undefined>;
  /** In tile pixel coordinates (y down), already clipped. */
  geometry: GeoJSON.Geometry;
}

export interface MvtLayer {
  name: string;
  extent?: number;
  features: MvtFeature[];
}

interface EncodedFeature {
  id?: number;
  tags: number[];
  type: number;
  commands: number[];
}

interface EncodedLayer {
  name: string;
  extent: number;
  keys: string[];
  values: MvtValue[];
  features: EncodedFeature[];
}

/** Builds a layer's key and value tables (deduplicated) and each feature's tag pairs. */
function prepareLayer(layer: MvtLayer): EncodedLayer {
  const keys: string[] = [];
  const values: MvtValue[] = [];
  const keyIndex = new Map<string, number>();
  const valueIndex = new Map<string, number>();
  const features: EncodedFeature[] = [];
  for (const f of layer.features) {
    const geom = geometryCommands(f.geometry);
    if (!geom) continue;
    const tags: number[] = [];
    for (const [k, v] of Object.entries(f.properties)) {
      if (v === null || v === undefined) continue;
      if (typeof v === 'number' && !Number.isFinite(v)) continue;
      let ki = keyIndex.get(k);
      if (ki === undefined) {
        ki = keys.push(k) - 1;
        keyIndex.set(k, ki);
      }
      const vk = `${typeof v}:${String(v)}`;
      let vi = valueIndex.get(vk);
      if (vi === undefined) {
        vi = values.push(v) - 1;
        valueIndex.set(vk, vi);
      }
      tags.push(ki, vi);
    }
    features.push({ id: f.id, tags, type: geom.type, commands: geom.commands });
  }
  return { name: layer.name, extent: layer.extent ?? 4096, keys, values, features };
}

function writeValue(v: MvtValue, pbf: PbfWriter) {
  if (typeof v === 'string') {
    pbf.writeTag(1, 2);
    pbf.writeString(v);
  } else if (typeof v === 'boolean') {
    pbf.writeTag(7, 0);
    pbf.writeBoolean(v);
  } else if (Number.isSafeInteger(v)) {
    if (v >= 0) {
      pbf.writeTag(5, 0);
      pbf.writeVarint(v);
    } else {
      pbf.writeTag(6, 0);
      pbf.writeSVarint(v);
    }
  } else {
    pbf.writeTag(3, 1);
    pbf.writeDouble(v);
  }
}

function writeFeature(f: EncodedFeature, pbf: PbfWriter) {
  if (f.id !== undefined && Number.isSafeInteger(f.id) && f.id >= 0) {
    pbf.writeTag(1, 0);
    pbf.writeVarint(f.id);
  }
  pbf.writePackedVarint(2, f.tags);
  pbf.writeTag(3, 0);
  pbf.writeVarint(f.type);
  pbf.writePackedVarint(4, f.commands);
}

function writeLayer(layer: EncodedLayer, pbf: PbfWriter) {
  pbf.writeTag(15, 0);
  pbf.writeVarint(2);
  pbf.writeTag(1, 2);
  pbf.writeString(layer.name);
  for (const f of layer.features) pbf.writeMessage(2, writeFeature, f);
  for (const k of layer.keys) {
    pbf.writeTag(3, 2);
    pbf.writeString(k);
  }
  for (const v of layer.values) pbf.writeMessage(4, writeValue, v);
  pbf.writeTag(5, 0);
  pbf.writeVarint(layer.extent);
}

/** Encodes layers into one tile. Layers left with no feature are omitted; all empty → 0 bytes. */
export function encodeTile(layers: MvtLayer[]): Uint8Array {
  const prepared = layers.map(prepareLayer).filter((l) => l.features.length > 0);
  if (prepared.length === 0) return new Uint8Array(0);
  const pbf = new PbfWriter();
  for (const l of prepared) pbf.writeMessage(3, writeLayer, l);
  return pbf.finish();
}
