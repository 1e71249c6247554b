/**
 * A year of demo resident requests (居民诉求) for the seeded street: deterministic for a given
 * seed, buildings and end time. Patterns taken from the seed articles and common practice:
 * - about 8 a day (≈ 3,000 a year for 17,000 households), fewer at weekends;
 * - seasons: heating and pipes in winter, sanitation, noise and greenery in summer, repairs after
 *   the rainy season (Jul–Aug), elderly care up around the Spring Festival;
 * - grid workers report most (巡查发现), then residents, the 12345 hotline and property companies;
 * - most are solved inside the grid (小事不出网格), ~12% go to a community department, ~4% to the street;
 * - ~93% are resolved by the category's time limit, a few requests of the last weeks are still open
 *   and overdue (~5% of the last three weeks wait on a handler); ratings are mostly 5 and 4 (the seeds' "满意率 98%"); ~2% are cancelled as duplicates.
 * Reopened requests are not generated (the API supports them). No reporter names or phones.
 */
import type { EscalationLevel, ReporterChannel, RequestStatus } from '../../geo/requests/lifecycle.js';
import { Random } from './random.js';

export interface RequestBuilding {
  code: string;
  number: string;
  lon: number;
  lat: number;
  households: number;
  communityCode: string;
  gridCode: string | null;
}

export interface RequestCategoryLimit {
  code: string;
  limitHours: number;
}

export interface DemoEvent {
  at: number;
  actor: string;
  step: string;
  from: RequestStatus | null;
  to: RequestStatus;
  note: string | null;
  detail: Record<string, unknown>;
}

export interface DemoRequest {
  category: string;
  description: string;
  channel: ReporterChannel;
  buildingCode: string;
  lon: number;
  lat: number;
  communityCode: string;
  gridCode: string | null;
  status: RequestStatus;
  level: EscalationLevel;
  assigneeKind: 'grid_worker' | 'department' | null;
  assignee: string | null;
  rating: number | null;
  reportedBy: string;
  reportedAt: number;
  dueAt: number;
  resolvedAt: number | null;
  closedAt: number | null;
  events: DemoEvent[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Relative frequency per category and month (index 0 = January). */
const SEASON: Record<string, number[]> = {
  safety: [1.2, 1.3, 1, 0.9, 0.9, 1, 1.1, 1.1, 0.9, 0.9, 1, 1.2],
  utilities: [2.2, 2, 1.4, 0.8, 0.6, 0.7, 0.9, 0.9, 0.7, 0.9, 1.8, 2.3],
  repair: [1, 0.9, 1, 1, 1, 1.1, 1.5, 1.6, 1.1, 1, 1, 1],
  sanitation: [0.8, 1, 0.9, 1, 1.2, 1.4, 1.6, 1.5, 1.2, 1, 0.9, 0.8],
  elderly_care: [1.3, 1.6, 1, 0.9, 0.9, 0.9, 1, 1, 1, 1.2, 1, 1.2],
  dispute: [0.9, 1.1, 1, 1, 1, 1.1, 1.2, 1.2, 1, 1, 0.9, 0.9],
  noise: [0.6, 0.9, 0.8, 1, 1.2, 1.5, 1.7, 1.6, 1.1, 0.9, 0.7, 0.6],
  parking: [1, 1.2, 1, 1, 1, 1, 1, 1, 1, 1.3, 1, 1],
  greening: [0.3, 0.4, 1.5, 1.8, 1.5, 1.2, 1, 1, 0.9, 0.8, 0.5, 0.3],
  other: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
};
/** Share of requests per category over the year. */
const SHARE: Record<string, number> = {
  repair: 0.22, sanitation: 0.17, utilities: 0.1, safety: 0.1, elderly_care: 0.09, dispute: 0.08,
  noise: 0.07, parking: 0.08, greening: 0.05, other: 0.04,
};

const TEXT: Record<string, string[]> = {
  safety: ['楼道堆放杂物，存在消防隐患', '电动车在楼道内充电', '单元门禁损坏无法关闭', '外墙瓷砖松动有脱落危险', '消防栓箱门损坏'],
  utilities: ['暖气不热，室温偏低', '楼内停水，居民用水困难', '公共照明线路故障', '燃气表箱锈蚀需检查', '雨水管堵塞倒灌'],
  repair: ['楼道声控灯不亮', '单元门闭门器损坏', '楼顶防水层破损漏雨', '小区路面坑洼需修补', '健身器材损坏', '下水道堵塞返水'],
  sanitation: ['垃圾桶满溢未及时清运', '绿化带内有建筑垃圾', '楼道小广告需清理', '宠物粪便无人清理', '化粪池外溢'],
  elderly_care: ['独居老人需上门探访', '老人申请助餐服务', '高龄老人需协助办理补贴', '老人行动不便需代购药品'],
  dispute: ['楼上漏水引发邻里纠纷', '公共区域占用引发矛盾', '装修扰民引发争执', '宠物饲养引发邻里矛盾'],
  noise: ['夜间广场舞音响过大', '商铺外放音乐扰民', '夜间装修施工噪音', '空调外机噪音过大'],
  parking: ['车辆占用消防通道', '非机动车乱停放', '僵尸车长期占用车位', '外来车辆占用小区车位'],
  greening: ['树木枝杈遮挡窗户', '绿地缺苗需补种', '枯树存在倒伏风险', '草坪需要修剪'],
  other: ['咨询老旧小区改造政策', '建议增设便民座椅', '反映快递柜不足', '建议增设充电桩'],
};
const DONE_NOTE: Record<string, string[]> = {
  safety: ['已清理并张贴提示', '已联系业主整改完毕'],
  utilities: ['已联系供热公司排查处理', '已协调维修恢复正常'],
  repair: ['已维修完毕', '已更换损坏部件'],
  sanitation: ['已安排保洁清理', '已协调环卫清运'],
  elderly_care: ['已上门探访并登记需求', '已协助办理完毕'],
  dispute: ['已调解，双方达成一致', '已协调物业处理'],
  noise: ['已劝导整改', '已协调执法部门处理'],
  parking: ['已清理并设置提示牌', '已联系车主挪车'],
  greening: ['已修剪完毕', '已补种完成'],
  other: ['已答复居民', '已记录并转交相关部门'],
};
const DEPTS_COMMUNITY = ['community_office', 'property', 'community_police'];
const DEPTS_STREET: Record<string, string> = {
  safety: 'street_safety', utilities: 'street_housing', repair: 'street_housing', sanitation: 'street_urban',
  elderly_care: 'street_civil', dispute: 'street_civil', noise: 'street_urban', parking: 'street_urban',
  greening: 'street_urban', other: 'street_civil',
};

/** Knuth's Poisson sampler (fine for the small means used here). */
function poisson(rng: Random, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.float();
  while (p > limit) {
    k++;
    p *= rng.float();
  }
  return k;
}

export interface RequestGenOptions {
  seed: number;
  /** Requests are reported in the 365 days before this instant; later events are not generated. */
  endMs: number;
  perDay?: number;
}

export function generateRequests(buildings: readonly RequestBuilding[], categories: readonly RequestCategoryLimit[], opts: RequestGenOptions): DemoRequest[] {
  const rng = Random.derive(opts.seed, 'requests');
  const withGrid = buildings.filter((b) => b.gridCode !== null);
  if (withGrid.length === 0) return [];
  const cumulative: number[] = [];
  let sum = 0;
  for (const b of withGrid) cumulative.push((sum += Math.max(8, b.households)));
  const pickBuilding = () => {
    const r = rng.float() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return withGrid[lo];
  };
  const limits = new Map(categories.map((c) => [c.code, c.limitHours]));
  const codes = categories.map((c) => c.code).filter((c) => SHARE[c] !== undefined);
  const out: DemoRequest[] = [];
  const perDay = opts.perDay ?? 8.2;
  const dayStart = Math.floor((opts.endMs + 8 * HOUR) / DAY) * DAY - 8 * HOUR; // today 00:00 China time
  for (let d = 365; d >= 0; d--) {
    const day = dayStart - d * DAY;
    const local = new Date(day + 8 * HOUR);
    const month = local.getUTCMonth();
    const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6;
    const weights = codes.map((c) => SHARE[c] * SEASON[c][month]);
    const mean = perDay * (weekend ? 0.7 : 1.1) * (weights.reduce((a, b) => a + b, 0) / 1.0);
    const n = poisson(rng, mean);
    for (let i = 0; i < n; i++) {
      const reportedAt = day + rng.range(7, 21) * HOUR;
      if (reportedAt >= opts.endMs) continue;
      out.push(oneRequest(rng, rng.weighted(codes, weights), pickBuilding(), reportedAt, limits, opts.endMs));
    }
  }
  return out.sort((a, b) => a.reportedAt - b.reportedAt);
}

function oneRequest(
  rng: Random,
  category: string,
  b: RequestBuilding,
  reportedAt: number,
  limits: Map<string, number>,
  endMs: number,
): DemoRequest {
  const limitH = limits.get(category) ?? 72;
  const channel = rng.table<ReporterChannel>([['grid_worker', 0.45], ['resident', 0.25], ['hotline_12345', 0.2], ['property', 0.1]]);
  const grid = b.gridCode!;
  const worker = `demo-网格员-${grid}`;
  const dispatcher = `demo-社区-${b.communityCode}`;
  const reportedBy = channel === 'grid_worker' ? worker : channel === 'hotline_12345' ? 'demo-12345热线' : dispatcher;
  const r: DemoRequest = {
    category,
    description: `${b.number}${rng.pick(TEXT[category] ?? TEXT.other)}`,
    channel,
    buildingCode: b.code,
    lon: b.lon + rng.range(-0.00012, 0.00012),
    lat: b.lat + rng.range(-0.0001, 0.0001),
    communityCode: b.communityCode,
    gridCode: grid,
    status: 'reported',
    level: 'grid',
    assigneeKind: null,
    assignee: null,
    rating: null,
    reportedBy,
    reportedAt,
    dueAt: reportedAt + limitH * HOUR,
    resolvedAt: null,
    closedAt: null,
    events: [{ at: reportedAt, actor: reportedBy, step: 'report', from: null, to: 'reported', note: null, detail: { channel, grid } }],
  };
  let t = reportedAt;
  /** Adds a step at `t + dt` unless it would lie after the end; returns false when the story stops. */
  const step = (dtHours: number, actor: string, kind: string, to: RequestStatus, note: string | null, patch: Partial<DemoRequest> = {}) => {
    const at = t + dtHours * HOUR;
    if (at >= endMs) return false;
    r.events.push({ at, actor, step: kind, from: r.status, to, note, detail: { level: patch.level ?? r.level, ...(patch.assignee ? { assignee: patch.assignee } : {}), ...(patch.rating ? { rating: patch.rating } : {}) } });
    Object.assign(r, patch, { status: to });
    t = at;
    return true;
  };

  if (rng.chance(0.02)) {
    if (step(rng.range(0.5, 4), dispatcher, 'cancel', 'closed', '重复上报，已合并')) r.closedAt = t;
    return r;
  }
  const claim = channel === 'grid_worker';
  if (!step(claim ? rng.range(0, 0.5) : rng.range(0.3, 4), claim ? worker : dispatcher, claim ? 'claim' : 'dispatch', 'dispatched', null,
    { assigneeKind: 'grid_worker', assignee: grid })) return r;
  // Of the last three weeks, a few wait on a handler or a department (these show as overdue).
  const recent = endMs - reportedAt < 21 * DAY;
  if (recent && rng.chance(0.015)) return r;
  if (!step(rng.range(0.1, 2), worker, 'accept', 'accepted', null)) return r;
  if (recent && rng.chance(0.04)) return r;
  const level = rng.table<EscalationLevel>([['grid', 0.84], ['community', 0.12], ['street', 0.04]]);
  if (level !== 'grid') {
    const dept = level === 'community' ? rng.pick(DEPTS_COMMUNITY) : DEPTS_STREET[category];
    if (!step(rng.range(1, 8), worker, 'escalate', 'dispatched', '网格内无法解决，上报处理', { level, assigneeKind: 'department', assignee: dept })) return r;
    if (!step(rng.range(0.5, 6), dispatcher, 'accept', 'accepted', null)) return r;
  }
  // Time to resolve as a share of the limit: most well inside it, ~7% late, a few stuck for weeks.
  const late = rng.chance(0.07);
  const stuck = rng.chance(0.004);
  const share = stuck ? rng.range(3, 12) : late ? rng.range(1.05, 2.2) : 0.08 + 0.8 * rng.float() ** 2;
  const resolveAt = reportedAt + share * limitH * HOUR;
  if (!step(Math.max(0.2, (resolveAt - t) / HOUR), level === 'grid' ? worker : dispatcher, 'resolve', 'resolved', rng.pick(DONE_NOTE[category] ?? DONE_NOTE.other))) return r;
  r.resolvedAt = t;
  if (rng.chance(0.86)) {
    const rating = rng.table([[5, 0.8], [4, 0.18], [3, 0.012], [2, 0.005], [1, 0.003]] as const);
    if (!step(rng.range(4, 72), dispatcher, 'rate', 'rated', '电话回访', { rating })) return r;
  }
  if (step(rng.range(24, 96), dispatcher, 'close', 'closed', null)) r.closedAt = t;
  return r;
}
