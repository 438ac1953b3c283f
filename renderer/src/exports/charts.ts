import { analysisById } from '../../../shared/analyses';
import type { AnalysisRun } from '../../../shared/api';
import { chartOption, type ChartStyle } from '../../../shared/charts';
import type { ChartImage } from '../../../shared/contract/storage';
import { chartSvgText } from '../charts/exportChart';

/** SVG of every chartable result of a run, as the app draws them, for publishing with the run. */
export function publishCharts(run: AnalysisRun, style: Pick<ChartStyle, 'dark' | 'lang'>): ChartImage[] {
  const images: ChartImage[] = [];
  for (const result of run.results) {
    const spec = analysisById(result.id);
    if (!spec || result.status !== 'ok' || !result.table) continue;
    const option = chartOption(spec, result.table, { ...style, withTitle: true });
    if (option) images.push({ analysisId: result.id, svg: chartSvgText(option, 720, 420) });
  }
  return images;
}
