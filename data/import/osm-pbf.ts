/**
 * OpenStreetMap PBF (.osm.pbf) into the same OsmData the XML reader returns, over the `pbf`
 * protobuf reader and zlib. The file is a sequence of blobs, each framed as
 *   4-byte big-endian length · BlobHeader {1 type, 3 datasize} · Blob {1 raw | 2 raw_size + 3 zlib_data}
 * The first is an OSMHeader (HeaderBlock: 4 required_features), then OSMData PrimitiveBlocks:
 *   {1 stringtable {1 s*}, 2 primitivegroup*, 17 granularity = 100, 19 lat_offset, 20 lon_offset}
 *   PrimitiveGroup {1 node*, 2 dense, 3 way*, 4 relation*}
 *   Node {1 id sint64, 2 keys, 3 vals, 8 lat sint64, 9 lon sint64}
 *   DenseNodes {1 id, 8 lat, 9 lon: packed sint64 delta-coded; 10 keys_vals: k v k v … 0 per node}
 *   Way {1 id, 2 keys, 3 vals, 8 refs packed sint64 delta-coded}
 *   Relation {1 id, 2 keys, 3 vals, 8 roles_sid, 9 memids packed sint64 delta-coded, 10 types 0/1/2}
 * Positions are 1e-9° × (offset + granularity × value). Only zlib and uncompressed blobs are
 * read (what osmium, osmosis and Geofabrik write); anything else is refused with a clear error.
 */
import { PbfReader } from 'pbf';
import { ImportFileError } from './errors.js';
import { InflateBudget, boundedInflate } from './inflate-limits.js';
import type { OsmData, OsmMember, OsmNode, OsmRelation } from './osm-xml.js';

/** Features this reader understands; a file requiring any other is refused. */
export const SUPPORTED_FEATURES = ['OsmSchema-V0.6', 'DenseNodes'];
/** The format's own limits: BlobHeader < 64 KiB, uncompressed Blob ≤ 32 MiB. */
const MAX_HEADER = 64 * 1024;
const MAX_BLOB = 32 * 1024 * 1024;
const MEMBER_TYPES: OsmMember['type'][] = ['node', 'way', 'relation'];

const corrupt = (zh: string, en: string) => new ImportFileError(`.osm.pbf 文件已损坏：${zh}`, `the .osm.pbf file is corrupt: ${en}`);

interface BlobHeader { type: string; datasize: number }
interface Blob { raw?: Uint8Array; rawSize?: number; zlib?: Uint8Array; other?: string }

const BLOB_COMPRESSION: Record<number, string> = { 4: 'lzma', 5: 'bzip2', 6: 'lz4', 7: 'zstd' };

/**
 * A blob's bytes. A zlib blob is checked by its declared raw_size (≤ 32 MiB, and against the
 * file's shared inflate budget: many blocks add up) before inflating, and inflated no further
 * than that size, whatever the compressed stream would produce.
 */
function blobBytes(blobMsg: Uint8Array, budget: InflateBudget): Uint8Array {
  const blob = new PbfReader(blobMsg).readFields<Blob>((tag, b, pbf) => {
    if (tag === 1) b.raw = pbf.readBytes();
    else if (tag === 2) b.rawSize = pbf.readVarint();
    else if (tag === 3) b.zlib = pbf.readBytes();
    else if (BLOB_COMPRESSION[tag]) b.other = BLOB_COMPRESSION[tag];
  }, {});
  if (blob.raw) return blob.raw;
  if (blob.zlib) {
    const declared = blob.rawSize ?? -1;
    if (declared < 0 || declared > MAX_BLOB) throw corrupt('数据块缺少或超出 raw_size（上限 32 MiB）', 'a block has no raw_size or one over 32 MiB');
    budget.reserve(declared, blob.zlib.length, '.osm.pbf 数据块', 'the .osm.pbf blocks');
    try {
      return boundedInflate(blob.zlib, declared, 'zlib', '数据块', 'a block');
    } catch (e) {
      if (e instanceof ImportFileError && e.code === 'too_large') throw e;
      throw corrupt('zlib 数据块无法解压或长度不符', 'a zlib block could not be inflated or has the wrong size');
    }
  }
  if (blob.other) {
    throw new ImportFileError(`不支持 ${blob.other} 压缩的 .osm.pbf（仅支持 zlib），请用 osmium cat 重新输出`,
      `${blob.other}-compressed .osm.pbf is not supported (zlib only): re-write it with osmium cat`);
  }
  throw corrupt('数据块为空', 'an empty block');
}

function checkHeader(block: Uint8Array): void {
  const required: string[] = [];
  new PbfReader(block).readFields((tag, _r, pbf) => {
    if (tag === 4) required.push(pbf.readString());
  }, null);
  const unknown = required.filter((f) => !SUPPORTED_FEATURES.includes(f));
  if (unknown.length) {
    throw new ImportFileError(`此 .osm.pbf 需要不支持的特性：${unknown.join('、')}`, `this .osm.pbf requires unsupported features: ${unknown.join(', ')}`);
  }
}

interface Block {
  strings: string[];
  groups: Array<[number, number]>;
  granularity: number;
  latOffset: number;
  lonOffset: number;
}

const utf8 = new TextDecoder('utf-8');

function readBlock(pbf: PbfReader): Block {
  return pbf.readFields<Block>((tag, b, p) => {
    if (tag === 1) {
      p.readMessage((t, s: string[], q) => {
        if (t === 1) s.push(utf8.decode(q.readBytes()));
      }, b.strings);
    } else if (tag === 2) {
      const len = p.readVarint();
      b.groups.push([p.pos, p.pos + len]);
      p.pos += len;
    } else if (tag === 17) b.granularity = p.readVarint(true);
    else if (tag === 19) b.latOffset = p.readVarint(true);
    else if (tag === 20) b.lonOffset = p.readVarint(true);
  }, { strings: [], groups: [], granularity: 100, latOffset: 0, lonOffset: 0 });
}

function tagsFrom(keys: number[], vals: number[], strings: string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (let i = 0; i < keys.length; i++) tags[str(strings, keys[i])] = str(strings, vals[i]);
  return tags;
}

function str(strings: string[], i: number | undefined): string {
  const s = i === undefined ? undefined : strings[i];
  if (s === undefined) throw corrupt('字符串索引越界', 'a string index is out of range');
  return s;
}

/** Reads one PrimitiveBlock's nodes, ways and relations into `out`. */
function readPrimitiveBlock(bytes: Uint8Array, out: OsmData): void {
  const pbf = new PbfReader(bytes);
  const b = readBlock(pbf);
  const lat = (v: number) => (b.latOffset + b.granularity * v) / 1e9;
  const lon = (v: number) => (b.lonOffset + b.granularity * v) / 1e9;
  const addNode = (n: OsmNode) => {
    if (!Number.isFinite(n.lat) || !Number.isFinite(n.lon)) throw corrupt('节点坐标无效', 'a node has an invalid position');
    out.nodes.set(n.id, n);
  };
  for (const [start, end] of b.groups) {
    pbf.pos = start;
    pbf.readFields((tag, _r, p) => {
      if (tag === 1) {
        const n = p.readMessage((t, x: { id: number; keys: number[]; vals: number[]; lat: number; lon: number }, q) => {
          if (t === 1) x.id = q.readSVarint();
          else if (t === 2) q.readPackedVarint(x.keys);
          else if (t === 3) q.readPackedVarint(x.vals);
          else if (t === 8) x.lat = q.readSVarint();
          else if (t === 9) x.lon = q.readSVarint();
        }, { id: 0, keys: [], vals: [], lat: 0, lon: 0 });
        addNode({ id: String(n.id), lat: lat(n.lat), lon: lon(n.lon), tags: tagsFrom(n.keys, n.vals, b.strings) });
      } else if (tag === 2) {
        const d = p.readMessage((t, x: { id: number[]; lat: number[]; lon: number[]; kv: number[] }, q) => {
          if (t === 1) q.readPackedSVarint(x.id);
          else if (t === 8) q.readPackedSVarint(x.lat);
          else if (t === 9) q.readPackedSVarint(x.lon);
          else if (t === 10) q.readPackedVarint(x.kv);
        }, { id: [], lat: [], lon: [], kv: [] });
        if (d.lat.length !== d.id.length || d.lon.length !== d.id.length) throw corrupt('DenseNodes 的 id/lat/lon 数量不一致', 'DenseNodes id/lat/lon counts differ');
        let [id, la, lo, k] = [0, 0, 0, 0];
        for (let i = 0; i < d.id.length; i++) {
          id += d.id[i];
          la += d.lat[i];
          lo += d.lon[i];
          const tags: Record<string, string> = {};
          if (d.kv.length > 0) {
            while (k < d.kv.length && d.kv[k] !== 0) {
              tags[str(b.strings, d.kv[k])] = str(b.strings, d.kv[k + 1]);
              k += 2;
            }
            k++; // the 0 ending this node's tags
          }
          addNode({ id: String(id), lat: lat(la), lon: lon(lo), tags });
        }
      } else if (tag === 3) {
        const w = p.readMessage((t, x: { id: number; keys: number[]; vals: number[]; refs: number[] }, q) => {
          if (t === 1) x.id = q.readVarint(true);
          else if (t === 2) q.readPackedVarint(x.keys);
          else if (t === 3) q.readPackedVarint(x.vals);
          else if (t === 8) q.readPackedSVarint(x.refs);
        }, { id: 0, keys: [], vals: [], refs: [] });
        let ref = 0;
        out.ways.push({ id: String(w.id), refs: w.refs.map((delta) => String((ref += delta))), tags: tagsFrom(w.keys, w.vals, b.strings) });
      } else if (tag === 4) {
        const r = p.readMessage((t, x: { id: number; keys: number[]; vals: number[]; roles: number[]; memids: number[]; types: number[] }, q) => {
          if (t === 1) x.id = q.readVarint(true);
          else if (t === 2) q.readPackedVarint(x.keys);
          else if (t === 3) q.readPackedVarint(x.vals);
          else if (t === 8) q.readPackedVarint(x.roles, true);
          else if (t === 9) q.readPackedSVarint(x.memids);
          else if (t === 10) q.readPackedVarint(x.types);
        }, { id: 0, keys: [], vals: [], roles: [], memids: [], types: [] });
        if (r.roles.length !== r.memids.length || r.types.length !== r.memids.length) throw corrupt('关系成员的字段数量不一致', 'relation member field counts differ');
        let ref = 0;
        const relation: OsmRelation = {
          id: String(r.id),
          tags: tagsFrom(r.keys, r.vals, b.strings),
          members: r.memids.map((delta, i) => {
            const type = MEMBER_TYPES[r.types[i]];
            if (!type) throw corrupt('未知的关系成员类型', 'unknown relation member type');
            return { type, ref: String((ref += delta)), role: str(b.strings, r.roles[i]) };
          }),
        };
        out.relations.push(relation);
      }
    }, null, end);
  }
}

/** Parses a whole .osm.pbf. Throws ImportFileError for a truncated, corrupt or unsupported file. */
export function parseOsmPbf(bytes: Uint8Array): OsmData {
  const out: OsmData = { nodes: new Map(), ways: [], relations: [] };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  let sawHeader = false;
  const budget = new InflateBudget();
  try {
    while (pos < bytes.length) {
      if (pos + 4 > bytes.length) throw corrupt('文件被截断', 'the file is truncated');
      const headerLen = view.getUint32(pos);
      pos += 4;
      if (headerLen === 0 || headerLen > MAX_HEADER) throw corrupt('数据块头长度无效（这是 .osm.pbf 文件吗？）', 'invalid block header length (is this an .osm.pbf file?)');
      if (pos + headerLen > bytes.length) throw corrupt('文件被截断', 'the file is truncated');
      const header = new PbfReader(bytes.subarray(pos, pos + headerLen)).readFields<BlobHeader>((tag, h, p) => {
        if (tag === 1) h.type = p.readString();
        else if (tag === 3) h.datasize = p.readVarint();
      }, { type: '', datasize: -1 });
      pos += headerLen;
      if (header.datasize < 0 || header.datasize > MAX_BLOB) throw corrupt('数据块长度无效', 'invalid block size');
      if (pos + header.datasize > bytes.length) throw corrupt('文件被截断', 'the file is truncated');
      const blob = bytes.subarray(pos, pos + header.datasize);
      pos += header.datasize;
      if (header.type === 'OSMHeader') {
        checkHeader(blobBytes(blob, budget));
        sawHeader = true;
      } else if (header.type === 'OSMData') {
        if (!sawHeader) throw corrupt('缺少 OSMHeader 数据块', 'no OSMHeader block before the data');
        readPrimitiveBlock(blobBytes(blob, budget), out);
      } // other block types are to be skipped, says the format
    }
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    throw corrupt('protobuf 数据无法解析', 'the protobuf data could not be decoded');
  }
  if (!sawHeader) throw corrupt('缺少 OSMHeader 数据块', 'no OSMHeader block');
  return out;
}
