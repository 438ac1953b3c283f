/**
 * Server-side chart images for a publish: the UI helper's ECharts SSR (shared/charts/ssr.ts, the
 * same option builders as the app panels), made byte-stable. Used for analyses the UI did not send
 * an image for (CLI publish, queued retries).
 */
import { analysisById } from '../../../shared/analyses';
import { renderChartSvg as renderSvg } from '../../../shared/charts/ssr';
import type { ResultTable } from '../../../shared/contract/analysis';
import type { Lang } from '../../../shared/i18n/types';

export function renderChartSvg(analysisId: string, table: ResultTable | null, lang: Lang = 'en'): string | null {
  const spec = analysisById(analysisId) ?? { id: analysisId, chart: null };
  const svg = renderSvg(spec, table, { lang, withTitle: true, width: 900, height: 520 });
  return svg === null ? null : stableIds(svg);
}

/**
 * ECharts names classes, clip paths and gradients after process-wide counters (`zr3-cls-12`), so
 * the same chart differs byte for byte between renders. Renumbering them in order of appearance
 * makes it identical, so a resumed publish finds the image already stored.
 */
export function stableIds(svg: string): string {
  const renamed = new Map<string, string>();
  const counters = new Map<string, number>();
  return svg.replace(/\bzr\d+-([A-Za-z]+)(-?)(\d+)\b/g, (token: string, kind: string, dash: string) => {
    let name = renamed.get(token);
    if (!name) {
      const n = counters.get(kind) ?? 0;
      counters.set(kind, n + 1);
      name = `zr0-${kind}${dash}${n}`;
      renamed.set(token, name);
    }
    return name;
  });
}
