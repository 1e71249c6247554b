/**
 * A generated city (issue #15 part 5): districts of Yantai (烟台, city 3706) side by side, each a
 * row of generated streets, for city-scale benchmarks and multi-street tests.
 *
 * Every street is the demo street generator's output (its own seed, so layouts and figures differ)
 * moved by {@link relocateStreet} under a real-looking 9-digit code (district's 6 digits + 001, 002 …)
 * and laid west → east in its district's row, districts north → south, with a gap between
 * bounding boxes so no two streets overlap. Walk node ids continue from one street to the next.
 *
 * Streets are produced one at a time ({@link City.streets}): a city of 1,000,000 buildings holds
 * some 17 M households, far more than one process should keep in memory at once.
 */
import { generateStreet } from './demo-street.js';
import { hashSeed } from './random.js';
import { relocateStreet } from './relocate.js';
import type { Position, StreetDataset } from './types.js';

/** Yantai's county-level divisions (2020 codes), in the order a city is filled. */
export const YANTAI_DISTRICTS: readonly { code: string; name: string }[] = [
  { code: '370602', name: '芝罘区' },
  { code: '370611', name: '福山区' },
  { code: '370612', name: '牟平区' },
  { code: '370613', name: '莱山区' },
  { code: '370614', name: '蓬莱区' },
  { code: '370681', name: '龙口市' },
  { code: '370682', name: '莱阳市' },
  { code: '370683', name: '莱州市' },
  { code: '370685', name: '招远市' },
  { code: '370686', name: '栖霞市' },
  { code: '370687', name: '海阳市' },
];

/** Street (街道/镇) names of the first districts; later streets get names from {@link NAME_STEMS}. */
const REAL_STREET_NAMES: Record<string, readonly string[]> = {
  '370602': ['向阳', '东山', '毓璜顶', '通伸', '凤凰台', '奇山', '白石', '芝罘岛', '黄务', '只楚', '世回尧', '幸福', '珠玑'],
  '370611': ['清洋', '福新', '东厅', '门楼', '回里', '高疃', '张格庄', '臧家庄', '兜余'],
  '370612': ['宁海', '文化', '武宁', '大窑', '姜格庄', '观水', '龙泉', '玉林店', '水道', '王格庄', '昆嵛'],
  '370613': ['初家', '滨海路', '黄海路', '院格庄', '解甲庄', '莱山', '马山'],
  '370614': ['登州', '紫荆山', '新港', '南王', '蓬莱阁', '刘家沟', '大辛店'],
};
const NAME_STEMS = [
  '海滨', '望海', '金沙', '港湾', '东华', '西华', '新华', '振华', '光华', '长江', '卧龙', '塔山', '环山', '红旗',
  '芝水', '双河', '清泉', '锦绣', '青年', '育才', '建设', '和平', '民主', '团结', '友爱', '文昌', '兴隆', '永安',
];

/** Gap between the bounding boxes of neighbouring streets, in degrees (≈ 350 m). */
export const STREET_GAP_DEG = 0.004;

export interface CityOptions {
  /** 1 … 11 (Yantai's districts, in {@link YANTAI_DISTRICTS} order). */
  districts: number;
  /** 1 … 999 streets in each district. */
  streetsPerDistrict: number;
  seed: number;
  /** Buildings of each street (default 10,000; the generator's smallest street is 40). */
  buildingsPerStreet?: number;
}

export interface CityStreet {
  code: string;
  name: string;
  districtCode: string;
  /** The street generator's seed for this street. */
  seed: number;
}

export interface City {
  districts: { code: string; name: string }[];
  /** Every street's code and name, known before any is generated. */
  plan: CityStreet[];
  buildingsPerStreet: number;
  /** Generates, relocates and yields the streets in {@link City.plan} order (one in memory at a time). */
  streets(): Generator<StreetDataset>;
}

/** Plans a city: its districts and street codes; the streets are generated when iterated. */
export function generateCity(opts: CityOptions): City {
  const { districts: nd, streetsPerDistrict: ns, seed } = opts;
  const buildingsPerStreet = opts.buildingsPerStreet ?? 10_000;
  if (!Number.isInteger(nd) || nd < 1 || nd > YANTAI_DISTRICTS.length) {
    throw new Error(`districts must be 1…${YANTAI_DISTRICTS.length}: ${nd}`);
  }
  if (!Number.isInteger(ns) || ns < 1 || ns > 999) throw new Error(`streetsPerDistrict must be 1…999: ${ns}`);
  if (!Number.isInteger(buildingsPerStreet) || buildingsPerStreet < 40) throw new Error(`buildingsPerStreet must be ≥ 40: ${buildingsPerStreet}`);
  const districts = YANTAI_DISTRICTS.slice(0, nd).map((d) => ({ ...d }));
  const used = new Set<string>();
  const plan = districts.flatMap((d) =>
    Array.from({ length: ns }, (_, i) => {
      const code = `${d.code}${String(i + 1).padStart(3, '0')}`;
      return { code, name: streetName(d.code, i, used), districtCode: d.code, seed: hashSeed(seed, 'city-street', code) };
    }),
  );
  return {
    districts,
    plan,
    buildingsPerStreet,
    *streets() {
      const layout = new RowLayout();
      let nodeIdBase = 0;
      for (const s of plan) {
        const ds = generateStreet({ seed: s.seed, buildings: buildingsPerStreet });
        const offset = layout.place(s.districtCode, boundsOf(ds));
        const moved = relocateStreet(ds, { code: s.code, name: s.name, offset, nodeIdBase });
        nodeIdBase = moved.walkNodes.reduce((m, n) => Math.max(m, n.id), nodeIdBase);
        yield moved;
      }
    },
  };
}

/** A real name while the district's list lasts, then "<stem>街道", unique across the city. */
function streetName(districtCode: string, i: number, used: Set<string>): string {
  const real = REAL_STREET_NAMES[districtCode] ?? [];
  const candidates = [real[i], ...NAME_STEMS, ...NAME_STEMS.flatMap((s) => [`${s}东`, `${s}西`, `${s}南`, `${s}北`])];
  for (const stem of candidates) {
    if (stem === undefined) continue;
    const name = `${stem}街道`;
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
  const name = `第${used.size + 1}街道`;
  used.add(name);
  return name;
}

/** [minLng, minLat, maxLng, maxLat] of a street's outline. */
export type Bounds = [number, number, number, number];

/** The bounding box of a street's outline (buildings, paths and facilities lie inside it). */
export function boundsOf(ds: StreetDataset): Bounds {
  const b: Bounds = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of ds.street.polygon) {
    for (const [x, y] of ring) {
      b[0] = Math.min(b[0], x);
      b[1] = Math.min(b[1], y);
      b[2] = Math.max(b[2], x);
      b[3] = Math.max(b[3], y);
    }
  }
  return b;
}

/**
 * Rows of streets: one per district, north to south, streets west to east; each row's top lies
 * {@link STREET_GAP_DEG} below the previous row's lowest street. The first street stays where the
 * generator put it (central 芝罘).
 */
class RowLayout {
  private row: string | null = null;
  /** West edge of every row (the first street's). */
  private west = NaN;
  private x = NaN;
  private top = NaN;
  private bottom = Infinity;

  /** The offset that puts a street of bounds `b` next in row `rowKey`. */
  place(rowKey: string, b: Bounds): Position {
    if (this.row === null) [this.west, this.top] = [b[0], b[3]];
    else if (rowKey !== this.row) this.top = this.bottom - STREET_GAP_DEG;
    if (rowKey !== this.row) [this.row, this.x] = [rowKey, this.west];
    const offset: Position = [this.x - b[0], this.top - b[3]];
    this.x += b[2] - b[0] + STREET_GAP_DEG;
    this.bottom = Math.min(this.bottom, b[1] + offset[1]);
    return offset;
  }
}
