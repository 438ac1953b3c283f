/**
 * A self-contained HTML page for a published run: dataset facts, then each analysis with its
 * chart (inline SVG) and its first rows. Used when the export module's report is not available.
 */
import { analysisById } from '../../../shared/analyses';
import type { AnalysisRun } from '../../../shared/contract/analysis';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface ReportInput {
  run: AnalysisRun;
  datasetRows: number;
  charts: Map<string, { svg?: string; pngBase64?: string }>;
  maxRows?: number;
}

export function runReportHtml({ run, datasetRows, charts, maxRows = 50 }: ReportInput): string {
  const sections = run.results.map((r) => {
    const spec = analysisById(r.id);
    const title = spec?.title.en ?? r.id;
    const chart = charts.get(r.id);
    const figure = chart?.svg
      ? `<figure>${chart.svg.replace(/^<\?xml[^>]*>/, '')}</figure>`
      : chart?.pngBase64
        ? `<figure><img alt="${esc(title)}" src="data:image/png;base64,${chart.pngBase64.replace(/\s/g, '')}"></figure>`
        : '';
    let body = `<p class="muted">${esc(r.status)}${r.reason ? `: ${esc(r.reason)}` : ''}</p>`;
    if (r.table) {
      const head = r.table.columns.map((c) => `<th>${esc(c.name)}</th>`).join('');
      const rows = r.table.rows
        .slice(0, maxRows)
        .map((row) => `<tr>${row.map((v) => `<td>${esc(v === null ? '' : v)}</td>`).join('')}</tr>`)
        .join('');
      const more = r.table.rows.length > maxRows ? `<p class="muted">${r.table.rows.length - maxRows} more rows in the result files.</p>` : '';
      body = `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>${more}`;
    }
    return `<section><h2>${esc(title)}</h2><p class="muted">${esc(r.id)} · ${r.timings.computeMs.toFixed(1)} ms</p>${figure}${body}</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(run.dataset)} · run ${esc(run.runId)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:14px system-ui,sans-serif;margin:2rem auto;max-width:1000px;color:#1f2329}table{border-collapse:collapse;font-size:12px}
td,th{border:1px solid #e5e7eb;padding:2px 6px;text-align:left}.muted{color:#6b7280}figure{margin:0}svg,img{max-width:100%;height:auto}</style></head>
<body><h1>${esc(run.dataset)} (version ${run.version})</h1>
<p class="muted">Run ${esc(run.runId)} by ${esc(run.engine)} started ${esc(run.startedAt)} · ${datasetRows} rows in the dataset, ${run.rows} analysed · ${run.totalMs.toFixed(0)} ms</p>
${sections.join('\n')}
</body></html>`;
}
