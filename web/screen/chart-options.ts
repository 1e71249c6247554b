/**
 * ECharts options of the wall screen's charts, in the data-screen style: dark, cyan axes, band
 * colours shared with the map (palette.ts). Pure functions of the scope's data.
 */
import type { BandStatus, FacilityCategory } from '../http/api-types';
import type { ScreenCommunity, ScreenGrid } from '../http/screen-api';
import { BAND_COLORS, BAND_ORDER } from '../map/palette';
import { CJK_FONT_STACK } from '../map/fonts';
import type { ChartOption } from './echart';

const AXIS = '#7FA7C9';
const SPLIT = 'rgba(64, 160, 255, 0.12)';
const TEXT = { color: '#CFE6FF', fontFamily: CJK_FONT_STACK };


/** Households per basic grid with the 300 and 400 lines; the selected grid stands out. */
/** More basic grids than this in scope: the households chart becomes a histogram. */
export const GRID_BARS_MAX = 150;
const HISTOGRAM_BIN = 25;

/**
 * A big street (hundreds of communities, thousands of grids): one bar per grid would be a smear,
 * so grids are counted by households in bins of 25, coloured by band, with the 300 and 400 lines.
 */
function householdsHistogramOption(basic: ScreenGrid[], opts: { lo: number; hi: number; gridsUnit?: string }): ChartOption {
  const lo = Math.floor(Math.min(opts.lo - HISTOGRAM_BIN, ...basic.map((g) => g.households)) / HISTOGRAM_BIN) * HISTOGRAM_BIN;
  const hi = Math.ceil((Math.max(opts.hi + HISTOGRAM_BIN, ...basic.map((g) => g.households)) + 1) / HISTOGRAM_BIN) * HISTOGRAM_BIN;
  const bins: number[] = Array.from({ length: Math.max(1, (hi - lo) / HISTOGRAM_BIN) }, () => 0);
  for (const g of basic) bins[Math.min(bins.length - 1, Math.floor((g.households - lo) / HISTOGRAM_BIN))]++;
  const label = (i: number) => `${lo + i * HISTOGRAM_BIN}`;
  const status = (i: number) => {
    const from = lo + i * HISTOGRAM_BIN;
    return from + HISTOGRAM_BIN <= opts.lo ? 'under' : from > opts.hi ? 'over' : 'in';
  };
  return {
    textStyle: TEXT,
    grid: { left: 56, right: 64, top: 18, bottom: 36 },
    tooltip: { trigger: 'axis', confine: true, textStyle: { fontSize: 16 } },
    xAxis: {
      type: 'category',
      data: bins.map((_, i) => label(i)),
      axisLine: { lineStyle: { color: AXIS } },
      axisTick: { show: false },
      axisLabel: { color: '#A9C8E6', fontSize: 15, interval: 3 },
    },
    yAxis: { type: 'value', name: opts.gridsUnit, axisLabel: { color: '#A9C8E6', fontSize: 15 }, splitLine: { lineStyle: { color: SPLIT } } },
    series: [
      {
        type: 'bar',
        barCategoryGap: '8%',
        data: bins.map((n, i) => ({ value: n, name: label(i), itemStyle: { color: BAND_COLORS[status(i)], borderRadius: [3, 3, 0, 0] } })),
        markLine: {
          symbol: 'none',
          silent: true,
          lineStyle: { color: '#FFD34D', type: 'dashed', width: 2 },
          label: { color: '#FFD34D', fontSize: 16, fontWeight: 'bold', formatter: '{b}' },
          data: [
            { xAxis: label(Math.floor((opts.lo - lo) / HISTOGRAM_BIN)), name: String(opts.lo) },
            { xAxis: label(Math.floor((opts.hi - lo) / HISTOGRAM_BIN)), name: String(opts.hi) },
          ],
        },
      },
    ],
  };
}

export function gridHouseholdsOption(
  grids: ScreenGrid[],
  opts: { lo: number; hi: number; selected: string | null; label: (g: ScreenGrid) => string; showLabels: boolean; gridsUnit?: string },
): ChartOption {
  const basic = grids.filter((g) => g.kind === 'basic');
  if (basic.length > GRID_BARS_MAX) return householdsHistogramOption(basic, opts);
  const max = Math.max(opts.hi + 60, ...basic.map((g) => g.households));
  return {
    animationDuration: 600,
    textStyle: TEXT,
    grid: { left: 56, right: 64, top: 18, bottom: opts.showLabels ? 44 : 16 },
    tooltip: { trigger: 'axis', confine: true, textStyle: { fontSize: 16 } },
    xAxis: {
      type: 'category',
      data: basic.map(opts.label),
      axisLine: { lineStyle: { color: AXIS } },
      axisTick: { show: false },
      axisLabel: { show: opts.showLabels, color: '#A9C8E6', fontSize: 15, interval: 0, hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      max: Math.ceil(max / 100) * 100,
      interval: 100,
      axisLabel: { color: '#A9C8E6', fontSize: 15 },
      splitLine: { lineStyle: { color: SPLIT } },
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 36,
        data: basic.map((g) => ({
          value: g.households,
          name: g.code,
          itemStyle: {
            color: BAND_COLORS[g.status],
            opacity: opts.selected && opts.selected !== g.code ? 0.35 : 1,
            borderRadius: [3, 3, 0, 0],
            ...(opts.selected === g.code ? { borderColor: '#FFFFFF', borderWidth: 2, shadowBlur: 12, shadowColor: '#00E5FF' } : {}),
          },
        })),
        markLine: {
          symbol: 'none',
          silent: true,
          lineStyle: { color: '#FFD34D', type: 'dashed', width: 2 },
          label: { color: '#FFD34D', fontSize: 16, fontWeight: 'bold', formatter: '{c}' },
          data: [{ yAxis: opts.lo }, { yAxis: opts.hi }],
        },
      },
    ],
  };
}

/** Band status donut with the in-band rate in the middle. */
export function bandDonutOption(band: Record<BandStatus, number>, labels: Record<BandStatus, string>, rateLabel: string): ChartOption {
  const basic = band.in + band.under + band.over;
  const rate = basic ? Math.round((band.in / basic) * 100) : 0;
  return {
    animationDuration: 600,
    textStyle: TEXT,
    tooltip: { trigger: 'item', textStyle: { fontSize: 16 } },
    legend: {
      orient: 'vertical',
      right: 8,
      top: 'middle',
      itemWidth: 14,
      itemHeight: 14,
      itemGap: 14,
      textStyle: { color: '#CFE6FF', fontSize: 17 },
      formatter: (name: string) => {
        const s = BAND_ORDER.find((k) => labels[k] === name);
        return s ? `${name}  ${band[s]}` : name;
      },
    },
    series: [
      {
        type: 'pie',
        radius: ['56%', '80%'],
        center: ['30%', '50%'],
        avoidLabelOverlap: true,
        label: {
          show: true,
          position: 'center',
          formatter: () => `{v|${basic ? rate + '%' : '—'}}\n{l|${rateLabel}}`,
          rich: {
            v: { fontSize: 34, fontWeight: 'bold', color: '#3CF0B4', fontFamily: 'DIN Alternate, Bahnschrift, monospace' },
            l: { fontSize: 15, color: '#A9C8E6', padding: [6, 0, 0, 0] },
          },
        },
        labelLine: { show: false },
        itemStyle: { borderColor: '#061427', borderWidth: 3 },
        data: BAND_ORDER.map((k) => ({ name: labels[k], value: band[k], itemStyle: { color: BAND_COLORS[k] } })),
      },
    ],
  };
}

/** Facilities by category, most first (top 8), bars in the category's colour. */
export function facilitiesOption(byCategory: Record<string, number>, categories: FacilityCategory[], lang: string): ChartOption {
  const rows = categories
    .map((c) => ({ c, n: byCategory[c.code] ?? 0 }))
    .filter((r) => r.n > 0)
    .sort((a, b) => b.n - a.n)
    .slice(0, 8)
    .reverse();
  return {
    animationDuration: 600,
    textStyle: TEXT,
    grid: { left: 8, right: 48, top: 4, bottom: 4, containLabel: true },
    tooltip: { trigger: 'axis', textStyle: { fontSize: 16 } },
    xAxis: { type: 'value', show: false },
    yAxis: {
      type: 'category',
      data: rows.map((r) => (lang === 'en' ? r.c.nameEn || r.c.name : r.c.name)),
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: { color: '#CFE6FF', fontSize: 16, width: 150, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        barWidth: 14,
        data: rows.map((r) => ({ value: r.n, itemStyle: { color: r.c.color, borderRadius: 7 } })),
        label: { show: true, position: 'right', color: '#FFFFFF', fontSize: 17, fontWeight: 'bold' },
        showBackground: true,
        backgroundStyle: { color: 'rgba(64, 160, 255, 0.08)', borderRadius: 7 },
      },
    ],
  };
}

/** Households (bars) and party members (line, right axis) per community. */
export function communitiesOption(
  communities: ScreenCommunity[],
  opts: { selected: string | null; households: string; partyMembers: string },
): ChartOption {
  const names = communities.map((c) => (c.shortName || c.name).replace(/社区$/, ''));
  return {
    animationDuration: 600,
    textStyle: TEXT,
    legend: { top: 0, right: 8, itemWidth: 14, itemHeight: 10, textStyle: { color: '#CFE6FF', fontSize: 16 } },
    grid: { left: 8, right: 8, top: 36, bottom: 4, containLabel: true },
    tooltip: { trigger: 'axis', textStyle: { fontSize: 16 } },
    xAxis: {
      type: 'category',
      data: names,
      axisLine: { lineStyle: { color: AXIS } },
      axisTick: { show: false },
      axisLabel: { color: '#CFE6FF', fontSize: 14, interval: 0, rotate: 35 },
    },
    yAxis: [
      { type: 'value', axisLabel: { color: '#A9C8E6', fontSize: 14 }, splitLine: { lineStyle: { color: SPLIT } } },
      { type: 'value', axisLabel: { color: '#FF8A80', fontSize: 14 }, splitLine: { show: false } },
    ],
    series: [
      {
        name: opts.households,
        type: 'bar',
        barMaxWidth: 22,
        data: communities.map((c) => ({
          value: c.households,
          name: c.code,
          itemStyle: {
            color: {
              type: 'linear', x: 0, y: 0, x2: 0, y2: 1,
              colorStops: [{ offset: 0, color: '#26E0FF' }, { offset: 1, color: 'rgba(38, 120, 255, 0.25)' }],
            },
            opacity: opts.selected && opts.selected !== c.code ? 0.3 : 1,
          },
        })),
      },
      {
        name: opts.partyMembers,
        type: 'line',
        yAxisIndex: 1,
        smooth: true,
        symbolSize: 9,
        lineStyle: { color: '#FF5A4E', width: 3 },
        itemStyle: { color: '#FF5A4E' },
        data: communities.map((c) => c.partyMembers),
      },
    ],
  };
}

