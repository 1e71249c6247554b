/** Households per grid as an echarts bar chart, with the 300 and 400 band lines. */
import { BarChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { DEFAULT_BAND } from '../../../geo/band';
import { BAND_COLORS } from '../../map/palette';

echarts.use([BarChart, GridComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

export function HouseholdChart({ rows }: { rows: { code: string; households: number; status: string }[] }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    chart.current = echarts.init(box.current!, undefined, { renderer: 'canvas' });
    return () => chart.current?.dispose();
  }, []);
  useEffect(() => {
    chart.current?.setOption({
      animation: false,
      grid: { left: 40, right: 34, top: 10, bottom: 24 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: rows.map((r) => r.code), axisLabel: { color: '#9FB3C8', fontSize: 10 } },
      yAxis: { type: 'value', max: (v: { max: number }) => Math.max(450, Math.ceil(v.max / 50) * 50), axisLabel: { color: '#9FB3C8' }, splitLine: { lineStyle: { color: '#26313c' } } },
      series: [
        {
          type: 'bar',
          data: rows.map((r) => ({ value: r.households, itemStyle: { color: BAND_COLORS[r.status as keyof typeof BAND_COLORS] ?? '#888' } })),
          markLine: {
            symbol: 'none',
            silent: true,
            lineStyle: { color: '#E6EDF3', type: 'dashed' },
            label: { color: '#E6EDF3', fontSize: 10 },
            data: [{ yAxis: DEFAULT_BAND.lo }, { yAxis: DEFAULT_BAND.hi }],
          },
        },
      ],
    });
  }, [rows]);
  return <div ref={box} className="planner-chart" data-testid="household-chart" />;
}
