/**
 * A small OpenStreetMap PBF writer (the inverse of data/import/osm-pbf.ts) for sample files,
 * tests and benchmarks: an OSMHeader blob requiring OsmSchema-V0.6 and DenseNodes, then OSMData
 * blocks of at most 8000 entities each (DenseNodes, ways, relations in that order), zlib
 * compressed, granularity 100 (1e-7°) and no offsets — what osmium writes by default, minus
 * the metadata (versions, timestamps) GridAtlas does not read.
 */
import { deflateSync } from 'node:zlib';
import { PbfWriter } from 'pbf';
import type { OsmData, OsmNode, OsmRelation, OsmWay } from '../import/osm-xml.js';

const PER_BLOCK = 8000;
const MEMBER_TYPE = { node: 0, way: 1, relation: 2 } as const;

class StringTable {
  readonly list = [''];
  private readonly index = new Map<string, number>([['', 0]]);
  id(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

const deltas = (values: number[]) => values.map((v, i) => v - (i === 0 ? 0 : values[i - 1]));
const units = (deg: number) => Math.round(deg * 1e7);

function frame(type: 'OSMHeader' | 'OSMData', block: Uint8Array): Uint8Array {
  const blob = new PbfWriter();
  blob.writeVarintField(2, block.length);
  blob.writeBytesField(3, deflateSync(block));
  const blobBytes = blob.finish();
  const header = new PbfWriter();
  header.writeStringField(1, type);
  header.writeVarintField(3, blobBytes.length);
  const headerBytes = header.finish();
  const out = new Uint8Array(4 + headerBytes.length + blobBytes.length);
  new DataView(out.buffer).setUint32(0, headerBytes.length);
  out.set(headerBytes, 4);
  out.set(blobBytes, 4 + headerBytes.length);
  return out;
}

function headerBlock(): Uint8Array {
  const pbf = new PbfWriter();
  pbf.writeStringField(4, 'OsmSchema-V0.6');
  pbf.writeStringField(4, 'DenseNodes');
  pbf.writeStringField(16, 'GridAtlas');
  return pbf.finish();
}

function keysVals(tags: Record<string, string>, st: StringTable): [number[], number[]] {
  const entries = Object.entries(tags);
  return [entries.map(([k]) => st.id(k)), entries.map(([, v]) => st.id(v))];
}

function primitiveBlock(fill: (group: PbfWriter, st: StringTable) => void): Uint8Array {
  const st = new StringTable();
  const group = new PbfWriter();
  fill(group, st); // first, so that the string table is complete
  const groupBytes = group.finish();
  const pbf = new PbfWriter();
  pbf.writeMessage(1, (list: string[], p) => {
    for (const s of list) p.writeBytesField(1, new TextEncoder().encode(s));
  }, st.list);
  pbf.writeBytesField(2, groupBytes);
  pbf.writeVarintField(17, 100);
  return pbf.finish();
}

function denseNodes(nodes: OsmNode[]): Uint8Array {
  return primitiveBlock((g, st) => {
    const anyTags = nodes.some((n) => Object.keys(n.tags).length > 0);
    const kv: number[] = [];
    if (anyTags) {
      for (const n of nodes) {
        for (const [k, v] of Object.entries(n.tags)) kv.push(st.id(k), st.id(v));
        kv.push(0);
      }
    }
    g.writeMessage(2, (_: null, p) => {
      p.writePackedSVarint(1, deltas(nodes.map((n) => Number(n.id))));
      p.writePackedSVarint(8, deltas(nodes.map((n) => units(n.lat))));
      p.writePackedSVarint(9, deltas(nodes.map((n) => units(n.lon))));
      p.writePackedVarint(10, kv);
    }, null);
  });
}

function ways(list: OsmWay[]): Uint8Array {
  return primitiveBlock((g, st) => {
    for (const w of list) {
      const [keys, vals] = keysVals(w.tags, st);
      g.writeMessage(3, (_: null, p) => {
        p.writeVarintField(1, Number(w.id));
        p.writePackedVarint(2, keys);
        p.writePackedVarint(3, vals);
        p.writePackedSVarint(8, deltas(w.refs.map(Number)));
      }, null);
    }
  });
}

function relations(list: OsmRelation[]): Uint8Array {
  return primitiveBlock((g, st) => {
    for (const r of list) {
      const [keys, vals] = keysVals(r.tags, st);
      g.writeMessage(4, (_: null, p) => {
        p.writeVarintField(1, Number(r.id));
        p.writePackedVarint(2, keys);
        p.writePackedVarint(3, vals);
        p.writePackedVarint(8, r.members.map((m) => st.id(m.role)));
        p.writePackedSVarint(9, deltas(r.members.map((m) => Number(m.ref))));
        p.writePackedVarint(10, r.members.map((m) => MEMBER_TYPE[m.type]));
      }, null);
    }
  });
}

function chunks<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += PER_BLOCK) out.push(list.slice(i, i + PER_BLOCK));
  return out;
}

/** Encodes parsed OSM data as an .osm.pbf file. */
export function writeOsmPbf(data: OsmData): Uint8Array {
  const parts = [frame('OSMHeader', headerBlock())];
  for (const c of chunks([...data.nodes.values()])) parts.push(frame('OSMData', denseNodes(c)));
  for (const c of chunks(data.ways)) parts.push(frame('OSMData', ways(c)));
  for (const c of chunks(data.relations)) parts.push(frame('OSMData', relations(c)));
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
