/**
 * Generates the sample import files in data/samples/ from the demo street (deterministic):
 *   roster-gbk.csv               household roster per unit, GBK-encoded (as Excel/WPS save it)
 *   roster.xlsx                  the same kind of roster with other header names and building codes
 *   facilities-gcj02.geojson     facilities as copied from Amap (GCJ-02), Chinese properties
 *   buildings-cgcs2000-gk40.zip  building footprints from the survey bureau: CGCS2000 3-degree GK
 *                                zone 40 (EPSG:4528) with a .prj, GBK attributes without a .cpg
 *   yantai-sample.osm            a small OpenStreetMap extract: buildings (one a multipolygon with a
 *                                courtyard), footways, amenities
 *   yantai-sample.osm.pbf        the same extract as OSM PBF (DenseNodes, zlib)
 * Each file has a few deliberately bad rows so the dry run shows its per-row errors.
 * Run: npx tsx data/samples/make-samples.ts
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Feature, Position } from 'geojson';
import { gkZoneEpsg, lngLatToGk, wgs84ToGcj02 } from '../../geo/crs/index.js';
import { DEFAULT_SEED, generateStreet } from '../generate/index.js';
import { writeShapefileZip } from '../formats/shapefile-write.js';
import { writeOsmPbf } from '../formats/osm-pbf-write.js';
import { parseOsmXml } from '../import/osm-xml.js';

const here = dirname(fileURLToPath(import.meta.url));
const ds = generateStreet({ seed: DEFAULT_SEED });
const community = (code: string) => ds.communities.find((c) => c.code === code)!;
const compound = (code: string | null) => ds.compounds.find((k) => k.code === code);
const centroid = (ring: Position[]): Position => [
  ring.slice(0, -1).reduce((s, p) => s + p[0], 0) / (ring.length - 1),
  ring.slice(0, -1).reduce((s, p) => s + p[1], 0) / (ring.length - 1),
];

/** Household, resident and party-member tallies per building unit from the generated households. */
function unitTallies(buildingCode: string) {
  const byUnit = new Map<number, { households: number; residents: number; party: number }>();
  for (const h of ds.households) {
    if (h.buildingCode !== buildingCode) continue;
    const t = byUnit.get(h.unit) ?? { households: 0, residents: 0, party: 0 };
    t.households++;
    t.residents += h.size;
    t.party += h.partyMembers;
    byUnit.set(h.unit, t);
  }
  return [...byUnit.entries()].sort((a, b) => a[0] - b[0]);
}

const residential = ds.buildings.filter((b) => b.use === 'residential' && b.compoundCode && b.households > 0);

// 1. GBK CSV roster: 社区, 小区, 楼栋号, 单元, 户数, 人口, 党员数 (buildings named by compound + number).
{
  const lines = ['社区,小区,楼栋号,单元,户数,人口,党员数'];
  for (const b of residential.filter((x) => x.communityCode === ds.communities[0].code).slice(0, 24)) {
    for (const [unit, t] of unitTallies(b.code)) {
      lines.push([community(b.communityCode).shortName, compound(b.compoundCode)!.name, b.number, `${unit}单元`, t.households, t.residents, t.party].join(','));
    }
  }
  const k = compound(residential[0].compoundCode)!;
  lines.push(`${community(k.communityCode).shortName},${k.name},99号楼,1单元,12,30,1`); // no such building
  lines.push(`${community(k.communityCode).shortName},${k.name},${residential[0].number},2单元,十二,30,1`); // 户数 not a number
  writeFileSync(join(here, 'roster-gbk.csv'), iconv.encode(lines.join('\r\n') + '\r\n', 'gbk'));
}

// 2. XLSX roster with building codes and other header names.
{
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('户籍台账');
  ws.addRow(['楼栋编码', '单元号', '总户数', '常住人口', '党员人数', '备注']);
  for (const b of residential.filter((x) => x.communityCode === ds.communities[1].code).slice(0, 20)) {
    for (const [unit, t] of unitTallies(b.code)) ws.addRow([b.code, unit, t.households, t.residents, t.party, '']);
  }
  ws.addRow([residential[1].code, 0, 10, 20, 0, '单元号为 0：错误']);
  ws.addRow([residential[1].code, 1, 10, 2, 5, '党员数大于人口：错误']);
  await wb.xlsx.writeFile(join(here, 'roster.xlsx'));
}

// 3. Facilities as copied from Amap: GCJ-02 positions next to real buildings.
{
  const kinds: Array<[string, string]> = [['菜鸟驿站', '快递柜'], ['大药房', '药店'], ['便利店', '便民网点'], ['长者食堂', '长者食堂'], ['健身广场', '健身场地'], ['四点半课堂', '四点半学校']];
  const features: Feature[] = [];
  const anchors = residential.filter((_, i) => i % 37 === 0).slice(0, 12);
  anchors.forEach((b, i) => {
    const [kindName, category] = kinds[i % kinds.length];
    const c = centroid(b.footprint[0]);
    const gcj = wgs84ToGcj02([c[0] + 0.0002, c[1] + 0.0001]);
    const k = compound(b.compoundCode)!;
    features.push({
      type: 'Feature',
      properties: { 编号: `AMAP-B0FF${String(1000 + i)}`, 名称: `${k.name}${kindName}`, 类别: category, 地址: `${k.name}${b.number}旁`, 社区: community(b.communityCode).shortName },
      geometry: { type: 'Point', coordinates: [Number(gcj[0].toFixed(6)), Number(gcj[1].toFixed(6))] },
    });
  });
  features.push({ type: 'Feature', properties: { 编号: 'AMAP-B0FF2001', 名称: '坐标缺失的网点', 类别: '便民网点', 地址: '' }, geometry: { type: 'Point', coordinates: [] } });
  features.push({ type: 'Feature', properties: { 编号: 'AMAP-B0FF2002', 名称: '洗车店', 类别: '汽车服务', 地址: '胜利路' }, geometry: { type: 'Point', coordinates: [121.39, 37.545] } });
  writeFileSync(join(here, 'facilities-gcj02.geojson'), JSON.stringify({ type: 'FeatureCollection', name: '高德导出 GCJ-02', features }, null, 1) + '\n');
}

// 4. Survey-bureau shapefile: CGCS2000 GK zone 40 (prefixed eastings), GBK attributes, no .cpg.
{
  const epsg = gkZoneEpsg(40);
  const gk = (ring: Position[]) => ring.map((p) => lngLatToGk(epsg, [p[0], p[1]]).map((v) => Number(v.toFixed(3))));
  const pick = ds.buildings.filter((b) => b.communityCode === ds.communities[2].code).slice(0, 20);
  const features: Feature[] = pick.map((b) => ({
    type: 'Feature',
    properties: { 编码: b.code, 楼栋号: b.number, 名称: b.name ?? '', 层数: b.floors + 1, 单元数: b.units, 用途: b.use === 'residential' ? '住宅' : b.use, 建成年份: b.builtYear },
    geometry: { type: 'Polygon', coordinates: [gk(b.footprint[0])] },
  }));
  const base = centroid(pick[0].footprint[0]);
  const square = (dx: number, dy: number, s = 0.00012): Position[] => [[dx, dy], [dx + s, dy], [dx + s, dy + s], [dx, dy + s], [dx, dy]].map((p) => [base[0] + p[0], base[1] + p[1]]);
  const c2 = ds.communities[2].code;
  features.push({ type: 'Feature', properties: { 编码: `${c2}-B9001`, 楼栋号: '新建1号楼', 名称: '社区养老服务楼', 层数: 3, 单元数: 1, 用途: '公共', 建成年份: 2024 }, geometry: { type: 'Polygon', coordinates: [gk(square(0.0004, 0.0004))] } });
  // A bow-tie footprint (self-intersecting): repaired by ST_MakeValid and reported.
  const s = square(0.0004, 0.0001);
  features.push({ type: 'Feature', properties: { 编码: `${c2}-B9002`, 楼栋号: '新建2号楼', 名称: '', 层数: 2, 单元数: 1, 用途: '住宅', 建成年份: 2024 }, geometry: { type: 'Polygon', coordinates: [gk([s[0], s[2], s[1], s[3], s[0]])] } });
  // A degenerate ring of three positions: rejected.
  features.push({ type: 'Feature', properties: { 编码: `${c2}-B9003`, 楼栋号: '错误楼', 名称: '', 层数: 1, 单元数: 1, 用途: '住宅', 建成年份: 2024 }, geometry: { type: 'Polygon', coordinates: [gk([s[0], s[1], s[0]])] } });
  const prj = 'PROJCS["CGCS2000_3_Degree_GK_Zone_40",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",40500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
  writeFileSync(join(here, 'buildings-cgcs2000-gk40.zip'), writeShapefileZip(features, { name: 'buildings', kind: 'polygon', encoding: 'gbk', prj, cpg: false }));
}

// 5. A small OSM extract inside the street: buildings, footways meeting at shared nodes, amenities.
{
  const [x0, y0] = [121.3815, 37.5415];
  const nodes: string[] = [];
  const ways: string[] = [];
  let nid = 900000001;
  const node = (lon: number, lat: number, tags: Record<string, string> = {}) => {
    const id = nid++;
    const t = Object.entries(tags).map(([k, v]) => `\n    <tag k="${k}" v="${v}"/>`).join('');
    nodes.push(`  <node id="${id}" version="1" lat="${lat.toFixed(7)}" lon="${lon.toFixed(7)}"${t ? `>${t}\n  </node>` : '/>'}`);
    return id;
  };
  let wid = 800000001;
  const way = (refs: number[], tags: Record<string, string>) => {
    const nd = refs.map((r) => `\n    <nd ref="${r}"/>`).join('');
    const t = Object.entries(tags).map(([k, v]) => `\n    <tag k="${k}" v="${v}"/>`).join('');
    ways.push(`  <way id="${wid}" version="1">${nd}${t}\n  </way>`);
    return wid++;
  };
  const relations: string[] = [];
  let rid = 700000001;
  const multipolygon = (members: Array<[number, 'outer' | 'inner']>, tags: Record<string, string>) => {
    const m = members.map(([ref, role]) => `\n    <member type="way" ref="${ref}" role="${role}"/>`).join('');
    const t = Object.entries({ type: 'multipolygon', ...tags }).map(([k, v]) => `\n    <tag k="${k}" v="${v}"/>`).join('');
    relations.push(`  <relation id="${rid++}" version="1">${m}${t}\n  </relation>`);
  };
  for (let i = 0; i < 4; i++) {
    const bx = x0 + i * 0.0009;
    const ring = [node(bx, y0), node(bx + 0.0005, y0), node(bx + 0.0005, y0 + 0.0002), node(bx, y0 + 0.0002)];
    way([...ring, ring[0]], { building: i === 3 ? 'school' : 'residential', 'building:levels': String(6 + i), 'addr:housenumber': `${i + 1}号楼`, name: i === 3 ? '海滨小学' : `滨海花园${i + 1}号楼` });
  }
  const path = [0, 1, 2, 3, 4].map((i) => node(x0 + i * 0.0009 - 0.0002, y0 - 0.0003));
  way(path, { highway: 'footway', name: '滨海花园步道' });
  const spur = [path[2], node(x0 + 0.0016, y0 - 0.0009), node(x0 + 0.0016, y0 - 0.0015)];
  way(spur, { highway: 'residential', name: '海港路' });
  way([path[4], node(x0 + 0.0034, y0 + 0.0006)], { highway: 'path' });
  way([path[0], node(x0 - 0.0006, y0 - 0.0003)], { highway: 'motorway', name: '不可步行的高速' });
  node(x0 + 0.0003, y0 - 0.0006, { amenity: 'pharmacy', name: '海港大药房' });
  node(x0 + 0.0012, y0 - 0.0006, { shop: 'convenience', name: '滨海便利店' });
  node(x0 + 0.0021, y0 - 0.0006, { highway: 'bus_stop', name: '海港路站' });
  node(x0 + 0.0030, y0 - 0.0006, { amenity: 'bench' });
  // A 回字形 building drawn as a multipolygon relation: the outer ring in two untagged ways (one
  // reversed), the courtyard an inner way.
  {
    const [bx, by] = [x0 + 0.0009, y0 + 0.0005];
    const o = [node(bx, by), node(bx + 0.0008, by), node(bx + 0.0008, by + 0.0006), node(bx, by + 0.0006)];
    const south = way([o[3], o[0], o[1]], {});
    const north = way([o[3], o[2], o[1]], {});
    const i = [node(bx + 0.0003, by + 0.0002), node(bx + 0.0005, by + 0.0002), node(bx + 0.0005, by + 0.0004), node(bx + 0.0003, by + 0.0004)];
    const court = way([...i, i[0]], {});
    multipolygon([[south, 'outer'], [north, 'outer'], [court, 'inner']], { building: 'residential', 'building:levels': '4', name: '滨海花园回字楼' });
  }
  // A deliberately broken multipolygon: its only outer way does not close → skipped with the reason.
  {
    const [bx, by] = [x0 + 0.0021, y0 + 0.0005];
    const open = way([node(bx, by), node(bx + 0.0004, by), node(bx + 0.0004, by + 0.0004)], {});
    multipolygon([[open, 'outer']], { building: 'yes', name: '缺边的楼' });
  }
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="GridAtlas make-samples">\n  <bounds minlat="37.540" minlon="121.380" maxlat="37.543" maxlon="121.386"/>\n${nodes.join('\n')}\n${ways.join('\n')}\n${relations.join('\n')}\n</osm>\n`;
  writeFileSync(join(here, 'yantai-sample.osm'), xml);
  writeFileSync(join(here, 'yantai-sample.osm.pbf'), writeOsmPbf(parseOsmXml(xml)));
}
console.log('samples written to', here);
