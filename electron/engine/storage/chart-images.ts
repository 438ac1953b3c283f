/**
 * Server-side chart images for a publish: the same ECharts option the app panels draw
 * (shared/charts), rendered to SVG with ECharts' SSR renderer. Used for analyses the UI did not
 * send an image for (CLI publish, queued retries).
 */
import * as echarts from 'echarts';
import { analysisById } from '../../../shared/analyses';
import { chartOption } from '../../../shared/charts';
import type { ResultTable } from '../../../shared/contract/analysis';

export function renderChartSvg(analysisId: string, table: ResultTable | null, lang: 'en' | 'fr' = 'en'): string | null {
  const spec = analysisById(analysisId) ?? { id: analysisId, chart: null };
  const option = chartOption(spec, table, { dark: false, lang, withTitle: true, animation: false });
  if (!option) return null;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 900, height: 520 });
  try {
    chart.setOption(option as echarts.EChartsOption);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
