/**
 * Dedicated sites (schools, markets, hospitals, office blocks, commercial streets) and public
 * buildings (社区党群服务中心, 派出所): what they contain and how much land they need.
 *
 * Each dedicated site becomes one 专属网格 in the plan, so its buildings, use and name must read
 * like the real thing ("烟台第二中学教学楼"); the facility it hosts (a 小学 point, a 菜市场 point)
 * is what the life-circle audit counts.
 */
import { siteBuilding, type Template } from './building-types.js';
import type { TemplateSource } from './parcel-layout.js';
import type { Random } from './random.js';
import type { SiteKind } from './real-street.js';
import type { BuildingUse } from './types.js';

export type DedicatedType = 'school' | 'market' | 'hospital' | 'office' | 'commercial';
export type PublicKind = 'party_hall' | 'police_station';

export interface SitePlan {
  kind: SiteKind | PublicKind;
  name: string;
  dedicatedType: DedicatedType | null;
  templates: Template[];
  /** Land needed: width and depth of the parcel, metres. */
  needW: number;
  needD: number;
  /** Lay the buildings out from the road edge in one row (shop fronts). */
  frontRow: boolean;
}

export function dedicatedTypeOf(kind: SiteKind): DedicatedType {
  switch (kind) {
    case 'primary':
    case 'middle':
    case 'kindergarten':
      return 'school';
    default:
      return kind;
  }
}

function useOf(kind: SiteKind | PublicKind): BuildingUse {
  if (kind === 'party_hall' || kind === 'police_station') return 'public';
  const t = dedicatedTypeOf(kind);
  return t;
}

/** The buildings and land of one site; `name` is final (commercial streets are named by the caller). */
export function planSite(rng: Random, kind: SiteKind | PublicKind, name: string): SitePlan {
  const use = useOf(kind);
  const year = (a: number, b: number) => rng.int(a, b);
  const b = (label: string, w: number, d: number, floors: number, built = year(1985, 2012)) =>
    siteBuilding(use, label, w, d, floors, built);
  let templates: Template[];
  let needW: number;
  let needD: number;
  let frontRow = false;
  switch (kind) {
    case 'primary':
      templates = [b('教学楼', rng.range(55, 66), rng.range(14, 16), 4), b('综合楼', rng.range(28, 34), rng.range(16, 20), 3)];
      [needW, needD] = [105, 95];
      break;
    case 'middle':
      templates = [
        b('教学楼', rng.range(62, 72), 16, 5), b('实验楼', rng.range(38, 46), 15, 4), b('体艺馆', rng.range(30, 36), rng.range(22, 26), 2),
      ];
      [needW, needD] = [125, 120];
      break;
    case 'kindergarten':
      templates = [b('园舍', rng.range(36, 44), rng.range(16, 20), 3)];
      [needW, needD] = [62, 50];
      break;
    case 'market':
      templates = [b('市场大厅', rng.range(55, 68), rng.range(30, 38), 2)];
      if (rng.chance(0.5)) templates.push(b('综合楼', rng.range(22, 30), 14, 4));
      [needW, needD] = [82, 78];
      break;
    case 'hospital':
      templates = [b('门诊楼', rng.range(46, 56), rng.range(18, 22), 5), b('住院楼', rng.range(38, 46), 18, rng.int(9, 14)), b('医技楼', rng.range(26, 32), 16, 4)];
      [needW, needD] = [110, 120];
      break;
    case 'office':
      templates = [b('主楼', rng.range(32, 40), rng.range(22, 26), rng.int(16, 28), year(1998, 2016))];
      if (rng.chance(0.5)) templates.push(b('裙楼', rng.range(26, 34), rng.range(18, 22), 4));
      [needW, needD] = [72, 68];
      break;
    case 'commercial': {
      const shops = rng.int(4, 7);
      templates = Array.from({ length: shops }, (_, i) =>
        b(`${i + 1}号商铺`, rng.range(14, 22), rng.range(10, 12), rng.int(2, 3), year(1990, 2015)),
      );
      for (const t of templates) t.sideGap = rng.range(4, 7);
      needW = templates.reduce((s, t) => s + t.w + t.sideGap, 0) + 20;
      needD = 34;
      frontRow = true;
      break;
    }
    case 'party_hall':
      templates = [b('', rng.range(28, 34), rng.range(13, 15), 3, year(2005, 2018))];
      [needW, needD] = [48, 34];
      break;
    case 'police_station':
      templates = [b('', rng.range(30, 36), 15, 4, year(1995, 2012))];
      [needW, needD] = [50, 36];
      break;
  }
  return {
    kind, name, templates, needW, needD, frontRow,
    dedicatedType: kind === 'party_hall' || kind === 'police_station' ? null : dedicatedTypeOf(kind),
  };
}

/** Feeds a site's buildings in order; a building too wide for the space left is narrowed a little. */
export function siteSource(plan: SitePlan): TemplateSource {
  let next = 0;
  let offered: Template | null = null;
  return {
    peek(maxW) {
      const t = plan.templates[next];
      if (!t) return null;
      if (t.w <= maxW) return (offered = t);
      if (maxW >= t.w * 0.7) return (offered = { ...t, w: maxW });
      return null;
    },
    take() {
      if (offered) plan.templates[next] = offered;
      next++;
      offered = null;
    },
  };
}
