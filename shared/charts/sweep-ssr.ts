/** The sweep's charts as SVG text without a browser (ECharts server-side rendering), for the HTML report. */
import * as echarts from 'echarts';
import type { SweepRecord } from '../contract/sweep';
import { sweepMemoryOption, sweepTimeOption, type SweepChartStyle } from './sweep';

function svg(option: Record<string, unknown>, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export function sweepChartsSvg(
  sweep: SweepRecord,
  style: Omit<SweepChartStyle, 'withTitle'>,
): { time: string | null; memory: string | null } {
  const drawn = { ...style, withTitle: true };
  return {
    time: sweep.points.length ? svg(sweepTimeOption(sweep, drawn), 760, 420) : null,
    memory: sweep.points.some((p) => p.peakRssBytes !== undefined) ? svg(sweepMemoryOption(sweep, drawn), 760, 360) : null,
  };
}
