/**
 * A small ECharts host: one chart instance per element, options replaced on change, clicks
 * forwarded. Charts draw at the stage's scale × devicePixelRatio so they stay sharp on 4K.
 */
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export function EChart(props: {
  option: ChartOption;
  pixelRatio: number;
  testId: string;
  onClick?: (params: { name: string; dataIndex: number; data: unknown }) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const onClick = useRef(props.onClick);
  onClick.current = props.onClick;

  useEffect(() => {
    const c = echarts.init(box.current!, undefined, { renderer: 'canvas', devicePixelRatio: props.pixelRatio });
    c.on('click', (p) => onClick.current?.(p as { name: string; dataIndex: number; data: unknown }));
    chart.current = c;
    return () => c.dispose();
  }, [props.pixelRatio]);

  // The first drawing of an instance is not animated: on a software-rendered screen every
  // animation frame is a full recomposite, and the first render is what the screen is timed on.
  // Later changes (drill-down, refresh) animate.
  const drawn = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    const first = drawn.current !== c;
    drawn.current = c;
    c.setOption(first ? { ...props.option, animation: false } : props.option, { notMerge: true });
    if (box.current) box.current.dataset.series = String(countData(props.option));
  }, [props.option, props.pixelRatio]);

  return <div ref={box} className="sp-chart" data-testid={props.testId} />;
}

/** Number of data points in the first series (the e2e test checks every chart has data). */
function countData(option: ChartOption): number {
  const series = (option as { series?: { data?: unknown[] }[] }).series;
  return series?.[0]?.data?.length ?? 0;
}
