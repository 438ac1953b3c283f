/**
 * The HTML report of a run: one self-contained file (no script, no external resource) with the
 * dataset facts, the cleaning options, the timings, and per analysis its chart (inline SVG from
 * ECharts server-side rendering, through the same option builders as the app's panels) and its
 * table. Print CSS makes "Print ▸ Save as PDF" in any browser give a clean document.
 */
import { ANALYSES } from '../../../shared/analyses';
import { renderChartSvg } from '../../../shared/charts/ssr';
import { sweepChartsSvg } from '../../../shared/charts/sweep-ssr';
import type { AnalysisResult, AnalysisRun, CleaningOptions, ResultTable } from '../../../shared/contract/analysis';
import type { SweepRecord } from '../../../shared/contract/sweep';
import { formatByteSize } from '../../../shared/format';
import { interpolate, strings, translate, type Lang } from '../../../shared/i18n';
import type { DatasetVersionInfo } from '../../../shared/types';

/** The source file's name only: a published report must not tell where on the disk it was (nor an upload's id). */
function sourceFileName(sourcePath: string | null): string {
  const name = sourcePath?.split(/[\\/]/).pop();
  return name ? name.replace(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-/, '') : '—';
}

export interface ReportInput {
  run: AnalysisRun;
  /** The dataset version the run read, when it still exists. */
  dataset: DatasetVersionInfo | null;
  lang?: Lang;
  dark?: boolean;
  /** Rows shown per result table (the exports carry them all). */
  maxTableRows?: number;
  generatedAt?: Date;
  /** The dataset's latest size sweep: adds the "which engine for which size" section. */
  sweep?: SweepRecord | null;
}

/** The report's words: `report.*` in the app's resource tree (shared/i18n). */
const wordsOf = (lang: Lang) => strings(lang).report;

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function formatNumber(n: number, lang: Lang): string {
  return n.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-US', { maximumFractionDigits: 4 });
}

function formatMs(ms: number, lang: Lang): string {
  return ms >= 1000 ? `${formatNumber(Math.round(ms / 10) / 100, lang)} s` : `${formatNumber(Math.round(ms), lang)} ms`;
}

function formatBytes(bytes: number | null, lang: Lang): string {
  return bytes === null ? '—' : formatByteSize(bytes, lang);
}

function cell(value: unknown, lang: Lang): string {
  if (value === null || value === undefined) return '<td class="null">∅</td>';
  if (typeof value === 'number') return `<td class="num">${escapeHtml(formatNumber(value, lang))}</td>`;
  return `<td>${escapeHtml(value)}</td>`;
}

function htmlTable(table: ResultTable, lang: Lang, maxRows: number): string {
  const w = wordsOf(lang);
  const head = table.columns
    .map((c) => `<th${c.type === 'integer' || c.type === 'float' ? ' class="num"' : ''}>${escapeHtml(c.name)}</th>`)
    .join('');
  const body = table.rows
    .slice(0, maxRows)
    .map((row) => `<tr>${row.map((v) => cell(v, lang)).join('')}</tr>`)
    .join('\n');
  const note =
    table.rows.length > maxRows ? `<p class="note">${escapeHtml(interpolate(w.shown, { n: maxRows, of: table.rows.length }))}</p>` : '';
  return `<table class="result"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>${note}`;
}

function statusLabel(result: AnalysisResult, lang: Lang): string {
  const w = wordsOf(lang);
  return result.status === 'ok' ? w.ok : result.status === 'failed' ? w.failed : w.notApplicable;
}

function section(result: AnalysisResult, index: number, input: Required<Pick<ReportInput, 'lang' | 'dark' | 'maxTableRows'>>): string {
  const { lang, dark, maxTableRows } = input;
  const spec = ANALYSES.find((a) => a.id === result.id);
  const title = spec ? translate(lang, spec.title) : result.id;
  const description = spec ? translate(lang, spec.description) : '';
  const parts = [`<section class="analysis" id="a-${escapeHtml(result.id)}">`, `<h2>${index + 1}. ${escapeHtml(title)}</h2>`];
  if (description) parts.push(`<p class="description">${escapeHtml(description)}</p>`);
  parts.push(
    `<p class="meta">${escapeHtml(statusLabel(result, lang))} · ${escapeHtml(wordsOf(lang).compute)} ${escapeHtml(formatMs(result.timings.computeMs, lang))} · ${escapeHtml(wordsOf(lang).rows)} ${escapeHtml(formatNumber(result.rowsIn, lang))} → ${escapeHtml(formatNumber(result.rowsOut, lang))}</p>`,
  );
  if (result.status !== 'ok' || !result.table) {
    const reason = result.reason ?? result.error?.message ?? '';
    if (reason) parts.push(`<p class="reason">${escapeHtml(reason)}</p>`);
  } else {
    let svg: string | null;
    try {
      svg = renderChartSvg(spec ?? { id: result.id }, result.table, { lang, dark, withTitle: false, width: 760, height: 400 });
    } catch {
      svg = null; // a chart that cannot be drawn leaves its table
    }
    if (svg) parts.push(`<figure class="chart">${svg}</figure>`);
    parts.push(htmlTable(result.table, lang, maxTableRows));
  }
  parts.push('</section>');
  return parts.join('\n');
}

function cleaningList(cleaning: CleaningOptions, lang: Lang): string {
  const w = wordsOf(lang);
  const items = (Object.keys(cleaning) as Array<keyof CleaningOptions>).map(
    (k) =>
      `<li><span class="flag ${cleaning[k] ? 'on' : 'off'}">${escapeHtml(cleaning[k] ? w.on : w.off)}</span> ${escapeHtml(w.cleaningOption[k] ?? k)}</li>`,
  );
  return `<ul class="cleaning">${items.join('')}</ul>`;
}

const CSS = `
:root { --fg: #1d2330; --muted: #5b6475; --line: #d9dde5; --bg: #ffffff; --head: #f3f5f9; --accent: #4e79a7; }
.dark { --fg: #e6e9ef; --muted: #a3acbd; --line: #3a4252; --bg: #161a22; --head: #222836; --accent: #8ab4e0; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 32px 24px 64px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 28px 0 6px; border-bottom: 2px solid var(--accent); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.subtitle, .meta, .note, .description { color: var(--muted); }
.meta { font-size: 12.5px; }
.reason { color: #b3261e; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 12.5px; }
th, td { border: 1px solid var(--line); padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: var(--head); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.null { color: var(--muted); text-align: center; }
table.facts th { width: 34%; }
figure.chart { margin: 8px 0; }
figure.chart svg { max-width: 100%; height: auto; }
.flag { display: inline-block; min-width: 3.2em; text-align: center; border-radius: 3px; padding: 0 4px; font-size: 12px; }
.flag.on { background: #d8ecd9; color: #1e5b24; } .flag.off { background: #eceef2; color: #4a5162; }
ul.cleaning { padding-left: 18px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { background: #fff; color: #000; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  section.analysis { break-inside: avoid-page; page-break-inside: avoid; }
  table.result { break-inside: auto; } tr { break-inside: avoid; } thead { display: table-header-group; }
  h2 { break-after: avoid; }
}
`;

/** The report as one HTML document. */
export function buildReportHtml(input: ReportInput): string {
  const lang = input.lang ?? 'en';
  const dark = input.dark ?? false;
  const maxTableRows = input.maxTableRows ?? 200;
  const w = wordsOf(lang);
  const { run, dataset } = input;
  const n = (v: number) => escapeHtml(formatNumber(v, lang));
  const facts: Array<[string, string]> = dataset
    ? [
        [w.dataset, escapeHtml(dataset.dataset)],
        [w.version, n(dataset.version)],
        [w.rows, n(dataset.rows)],
        [w.columns, n(dataset.columns.length)],
        [w.source, escapeHtml(sourceFileName(dataset.sourcePath))],
        [w.size, escapeHtml(formatBytes(dataset.sourceBytes, lang))],
        [w.sha, `<code>${escapeHtml(dataset.sha256 ?? '—')}</code>`],
        [w.imported, escapeHtml(dataset.importedAt)],
        [w.rejected, n(dataset.rejected)],
      ]
    : [
        [w.dataset, `${escapeHtml(run.dataset)} (v${n(run.version)})`],
        ['', escapeHtml(w.unknownDataset)],
      ];
  const runFacts: Array<[string, string]> = [
    [w.run, `<code>${escapeHtml(run.runId)}</code>`],
    [w.started, escapeHtml(run.startedAt)],
    [w.rows, n(run.rows)],
    [w.load, `${escapeHtml(formatMs(run.loadMs, lang))} (${escapeHtml(w.from)} ${escapeHtml(run.loadSource)})`],
    [w.total, escapeHtml(formatMs(run.totalMs, lang))],
    [
      w.versions,
      escapeHtml(
        Object.entries(run.versions ?? {})
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || '—',
      ),
    ],
  ];
  const factsTable = (rows: Array<[string, string]>) =>
    `<table class="facts"><tbody>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
  const timingRows = run.results
    .map((r) => {
      const spec = ANALYSES.find((a) => a.id === r.id);
      const title = spec ? translate(lang, spec.title) : r.id;
      return `<tr><td><a href="#a-${escapeHtml(r.id)}">${escapeHtml(title)}</a></td><td>${escapeHtml(statusLabel(r, lang))}</td><td class="num">${n(r.rowsOut)}</td><td class="num">${escapeHtml(formatMs(r.timings.computeMs, lang))}</td></tr>`;
    })
    .join('\n');
  const columnsTable = dataset
    ? `<h3>${escapeHtml(w.columns)}</h3><table><thead><tr><th>${escapeHtml(w.column)}</th><th>${escapeHtml(w.type)}</th></tr></thead><tbody>${dataset.columns
        .map((c) => `<tr><td>${escapeHtml(c.name)}</td><td>${escapeHtml(c.type)}</td></tr>`)
        .join('')}</tbody></table>`
    : '';
  const generated = (input.generatedAt ?? new Date()).toISOString();
  return `<!doctype html>
<html lang="${lang}"${dark ? ' class="dark"' : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="SparkPolar Studio">
<title>${escapeHtml(`${w.report} — ${run.dataset}`)}</title>
<style>${CSS}</style>
</head>
<body${dark ? ' class="dark"' : ''}>
<main>
<header>
<h1>${escapeHtml(w.report)} — ${escapeHtml(run.dataset)}</h1>
<p class="subtitle">${escapeHtml(w.dataset)} ${escapeHtml(run.dataset)} v${n(run.version)} · ${escapeHtml(w.run)} ${escapeHtml(run.runId)} · ${escapeHtml(run.startedAt)}</p>
</header>
<section class="facts">
<h2>${escapeHtml(w.facts)}</h2>
${factsTable(facts)}
${columnsTable}
<h3>${escapeHtml(w.run)}</h3>
${factsTable(runFacts)}
</section>
<section class="cleaning">
<h2>${escapeHtml(w.cleaning)}</h2>
${cleaningList(run.cleaning, lang)}
</section>
<section class="timings">
<h2>${escapeHtml(w.timings)}</h2>
<table><thead><tr><th>${escapeHtml(w.analysis)}</th><th>${escapeHtml(w.status)}</th><th class="num">${escapeHtml(w.rowsOut)}</th><th class="num">${escapeHtml(w.compute)}</th></tr></thead>
<tbody>
${timingRows}
</tbody></table>
</section>
${input.sweep ? sweepSection(input.sweep, lang, dark) : ''}
${run.results.map((r, i) => section(r, i, { lang, dark, maxTableRows })).join('\n')}
<footer>${escapeHtml(w.generated)} ${escapeHtml(generated)}</footer>
</main>
</body>
</html>
`;
}

/** The size sweep: its answer in words, its two charts and its points. */
function sweepSection(sweep: SweepRecord, lang: Lang, dark: boolean): string {
  const w = wordsOf(lang).sweep;
  const n = (v: number) => escapeHtml(formatNumber(Math.round(v), lang));
  const ms = (v: number | null) => (v === null ? '—' : escapeHtml(formatMs(v, lang)));
  const charts = sweepChartsSvg(sweep, { lang, dark });
  const answer: string[] = [];
  for (const [engine, fit] of [
    ['Polars', sweep.fit.polars],
    ['Spark', sweep.fit.spark],
  ] as const)
    if (fit)
      answer.push(
        interpolate(w.fit, {
          engine,
          slope: fit.slope.toFixed(2),
          perMillion: formatMs(fit.msPerMillionRows, lang),
          error: fit.stderrLog10 === null ? '' : ` (±${Math.round((10 ** fit.stderrLog10 - 1) * 100)} %)`,
        }),
      );
  answer.push(
    `${sweep.crossoverRows === null ? w.noCrossover : interpolate(w.crossover, { rows: formatNumber(sweep.crossoverRows, lang) })} ${sweep.crossoverNote}`,
  );
  if (sweep.memory && sweep.polarsMemoryLimitRows !== null)
    answer.push(
      interpolate(w.limit, {
        perRow: formatBytes(sweep.memory.bytesPerRow, lang),
        share: Math.round(sweep.memoryShare * 100),
        memory: formatBytes(sweep.machine.memoryBytes, lang),
        rows: formatNumber(sweep.polarsMemoryLimitRows, lang),
      }),
    );
  if (sweep.sparkNote) answer.push(sweep.sparkNote);
  const rows = sweep.points
    .map(
      (p) =>
        `<tr><td>${p.engine === 'polars' ? 'Polars' : 'Spark'}${p.emulated ? ` <em>${escapeHtml(w.emulated)}</em>` : ''}</td><td>${escapeHtml(p.size)}</td><td class="num">${n(p.rows)}</td><td class="num">${ms(p.loadMs)}</td><td class="num">${ms(p.computeMs)}</td><td class="num">${ms(Math.min(...p.samplesMs))} – ${ms(Math.max(...p.samplesMs))}</td><td class="num">${p.peakRssBytes === undefined ? '—' : escapeHtml(formatBytes(p.peakRssBytes, lang))}</td><td class="num">${p.phases ? `${ms(p.phases.queueMs)} · ${ms(p.phases.setupMs)} · ${ms(p.phases.executionMs)}` : '—'}</td></tr>`,
    )
    .join('\n');
  return `<section class="sweep" id="sweep">
<h2>${escapeHtml(w.title)}</h2>
<p>${escapeHtml(interpolate(w.intro, { n: sweep.points.length, date: sweep.startedAt }))}</p>
<ul>${answer.map((a) => `<li>${escapeHtml(a)}</li>`).join('')}</ul>
${charts.time ? `<figure class="chart">${charts.time}</figure>` : ''}
${charts.memory ? `<figure class="chart">${charts.memory}</figure>` : ''}
<table><thead><tr><th>${escapeHtml(w.engine)}</th><th>${escapeHtml(w.size)}</th><th class="num">${escapeHtml(w.rows)}</th><th class="num">${escapeHtml(w.load)}</th><th class="num">${escapeHtml(w.compute)}</th><th class="num">${escapeHtml(w.spread)}</th><th class="num">${escapeHtml(w.peak)}</th><th class="num">${escapeHtml(w.phases)}</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</section>`;
}
