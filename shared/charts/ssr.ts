/**
 * Charts as SVG text without a browser (ECharts server-side rendering): the HTML report and the
 * chart images published to MinIO use the same option builders as the app's panels.
 */
import { createRequire } from 'node:module';
import type * as ECharts from 'echarts';
import type { ResultTable } from '../contract/analysis';
import { chartOption, suggestedHeight, type ChartableSpec, type ChartStyle } from './index';

// Loaded on first use: ECharts takes about a second to load, and most engine work draws no chart.
const require = createRequire(import.meta.url);
let echartsModule: typeof ECharts | undefined;
const echarts = () => (echartsModule ??= require('echarts') as typeof ECharts);

export interface SvgChartOptions extends Partial<ChartStyle> {
  width?: number;
  height?: number;
}

/** The chart of one analysis result as a standalone SVG document, or null when it is table-only. */
export function renderChartSvg(spec: ChartableSpec, table: ResultTable | null | undefined, options: SvgChartOptions = {}): string | null {
  const option = chartOption(spec, table, {
    dark: options.dark ?? false,
    lang: options.lang ?? 'en',
    withTitle: options.withTitle ?? true,
    animation: false,
  });
  if (!option) return null;
  return optionSvg(option, options.width ?? 720, options.height ?? suggestedHeight(option, 420));
}

/** Any ECharts option drawn as SVG text. */
export function optionSvg(option: Record<string, unknown>, width: number, height: number): string {
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
