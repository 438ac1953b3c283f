/**
 * The sweep's two charts and its points as CSV, shared by the Spark-vs-Polars page and the HTML
 * report. Time against rows on log-log axes: each engine's points (median) with their spread (a
 * vertical segment from the fastest to the slowest repetition), its fitted line, and the
 * crossover as a vertical line. Memory against rows: Polars' peak, its fitted line up to the
 * projected limit, the machine's memory and the usable share as horizontal lines, and the limit as
 * a vertical line ("beyond this, use Spark"). Only line series (no mark components), so the
 * renderer's trimmed ECharts build draws them.
 */
import type { SweepEngine, SweepPoint, SweepRecord, TimeFit } from '../contract/sweep';
import { strings, type Lang } from '../i18n';
import type { ChartOption } from './index';

export interface SweepChartStyle {
  dark: boolean;
  lang: Lang;
  withTitle?: boolean;
}

const COLOURS: Record<SweepEngine, string> = { polars: '#4e79a7', spark: '#f28e2b' };
const MIB = 2 ** 20;

function theme(dark: boolean) {
  return dark
    ? { background: '#1b1d22', text: '#e4e6eb', axis: '#8a8f98', grid: '#2f333b', accent: '#e15759' }
    : { background: '#ffffff', text: '#1f2329', axis: '#6b7280', grid: '#e5e7eb', accent: '#c0392b' };
}

function frame(style: SweepChartStyle, title: string, x: Record<string, unknown>, y: Record<string, unknown>): ChartOption {
  const c = theme(style.dark);
  const axis = {
    axisLine: { lineStyle: { color: c.axis } },
    axisLabel: { color: c.text },
    splitLine: { lineStyle: { color: c.grid } },
    nameTextStyle: { color: c.text },
    nameLocation: 'middle',
  };
  return {
    backgroundColor: style.withTitle ? c.background : 'transparent',
    animation: false,
    textStyle: { color: c.text, fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    tooltip: { trigger: 'item', confine: true },
    legend: { top: style.withTitle ? 28 : 0, type: 'scroll', textStyle: { color: c.text } },
    grid: { left: 72, right: 24, top: style.withTitle ? 64 : 36, bottom: 56 },
    xAxis: { ...axis, ...x, nameGap: 30 },
    yAxis: { ...axis, ...y, nameGap: 52 },
    ...(style.withTitle ? { title: { text: title, left: 8, top: 6, textStyle: { color: c.text, fontSize: 14, fontWeight: 600 } } } : {}),
  };
}

export function engineLabel(engine: SweepEngine, emulated: boolean, lang: Lang): string {
  const name = engine === 'polars' ? 'Polars' : 'Spark';
  return emulated ? `${name} (${strings(lang).chart.sweep.emulated})` : name;
}

/** Groups an engine's points by whether they are emulated (never mixed in one series). */
function groups(points: SweepPoint[]): Array<{ engine: SweepEngine; emulated: boolean; points: SweepPoint[] }> {
  const out: Array<{ engine: SweepEngine; emulated: boolean; points: SweepPoint[] }> = [];
  for (const engine of ['polars', 'spark'] as const)
    for (const emulated of [false, true]) {
      const ps = points.filter((p) => p.engine === engine && Boolean(p.emulated) === emulated).sort((a, b) => a.rows - b.rows);
      if (ps.length) out.push({ engine, emulated, points: ps });
    }
  return out;
}

function fitLine(fit: TimeFit, from: number, to: number): Array<[number, number]> {
  return [from, to].map((rows) => [rows, 10 ** (fit.intercept + fit.slope * Math.log10(rows))] as [number, number]);
}

export function sweepTimeOption(sweep: SweepRecord, style: SweepChartStyle): ChartOption {
  const w = strings(style.lang).chart.sweep;
  const c = theme(style.dark);
  const rows = sweep.points.map((p) => p.rows);
  const lo = Math.min(...rows);
  const hi = Math.max(...rows, sweep.crossoverRows ?? 0);
  const series: Array<Record<string, unknown>> = [];
  for (const g of groups(sweep.points)) {
    const name = engineLabel(g.engine, g.emulated, style.lang);
    const colour = COLOURS[g.engine];
    series.push({
      name,
      type: 'line',
      data: g.points.map((p) => ({ value: [p.rows, p.totalMs], size: p.size })),
      lineStyle: { opacity: 0 },
      symbol: g.emulated ? 'emptyCircle' : 'circle',
      symbolSize: 9,
      itemStyle: { color: colour },
      z: 3,
    });
    // Spread: one vertical segment per point, separated by gaps ('-' breaks an ECharts line).
    const spread: Array<[number, number] | '-'> = [];
    for (const p of g.points) spread.push([p.rows, Math.min(...p.samplesMs)], [p.rows, Math.max(...p.samplesMs)], '-');
    series.push({
      name,
      type: 'line',
      data: spread,
      showSymbol: false,
      connectNulls: false,
      lineStyle: { color: colour, width: 2, opacity: 0.6 },
      tooltip: { show: false },
    });
    const fit = g.emulated ? null : sweep.fit[g.engine];
    if (fit)
      series.push({
        name: `${name} ${w.fit}`,
        type: 'line',
        data: fitLine(fit, lo, hi),
        showSymbol: false,
        itemStyle: { color: colour },
        lineStyle: { color: colour, type: 'dashed', width: 1.5 },
        tooltip: { show: false },
      });
  }
  if (sweep.crossoverRows !== null) {
    const times = sweep.points.flatMap((p) => p.samplesMs);
    series.push({
      name: `${w.crossover}: ${Math.round(sweep.crossoverRows).toLocaleString(style.lang === 'fr' ? 'fr-FR' : 'en-US')}`,
      type: 'line',
      data: [
        [sweep.crossoverRows, Math.min(...times) / 2],
        [sweep.crossoverRows, Math.max(...times) * 2],
      ],
      showSymbol: false,
      itemStyle: { color: c.accent },
      lineStyle: { color: c.accent, type: 'dotted', width: 2 },
      tooltip: { show: false },
    });
  }
  return {
    ...frame(style, w.timeTitle, { type: 'log', name: w.rows }, { type: 'log', name: w.time }),
    series,
  };
}

export function sweepMemoryOption(sweep: SweepRecord, style: SweepChartStyle): ChartOption {
  const w = strings(style.lang).chart.sweep;
  const c = theme(style.dark);
  const measured = sweep.points.filter((p) => p.engine === 'polars' && p.peakRssBytes !== undefined).sort((a, b) => a.rows - b.rows);
  const lo = Math.min(...measured.map((p) => p.rows));
  const limit = sweep.polarsMemoryLimitRows;
  const hi = Math.max(...measured.map((p) => p.rows), limit ?? 0) * 1.5;
  const series: Array<Record<string, unknown>> = [
    {
      name: 'Polars',
      type: 'line',
      data: measured.map((p) => ({ value: [p.rows, p.peakRssBytes! / MIB], size: p.size })),
      lineStyle: { opacity: 0 },
      symbolSize: 9,
      itemStyle: { color: COLOURS.polars },
      z: 3,
    },
  ];
  const memory = sweep.memory;
  if (memory) {
    // A straight line on linear axes is a curve on a log x axis: sample it.
    const steps = 24;
    const data = Array.from({ length: steps + 1 }, (_, i) => {
      const rows = lo * (hi / lo) ** (i / steps);
      return [rows, (memory.baseBytes + memory.bytesPerRow * rows) / MIB];
    });
    series.push({
      name: `Polars ${w.projection}`,
      type: 'line',
      data,
      showSymbol: false,
      itemStyle: { color: COLOURS.polars },
      lineStyle: { color: COLOURS.polars, type: 'dashed', width: 1.5 },
      tooltip: { show: false },
    });
  }
  const horizontal = (name: string, bytes: number, type: string) => ({
    name,
    type: 'line',
    data: [
      [lo, bytes / MIB],
      [hi, bytes / MIB],
    ],
    showSymbol: false,
    itemStyle: { color: c.axis },
    lineStyle: { color: c.axis, type, width: 1.5 },
    tooltip: { show: false },
  });
  series.push(horizontal(w.machine, sweep.machine.memoryBytes, 'solid'));
  series.push(
    horizontal(`${w.usable} (${Math.round(sweep.memoryShare * 100)} %)`, sweep.machine.memoryBytes * sweep.memoryShare, 'dashed'),
  );
  if (limit !== null && limit > 0)
    series.push({
      name: `${w.limit}: ${limit.toLocaleString(style.lang === 'fr' ? 'fr-FR' : 'en-US')}`,
      type: 'line',
      data: [
        [limit, 0],
        [limit, sweep.machine.memoryBytes / MIB],
      ],
      showSymbol: false,
      itemStyle: { color: c.accent },
      lineStyle: { color: c.accent, type: 'dotted', width: 2 },
      tooltip: { show: false },
    });
  return {
    ...frame(style, w.memoryTitle, { type: 'log', name: w.rows }, { type: 'value', name: w.memory, min: 0 }),
    series,
  };
}

const CSV_COLUMNS = [
  'engine',
  'emulated',
  'size',
  'dataset',
  'version',
  'rows',
  'load_ms',
  'compute_ms',
  'total_ms',
  'min_ms',
  'max_ms',
  'repetitions',
  'peak_rss_bytes',
  'queue_ms',
  'setup_ms',
  'execution_ms',
] as const;

function csvField(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : String(v);
  // Formula-neutralised like every export: a leading = + - @ would run in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One line per point, for spreadsheets. */
export function sweepPointsCsv(sweep: SweepRecord): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const p of sweep.points)
    lines.push(
      [
        p.engine,
        Boolean(p.emulated),
        p.size,
        p.dataset,
        p.version,
        p.rows,
        p.loadMs,
        p.computeMs,
        p.totalMs,
        Math.min(...p.samplesMs),
        Math.max(...p.samplesMs),
        p.samplesMs.length,
        p.peakRssBytes,
        p.phases?.queueMs,
        p.phases?.setupMs,
        p.phases?.executionMs,
      ]
        .map(csvField)
        .join(','),
    );
  return lines.join('\r\n') + '\r\n';
}
