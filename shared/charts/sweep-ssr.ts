/** The sweep's charts as SVG text without a browser (ECharts server-side rendering), for the HTML report. */
import type { SweepRecord } from '../contract/sweep';
import { optionSvg } from './ssr';
import { sweepMemoryOption, sweepTimeOption, type SweepChartStyle } from './sweep';

export function sweepChartsSvg(
  sweep: SweepRecord,
  style: Omit<SweepChartStyle, 'withTitle'>,
): { time: string | null; memory: string | null } {
  const drawn = { ...style, withTitle: true };
  return {
    time: sweep.points.length ? optionSvg(sweepTimeOption(sweep, drawn), 760, 420) : null,
    memory: sweep.points.some((p) => p.peakRssBytes !== undefined) ? optionSvg(sweepMemoryOption(sweep, drawn), 760, 360) : null,
  };
}
