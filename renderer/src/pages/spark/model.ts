/**
 * What the Spark vs Polars view computes from the engine's data: per-analysis timing rows,
 * repeated-run statistics, exports (CSV, JSON), benchmark files, and the ECharts options.
 * Pure functions: no React, no DOM, so they are unit-tested in Node.
 */
import type { PolarsTimingRun, SparkRunRecord } from '../../../../shared/contract/spark';

export interface SampleStats {
  n: number;
  min: number | null;
  median: number | null;
  max: number | null;
  first: number | null;
  /** Median of the samples after the first. */
  warm: number | null;
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function sampleStats(samples: number[]): SampleStats {
  return {
    n: samples.length,
    min: samples.length ? Math.min(...samples) : null,
    median: median(samples),
    max: samples.length ? Math.max(...samples) : null,
    first: samples[0] ?? null,
    warm: median(samples.slice(1)),
  };
}

export interface TimingRow {
  id: string;
  sparkStatus: 'ok' | 'failed' | 'not-applicable' | 'missing';
  polarsStatus: 'ok' | 'failed' | 'not-applicable' | 'missing';
  sparkMs: number | null;
  polarsMs: number | null;
  /** Spark ÷ Polars, when both ran. */
  ratio: number | null;
  match: boolean | null;
  spark: SampleStats;
  /** Polars compute time over every Polars run of the same dataset version. */
  polars: SampleStats;
  error: string | null;
}

/** One row per analysis of the Spark run, with the Polars history of the same dataset version. */
export function timingRows(run: SparkRunRecord, polarsRuns: PolarsTimingRun[]): TimingRow[] {
  const sameVersion = polarsRuns.filter((p) => p.dataset === run.dataset && p.version === run.version);
  return run.analyses.map((a) => {
    const history = sameVersion.flatMap((p) => p.analyses.filter((x) => x.id === a.id && x.status === 'ok').map((x) => x.computeMs));
    const compared = run.polarsRunId
      ? sameVersion.find((p) => p.runId === run.polarsRunId)?.analyses.find((x) => x.id === a.id)
      : undefined;
    const polarsStatus = compared ? compared.status : a.polarsMs !== null ? 'ok' : history.length ? 'ok' : 'missing';
    const polarsMs = a.polarsMs ?? median(history);
    return {
      id: a.id,
      sparkStatus: a.status,
      polarsStatus,
      sparkMs: a.sparkMs,
      polarsMs,
      ratio: a.sparkMs !== null && polarsMs ? a.sparkMs / polarsMs : null,
      match: a.match,
      spark: sampleStats(a.samplesMs),
      polars: sampleStats(history),
      error: a.error,
    };
  });
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  // Neutralise spreadsheet formulas, quote what needs quoting.
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const CSV_COLUMNS = [
  'analysis',
  'spark_status',
  'spark_ms',
  'spark_first_ms',
  'spark_warm_ms',
  'spark_min_ms',
  'spark_max_ms',
  'spark_samples',
  'polars_status',
  'polars_ms',
  'polars_min_ms',
  'polars_max_ms',
  'polars_runs',
  'spark_over_polars',
  'match',
] as const;

export function timingsCsv(rows: TimingRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.id,
        r.sparkStatus,
        r.sparkMs,
        r.spark.first,
        r.spark.warm,
        r.spark.min,
        r.spark.max,
        r.spark.n,
        r.polarsStatus,
        r.polarsMs,
        r.polars.min,
        r.polars.max,
        r.polars.n,
        r.ratio,
        r.match === null ? '' : r.match,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

export function timingsJson(run: SparkRunRecord, rows: TimingRow[]): string {
  const { analyses: _analyses, ...details } = run;
  return JSON.stringify({ format: 'sparkpolar-spark-timings/1', run: details, analyses: rows }, null, 2);
}

// ---- benchmark result files (`sparkpolar bench --out …`) ----

export interface BenchRatio {
  name: string;
  value: number | null;
  target: number | null;
  met: boolean | null;
  unit?: string;
  comparison?: string;
  description?: string;
}

export interface BenchFile {
  machine: Record<string, unknown>;
  versions: Record<string, string>;
  startedAt: string | null;
  samples: number;
  ratios: BenchRatio[];
}

/** Reads a benchmark result document; throws an Error saying what is missing. */
export function parseBenchmark(text: string): BenchFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error('not JSON');
  }
  if (!doc || typeof doc !== 'object') throw new Error('not an object');
  const d = doc as Record<string, unknown>;
  if (!Array.isArray(d.ratios)) throw new Error('no "ratios" list');
  const ratios: BenchRatio[] = d.ratios.map((r, i) => {
    const x = r as Record<string, unknown>;
    if (typeof x.name !== 'string') throw new Error(`ratio ${i + 1} has no name`);
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    return {
      name: x.name,
      value: num(x.value),
      target: num(x.target),
      met: typeof x.met === 'boolean' ? x.met : null,
      ...(typeof x.unit === 'string' ? { unit: x.unit } : {}),
      ...(typeof x.comparison === 'string' ? { comparison: x.comparison } : {}),
      ...(typeof x.description === 'string' ? { description: x.description } : {}),
    };
  });
  const sections = Array.isArray(d.sections) ? (d.sections as Array<{ measurements?: unknown[] }>) : [];
  const samples = Array.isArray(d.samples)
    ? d.samples.length
    : sections.reduce((n, s) => n + (Array.isArray(s.measurements) ? s.measurements.length : 0), 0);
  return {
    machine: d.machine && typeof d.machine === 'object' ? (d.machine as Record<string, unknown>) : {},
    versions: d.versions && typeof d.versions === 'object' ? (d.versions as Record<string, string>) : {},
    startedAt: typeof d.startedAt === 'string' ? d.startedAt : null,
    samples,
    ratios,
  };
}

// ---- chart options ----

export interface ChartLabels {
  spark: string;
  polars: string;
  failed: string;
  ms: string;
  queue: string;
  setup: string;
  execution: string;
  cleanup: string;
  load: string;
  compute: string;
  sparkRun: string;
  polarsRun: string;
  target: string;
  value: string;
}

type Option = Record<string, unknown>;

const COLORS = {
  spark: '#e25a1c',
  polars: '#2f6fde',
  failed: '#9aa0a6',
  queue: '#f2b36b',
  setup: '#e8893a',
  execution: '#e25a1c',
  cleanup: '#b84a17',
  load: '#7fa7ee',
  compute: '#2f6fde',
};

/**
 * Polars and Spark side by side per analysis. A failed or missing side is a labelled grey bar
 * (a tenth of the smallest measured value), never a gap. ✓/✗ marks the result check in the label.
 */
export function timingChartOption(
  rows: TimingRow[],
  options: { log: boolean; dark: boolean; labels: ChartLabels; titles?: Record<string, string> },
): Option {
  const { labels } = options;
  const measured = rows.flatMap((r) => [r.sparkMs, r.polarsMs]).filter((v): v is number => v !== null && v > 0);
  const placeholder = measured.length ? Math.max(Math.min(...measured) / 10, options.log ? 0.01 : 0) || 1 : 1;
  const bar = (value: number | null, status: string, color: string) =>
    value !== null && status === 'ok'
      ? { value: Math.max(value, options.log ? 0.001 : 0), itemStyle: { color } }
      : {
          value: placeholder,
          itemStyle: { color: COLORS.failed },
          label: { show: true, position: 'right', formatter: status === 'missing' ? '—' : labels.failed },
        };
  const categories = rows.map((r) => `${r.match === true ? '✓ ' : r.match === false ? '✗ ' : ''}${options.titles?.[r.id] ?? r.id}`);
  const text = options.dark ? '#e8eaed' : '#202124';
  return {
    animation: false,
    textStyle: { color: text },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { data: [labels.polars, labels.spark], textStyle: { color: text } },
    grid: { left: 8, right: 48, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: options.log ? 'log' : 'value', name: labels.ms, axisLabel: { color: text } },
    yAxis: { type: 'category', data: categories, inverse: true, axisLabel: { color: text, width: 260, overflow: 'truncate' } },
    series: [
      {
        name: labels.polars,
        type: 'bar',
        data: rows.map((r) => bar(r.polarsMs, r.polarsStatus, COLORS.polars)),
        itemStyle: { color: COLORS.polars },
      },
      {
        name: labels.spark,
        type: 'bar',
        data: rows.map((r) => bar(r.sparkMs, r.sparkStatus, COLORS.spark)),
        itemStyle: { color: COLORS.spark },
      },
    ],
  };
}

/** Spark's phases (queue, setup, execution, clean-up) and Polars' (load, compute) as stacked bars. */
export function phaseChartOption(
  run: SparkRunRecord,
  polars: PolarsTimingRun | null,
  options: { dark: boolean; labels: ChartLabels },
): Option {
  const { labels } = options;
  const p = run.phases;
  const polarsCompute = polars ? polars.analyses.reduce((s, a) => s + (a.status === 'ok' ? a.computeMs : 0), 0) : null;
  const text = options.dark ? '#e8eaed' : '#202124';
  const series = (name: string, color: string, values: [number | null, number | null]) => ({
    name,
    type: 'bar',
    stack: 'time',
    itemStyle: { color },
    label: { show: true, formatter: (x: { value: number }) => (x.value ? `${Math.round(x.value)}` : ''), color: '#fff' },
    data: values.map((v) => v ?? 0),
  });
  return {
    animation: false,
    textStyle: { color: text },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { textStyle: { color: text } },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value', name: labels.ms, axisLabel: { color: text } },
    yAxis: { type: 'category', data: [labels.sparkRun, labels.polarsRun], axisLabel: { color: text } },
    series: [
      series(labels.queue, COLORS.queue, [p.queueMs, null]),
      series(labels.setup, COLORS.setup, [p.setupMs, null]),
      series(labels.execution, COLORS.execution, [p.executionMs, null]),
      series(labels.cleanup, COLORS.cleanup, [p.cleanupMs, null]),
      series(labels.load, COLORS.load, [null, polars?.loadMs ?? null]),
      series(labels.compute, COLORS.compute, [null, polarsCompute]),
    ],
  };
}

/** Benchmark ratios against their targets. */
export function benchChartOption(bench: BenchFile, options: { dark: boolean; labels: ChartLabels }): Option {
  const text = options.dark ? '#e8eaed' : '#202124';
  const ratios = bench.ratios.filter((r) => r.value !== null);
  return {
    animation: false,
    textStyle: { color: text },
    tooltip: { trigger: 'axis' },
    legend: { textStyle: { color: text } },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value', axisLabel: { color: text } },
    yAxis: {
      type: 'category',
      data: ratios.map((r) => r.name),
      inverse: true,
      axisLabel: { color: text, width: 260, overflow: 'truncate' },
    },
    series: [
      {
        name: options.labels.value,
        type: 'bar',
        data: ratios.map((r) => ({
          value: r.value,
          itemStyle: { color: r.met === false ? '#d93025' : r.met ? '#188038' : COLORS.failed },
        })),
      },
      {
        name: options.labels.target,
        type: 'line',
        symbol: 'diamond',
        symbolSize: 10,
        lineStyle: { opacity: 0 },
        itemStyle: { color: text },
        data: ratios.map((r) => r.target),
      },
    ],
  };
}
