/**
 * The physical street: communities of 2×2 blocks (300 m × 400 m) between a grid of roads; each
 * block holds two parcels (north and south of a lane), each parcel either a residential compound
 * (小区) of buildings in rows, or a dedicated site (school, market, hospital, office, shops).
 * Everything is in local metres; index.ts converts to WGS84.
 */
import { type Rect, centre } from './local-frame.js';
import { compoundName } from './names.js';
import type { Rng } from './rng.js';
import type { BuildingUse } from './types.js';

export const BLOCK_W = 300;
export const BLOCK_H = 400;
export const ROAD_SETBACK = 12;

export interface LBuilding {
  rect: Rect;
  use: BuildingUse;
  floors: number;
  units: number;
  /** Before calibration to the street's household total. */
  rawHouseholds: number;
  builtYear: number;
  name: string | null;
  /** Entrance on the side facing the parcel's path or road, and where it joins the network. */
  door: [number, number];
  /** Row index inside a compound (for the internal path it opens onto); -1 on dedicated sites. */
  row: number;
}

export interface LParcel {
  kind: 'compound' | 'dedicated';
  rect: Rect;
  block: Rect;
  north: boolean;
  name: string;
  gated: boolean;
  builtYear: number;
  dedicatedType: 'school' | 'market' | 'hospital' | 'office' | 'commercial' | null;
  buildings: LBuilding[];
  /** y of each internal east–west path (compounds), one below each building row. */
  pathYs: number[];
  spineX: number;
}

export interface LCommunity {
  index: number;
  rect: Rect;
  oldTown: boolean;
  parcels: LParcel[];
}

const DEDICATED_MIX = ['school', 'office', 'market', 'commercial', 'school', 'office', 'commercial', 'market', 'hospital', 'school', 'office', 'commercial', 'school'] as const;
const SITE_NAMES: Record<string, string[]> = {
  school: ['烟台第二中学', '向阳小学', '毓璜顶小学', '建昌幼儿园', '海港路小学', '芝罘实验学校', '胜利路中学', '朝阳街幼儿园'],
  market: ['海港路菜市场', '所城里农贸市场', '胜利路综合市场', '大海阳市场', '北马路菜市场'],
  hospital: ['芝罘区医院', '烟台口腔医院', '向阳中医院'],
  office: ['金桥大厦', '海运大厦', '世纪商务中心', '芝罘区政务中心', '东方写字楼', '华茂商务楼', '滨海大厦'],
  commercial: ['南大街商业街', '朝阳街商业街', '北马路商业街', '解放路步行街', '所城里文化街', '二马路商铺'],
};

function communityOrigin(i: number, cols: number): [number, number] {
  const col = i % cols;
  const row = Math.floor(i / cols);
  return [col * 2 * BLOCK_W, (1 - row) * 2 * BLOCK_H];
}

export function communityColumns(n: number): number {
  return n <= 8 ? 4 : Math.ceil(Math.sqrt(n * 1.3));
}

/** Lays out `n` communities; `dedicatedTotal` parcels become dedicated sites. */
export function layoutStreet(rng: Rng, n: number, dedicatedTotal: number, oldTownIndex: number): LCommunity[] {
  const cols = communityColumns(n);
  const usedNames = new Set<string>();
  const siteCount = new Map<string, number>();
  // Which parcels are dedicated: spread evenly over communities, positions chosen at random.
  const perCommunity = Array.from({ length: n }, (_, i) => Math.floor(((i + 1) * dedicatedTotal) / n) - Math.floor((i * dedicatedTotal) / n));
  let mix = 0;
  return Array.from({ length: n }, (_, index) => {
    const [ox, oy] = communityOrigin(index, cols);
    const rect = { x0: ox, y0: oy, x1: ox + 2 * BLOCK_W, y1: oy + 2 * BLOCK_H };
    const oldTown = index === oldTownIndex;
    const slots = [0, 1, 2, 3, 4, 5, 6, 7];
    const dedicatedSlots = new Set<number>();
    while (dedicatedSlots.size < Math.min(perCommunity[index], 4)) dedicatedSlots.add(rng.pick(slots));
    const parcels: LParcel[] = [];
    for (const slot of slots) {
      const bx = ox + (slot % 2) * BLOCK_W;
      const by = oy + (Math.floor(slot / 2) % 2) * BLOCK_H;
      const north = slot >= 4;
      const block = { x0: bx, y0: by, x1: bx + BLOCK_W, y1: by + BLOCK_H };
      const mid = by + BLOCK_H / 2;
      const prect = north
        ? { x0: bx + ROAD_SETBACK, y0: mid + 6, x1: bx + BLOCK_W - ROAD_SETBACK, y1: by + BLOCK_H - ROAD_SETBACK }
        : { x0: bx + ROAD_SETBACK, y0: by + ROAD_SETBACK, x1: bx + BLOCK_W - ROAD_SETBACK, y1: mid - 6 };
      if (dedicatedSlots.has(slot)) {
        const type = DEDICATED_MIX[mix++ % DEDICATED_MIX.length];
        const k = siteCount.get(type) ?? 0;
        siteCount.set(type, k + 1);
        const names = SITE_NAMES[type];
        const name = k < names.length ? names[k] : `${names[k % names.length].slice(0, -2)}${Math.floor(k / names.length) + 1}${names[k % names.length].slice(-2)}`;
        parcels.push(dedicatedSite(rng, type, name, prect, block, north));
      } else {
        parcels.push(compound(rng, prect, block, north, oldTown, compoundName(rng, usedNames)));
      }
    }
    return { index, rect, oldTown, parcels };
  });
}

function compound(rng: Rng, rect: Rect, block: Rect, north: boolean, oldTown: boolean, name: string): LParcel {
  const era = oldTown ? 'old' : rng.chance(0.25) ? 'high' : 'walkup';
  const builtYear = era === 'old' ? rng.int(1950, 1985) : era === 'high' ? rng.int(2003, 2016) : rng.int(1986, 2002);
  const len = era === 'old' ? 14 : era === 'high' ? 36 : rng.int(42, 58);
  const depth = era === 'old' ? 9 : era === 'high' ? 16 : 12;
  const gap = era === 'old' ? 9 : era === 'high' ? 30 : 18;
  const spineX = rect.x0 + 4;
  const buildings: LBuilding[] = [];
  const pathYs: number[] = [];
  let number = 1;
  for (let y = rect.y0 + 10, row = 0; y + depth <= rect.y1 - 4; y += depth + gap, row++) {
    pathYs.push(y - 5);
    for (let x = rect.x0 + 12; x + len <= rect.x1 - 6; x += len + (era === 'old' ? 6 : 16)) {
      const floors = era === 'old' ? rng.int(1, 2) : era === 'high' ? rng.int(11, 18) : rng.int(5, 7);
      const units = era === 'old' ? 1 : Math.max(1, Math.round(len / 18));
      const perFloor = era === 'old' ? rng.int(2, 3) : 2;
      const r = { x0: x, y0: y, x1: x + len, y1: y + depth };
      buildings.push({
        rect: r,
        use: 'residential',
        floors,
        units,
        rawHouseholds: era === 'old' ? perFloor * floors : floors * units * perFloor,
        builtYear,
        name: null,
        door: [centre(r)[0], y],
        row,
      });
      number++;
    }
  }
  void number;
  return { kind: 'compound', rect, block, north, name, gated: !oldTown && rng.chance(0.85), builtYear, dedicatedType: null, buildings, pathYs, spineX };
}

function dedicatedSite(rng: Rng, type: NonNullable<LParcel['dedicatedType']>, name: string, rect: Rect, block: Rect, north: boolean): LParcel {
  const specs: Record<string, { n: [number, number]; len: number; depth: number; floors: [number, number]; names: string[] }> = {
    school: { n: [2, 3], len: 60, depth: 16, floors: [3, 5], names: ['教学楼', '综合楼', '实验楼'] },
    market: { n: [1, 1], len: 80, depth: 40, floors: [1, 2], names: ['市场大厅'] },
    hospital: { n: [2, 2], len: 70, depth: 24, floors: [6, 12], names: ['门诊楼', '住院楼'] },
    office: { n: [1, 2], len: 45, depth: 30, floors: [12, 24], names: ['主楼', '副楼'] },
    commercial: { n: [3, 4], len: 50, depth: 18, floors: [2, 4], names: ['商铺A座', '商铺B座', '商铺C座', '商铺D座'] },
  };
  const s = specs[type];
  const count = rng.int(s.n[0], s.n[1]);
  const pitch = (rect.x1 - rect.x0 - 10) / count;
  const y0 = north ? rect.y1 - 10 - s.depth : rect.y0 + 10;
  const use = type === 'commercial' ? 'commercial' : type;
  const buildings: LBuilding[] = Array.from({ length: count }, (_, i) => {
    const x0 = rect.x0 + 5 + i * pitch + Math.max(0, (pitch - s.len) / 2);
    const r = { x0, y0, x1: x0 + Math.min(s.len, pitch - 8), y1: y0 + s.depth };
    return {
      rect: r,
      use,
      floors: rng.int(s.floors[0], s.floors[1]),
      units: 1,
      rawHouseholds: 0,
      builtYear: rng.int(1990, 2018),
      name: `${name}${s.names[i]}`,
      door: [centre(r)[0], north ? r.y1 : r.y0],
      row: -1,
    };
  });
  return { kind: 'dedicated', rect, block, north, name, gated: false, builtYear: 2000, dedicatedType: type, buildings, pathYs: [], spineX: rect.x0 + 4 };
}
