/**
 * ECharts options for analysis results, shared by the renderer (live panels) and the engine
 * (SVG via ECharts server-side rendering for the HTML report and MinIO chart images), so a chart
 * looks the same everywhere. Pure data in, plain option object out: no ECharts import here.
 *
 * Result tables follow a few shapes (see docs/analyses.md); the builders read them by shape:
 *   bar / histogram  : label, value                      (value = the first numeric column)
 *   line             : x, value…  or  x, series, value   (long form)
 *   stacked-bar      : category, series, value  or  category, value…
 *   heatmap          : a, b, value (long form)  or  label, v1, v2, … (a square matrix, e.g. correlations)
 */
import type { ResultTable } from '../contract/analysis';

export type ChartKind = 'bar' | 'hbar' | 'line' | 'heatmap' | 'histogram' | 'stacked-bar' | 'table';

export interface ChartHints {
  kind: ChartKind;
  /** Keep the N largest categories and sum the rest into "Other" (bars, stacked bars). */
  topN?: number;
  /** Column names to use instead of guessing by shape. */
  x?: string;
  y?: string;
  series?: string;
  value?: string;
  /** Keep the table's row order instead of sorting by value (years, ordinal categories). */
  keepOrder?: boolean;
  /** Axis titles. */
  xLabel?: string;
  yLabel?: string;
}

/** The part of a catalog analysis (shared/analyses.ts) the charts need. */
export interface ChartableSpec {
  id: string;
  title?: string | { en: string; fr: string };
  /** The catalog's chart kind, or full hints. */
  chart?: ChartKind | string | Partial<ChartHints> | null;
}

export interface ChartStyle {
  dark: boolean;
  lang: 'en' | 'fr';
  /** Draw the title inside the chart (images on their own: report, MinIO); panels show it outside. */
  withTitle?: boolean;
  /** Off for server-side rendering and tests. */
  animation?: boolean;
}

type Cell = string | number | boolean | null;
/** An ECharts option: a plain object (typed loosely so this module needs no ECharts import). */
export type ChartOption = Record<string, unknown>;

const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const WORDS = {
  en: { other: 'Other', empty: '(empty)', count: 'Count' },
  fr: { other: 'Autres', empty: '(vide)', count: 'Nombre' },
} as const;

export const DEFAULT_TOP_N = 15;

export function hintsFor(spec: ChartableSpec): ChartHints {
  const c = spec.chart;
  if (!c) return { kind: 'bar' };
  if (typeof c === 'string') return { kind: normaliseKind(c) };
  return { ...c, kind: normaliseKind(c.kind ?? 'bar') } as ChartHints;
}

function normaliseKind(kind: string): ChartKind {
  const k = kind.toLowerCase().replace(/[_\s]/g, '-');
  if (k === 'bar' || k === 'bars' || k === 'column') return 'bar';
  if (k === 'hbar' || k === 'horizontal-bar' || k === 'bar-horizontal') return 'hbar';
  if (k === 'line' || k === 'trend' || k === 'lines') return 'line';
  if (k === 'heatmap' || k === 'matrix' || k === 'correlation' || k === 'correlation-matrix') return 'heatmap';
  if (k === 'histogram' || k === 'hist') return 'histogram';
  if (k === 'stacked-bar' || k === 'stacked' || k === 'stacked-bars') return 'stacked-bar';
  if (k === 'table' || k === 'none' || k === 'kpi' || k === 'stats') return 'table';
  return 'bar';
}

export function titleOf(spec: ChartableSpec, lang: 'en' | 'fr'): string {
  if (!spec.title) return spec.id;
  return typeof spec.title === 'string' ? spec.title : spec.title[lang] || spec.title.en;
}

/** Whether the result can be drawn (a chart kind, and rows of the shape it needs). */
export function isChartable(spec: ChartableSpec, table: ResultTable | null | undefined): boolean {
  return chartOption(spec, table, { dark: false, lang: 'en' }) !== null;
}

/** The ECharts option for one analysis result, or null when it is best shown as a table. */
export function chartOption(spec: ChartableSpec, table: ResultTable | null | undefined, style: ChartStyle): ChartOption | null {
  if (!table || table.rows.length === 0 || table.columns.length === 0) return null;
  const hints = hintsFor(spec);
  const body = buildBody(hints, table, style);
  if (!body) return null;
  const theme = colours(style.dark);
  const option: ChartOption = {
    backgroundColor: style.withTitle ? theme.background : 'transparent',
    color: PALETTE,
    animation: style.animation ?? false,
    textStyle: { color: theme.text, fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    tooltip: { trigger: hints.kind === 'heatmap' ? 'item' : 'axis', confine: true },
    ...body,
  };
  if (style.withTitle) option.title = { text: titleOf(spec, style.lang), left: 8, top: 6, textStyle: { color: theme.text, fontSize: 14, fontWeight: 600 } };
  return option;
}

function colours(dark: boolean) {
  return dark
    ? { background: '#1b1d22', text: '#e4e6eb', axis: '#8a8f98', grid: '#2f333b' }
    : { background: '#ffffff', text: '#1f2329', axis: '#6b7280', grid: '#e5e7eb' };
}

function isNumericType(type: string): boolean {
  return type === 'integer' || type === 'float';
}

function columnIndex(table: ResultTable, name: string | undefined): number {
  if (!name) return -1;
  return table.columns.findIndex((c) => c.name === name);
}

function numericIndexes(table: ResultTable): number[] {
  return table.columns.map((c, i) => (isNumericType(c.type) ? i : -1)).filter((i) => i >= 0);
}

function label(cell: Cell, lang: 'en' | 'fr'): string {
  if (cell === null || cell === '') return WORDS[lang].empty;
  return String(cell);
}

function num(cell: Cell): number {
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'boolean') return cell ? 1 : 0;
  const n = Number(cell);
  return Number.isFinite(n) ? n : 0;
}

/** Label column: the named one, else the first non-numeric column, else the first column. */
function labelIndex(table: ResultTable, name?: string): number {
  const named = columnIndex(table, name);
  if (named >= 0) return named;
  const text = table.columns.findIndex((c) => !isNumericType(c.type));
  return text >= 0 ? text : 0;
}

function valueIndex(table: ResultTable, name: string | undefined, exclude: number[]): number {
  const named = columnIndex(table, name);
  if (named >= 0) return named;
  const nums = numericIndexes(table).filter((i) => !exclude.includes(i));
  // Prefer a count-like column when there are several numeric ones.
  const countLike = nums.find((i) => /^(count|n|rows|vehicles|total|value)$/i.test(table.columns[i]!.name));
  return countLike ?? nums[0] ?? -1;
}

function axisStyle(dark: boolean) {
  const c = colours(dark);
  return {
    axisLine: { lineStyle: { color: c.axis } },
    axisLabel: { color: c.text },
    splitLine: { lineStyle: { color: c.grid } },
    nameTextStyle: { color: c.text },
  };
}

/** Keeps the N largest (by value) and folds the rest into "Other", preserving the original order otherwise. */
export function topNWithOther(pairs: Array<{ label: string; value: number }>, n: number, otherLabel: string): Array<{ label: string; value: number }> {
  if (pairs.length <= n) return pairs;
  const ranked = pairs.map((p, i) => ({ ...p, i })).sort((a, b) => b.value - a.value || a.i - b.i);
  const keep = new Set(ranked.slice(0, n - 1).map((p) => p.i));
  const kept = pairs.filter((_, i) => keep.has(i));
  const rest = pairs.reduce((sum, p, i) => (keep.has(i) ? sum : sum + p.value), 0);
  return [...kept, { label: otherLabel, value: rest }];
}

function buildBody(hints: ChartHints, table: ResultTable, style: ChartStyle): ChartOption | null {
  switch (hints.kind) {
    case 'table':
      return null;
    case 'bar':
    case 'hbar':
      return barBody(hints, table, style, false);
    case 'histogram':
      return barBody(hints, table, style, true);
    case 'line':
      return lineBody(hints, table, style);
    case 'stacked-bar':
      return stackedBody(hints, table, style);
    case 'heatmap':
      return heatmapBody(hints, table, style);
  }
}

function barBody(hints: ChartHints, table: ResultTable, style: ChartStyle, histogram: boolean): ChartOption | null {
  const words = WORDS[style.lang];
  const binStart = table.columns.findIndex((c) => /^(bin_?start|lower|from|bin_?min|start)$/i.test(c.name));
  const binEnd = table.columns.findIndex((c) => /^(bin_?end|upper|to|bin_?max|end)$/i.test(c.name));
  const li = histogram && binStart >= 0 ? binStart : labelIndex(table, hints.x);
  const vi = valueIndex(table, hints.value ?? hints.y, histogram && binStart >= 0 ? [binStart, binEnd] : [li]);
  if (vi < 0) return null;
  let pairs = table.rows.map((row) => {
    const lo = row[li] ?? null;
    const text = histogram && binStart >= 0 && binEnd >= 0 ? `${formatEdge(lo)}–${formatEdge(row[binEnd] ?? null)}` : label(lo, style.lang);
    return { label: text, value: num(row[vi] ?? null) };
  });
  if (!histogram && !hints.keepOrder) pairs = topNWithOther(pairs, hints.topN ?? DEFAULT_TOP_N, words.other);
  const longest = pairs.reduce((m, p) => Math.max(m, p.label.length), 0);
  const horizontal = !histogram && (hints.kind === 'hbar' || longest > 12 || (pairs.length > 12 && longest > 4));
  const axes = axisStyle(style.dark);
  const valueName = hints.yLabel ?? table.columns[vi]!.name;
  const categoryAxis = {
    type: 'category',
    data: pairs.map((p) => p.label),
    ...axes,
    axisLabel: { ...axes.axisLabel, interval: 0, width: horizontal ? 160 : undefined, overflow: 'truncate', rotate: !horizontal && longest > 6 && pairs.length > 6 ? 35 : 0 },
    inverse: horizontal,
    name: hints.xLabel ?? (histogram ? undefined : table.columns[li]!.name),
    nameLocation: horizontal ? 'end' : 'middle',
    nameGap: horizontal ? 8 : 28,
  };
  const valueAxis = { type: 'value', ...axes, name: valueName, nameLocation: horizontal ? 'middle' : 'end', nameGap: horizontal ? 28 : 12 };
  return {
    grid: { left: 12, right: 24, top: style.withTitle ? 48 : 28, bottom: 12, containLabel: true },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: [
      {
        type: 'bar',
        name: valueName,
        data: pairs.map((p) => p.value),
        barCategoryGap: histogram ? '4%' : '25%',
        itemStyle: { color: PALETTE[0] },
      },
    ],
  };
}

function formatEdge(cell: Cell): string {
  if (typeof cell === 'number') return Number.isInteger(cell) ? String(cell) : String(Number(cell.toPrecision(4)));
  return cell === null ? '' : String(cell);
}

/** Long form (x, series, value) becomes one series per distinct series value. */
function longForm(table: ResultTable, hints: ChartHints, style: ChartStyle): { xs: string[]; series: Array<{ name: string; values: number[] }> } | null {
  const xi = labelIndex(table, hints.x);
  const explicitSeries = columnIndex(table, hints.series);
  const si = explicitSeries >= 0 ? explicitSeries : table.columns.findIndex((c, i) => i !== xi && !isNumericType(c.type));
  const vi = valueIndex(table, hints.value ?? hints.y, [xi, si]);
  if (si < 0 || vi < 0) return null;
  const xs: string[] = [];
  const seen = new Set<string>();
  const cells = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  for (const row of table.rows) {
    const x = label(row[xi] ?? null, style.lang);
    const s = label(row[si] ?? null, style.lang);
    const v = num(row[vi] ?? null);
    if (!seen.has(x)) {
      seen.add(x);
      xs.push(x);
    }
    if (!cells.has(s)) cells.set(s, new Map());
    cells.get(s)!.set(x, (cells.get(s)!.get(x) ?? 0) + v);
    totals.set(s, (totals.get(s) ?? 0) + v);
  }
  const names = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const maxSeries = 8;
  const kept = names.slice(0, names.length > maxSeries ? maxSeries - 1 : maxSeries);
  const series = kept.map((name) => ({ name, values: xs.map((x) => cells.get(name)!.get(x) ?? 0) }));
  if (names.length > kept.length) {
    const rest = names.slice(kept.length);
    series.push({ name: WORDS[style.lang].other, values: xs.map((x) => rest.reduce((sum, s) => sum + (cells.get(s)!.get(x) ?? 0), 0)) });
  }
  return { xs, series };
}

/** Wide form (x, v1, v2…) becomes one series per numeric column. */
function wideForm(table: ResultTable, hints: ChartHints, style: ChartStyle): { xs: string[]; series: Array<{ name: string; values: number[] }> } | null {
  const xi = labelIndex(table, hints.x);
  const named = columnIndex(table, hints.y ?? hints.value);
  const nums = named >= 0 ? [named] : numericIndexes(table).filter((i) => i !== xi);
  if (!nums.length) return null;
  return {
    xs: table.rows.map((r) => label(r[xi] ?? null, style.lang)),
    series: nums.map((i) => ({ name: table.columns[i]!.name, values: table.rows.map((r) => num(r[i] ?? null)) })),
  };
}

function hasSeriesColumn(table: ResultTable, hints: ChartHints): boolean {
  if (columnIndex(table, hints.series) >= 0) return true;
  const xi = labelIndex(table, hints.x);
  return table.columns.some((c, i) => i !== xi && !isNumericType(c.type));
}

function lineBody(hints: ChartHints, table: ResultTable, style: ChartStyle): ChartOption | null {
  // A numeric x (years) comes first in a trend table even though it is numeric.
  const xHints = hints.x ? hints : { ...hints, x: table.columns[0]!.name };
  const data = hasSeriesColumn(table, xHints) ? longForm(table, xHints, style) : wideForm(table, xHints, style);
  if (!data || !data.series.length) return null;
  const axes = axisStyle(style.dark);
  return {
    legend: data.series.length > 1 ? { top: style.withTitle ? 28 : 0, type: 'scroll', textStyle: { color: colours(style.dark).text } } : undefined,
    grid: { left: 12, right: 24, top: style.withTitle ? 64 : data.series.length > 1 ? 36 : 24, bottom: 12, containLabel: true },
    xAxis: { type: 'category', data: data.xs, boundaryGap: false, ...axes, name: hints.xLabel ?? xHints.x, nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', ...axes, name: hints.yLabel, scale: false },
    series: data.series.map((s) => ({ type: 'line', name: s.name, data: s.values, showSymbol: data.xs.length <= 40, smooth: false })),
  };
}

function stackedBody(hints: ChartHints, table: ResultTable, style: ChartStyle): ChartOption | null {
  let data = hasSeriesColumn(table, hints) ? longForm(table, hints, style) : wideForm(table, hints, style);
  if (!data || !data.series.length) return null;
  const n = hints.topN ?? DEFAULT_TOP_N;
  if (data.xs.length > n && !hints.keepOrder) {
    const totals = data.xs.map((_, i) => data!.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
    const keep = new Set(totals.map((t, i) => ({ t, i })).sort((a, b) => b.t - a.t).slice(0, n - 1).map((e) => e.i));
    const other = WORDS[style.lang].other;
    data = {
      xs: [...data.xs.filter((_, i) => keep.has(i)), other],
      series: data.series.map((s) => ({ name: s.name, values: [...s.values.filter((_, i) => keep.has(i)), s.values.reduce((sum, v, i) => (keep.has(i) ? sum : sum + v), 0)] })),
    };
  }
  const longest = data.xs.reduce((m, x) => Math.max(m, x.length), 0);
  const horizontal = longest > 12;
  const axes = axisStyle(style.dark);
  const categoryAxis = { type: 'category', data: data.xs, ...axes, inverse: horizontal, axisLabel: { ...axes.axisLabel, interval: 0, width: horizontal ? 160 : undefined, overflow: 'truncate', rotate: !horizontal && data.xs.length > 6 ? 35 : 0 } };
  const valueAxis = { type: 'value', ...axes };
  return {
    legend: { top: style.withTitle ? 28 : 0, type: 'scroll', textStyle: { color: colours(style.dark).text } },
    grid: { left: 12, right: 24, top: style.withTitle ? 64 : 36, bottom: 12, containLabel: true },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: data.series.map((s) => ({ type: 'bar', name: s.name, stack: 'total', data: s.values, emphasis: { focus: 'series' } })),
  };
}

function heatmapBody(hints: ChartHints, table: ResultTable, style: ChartStyle): ChartOption | null {
  const matrix = squareMatrix(table);
  let xs: string[];
  let ys: string[];
  let cells: Array<[number, number, number | null]>;
  if (matrix) {
    ({ xs, ys, cells } = matrix);
  } else {
    const xi = labelIndex(table, hints.x);
    const yiNamed = columnIndex(table, hints.y ?? hints.series);
    const yi = yiNamed >= 0 ? yiNamed : table.columns.findIndex((c, i) => i !== xi && !isNumericType(c.type));
    const vi = valueIndex(table, hints.value, [xi, yi]);
    if (yi < 0 || vi < 0) return null;
    const limit = 30;
    const rank = (index: number) => {
      const totals = new Map<string, number>();
      for (const row of table.rows) totals.set(label(row[index] ?? null, style.lang), (totals.get(label(row[index] ?? null, style.lang)) ?? 0) + Math.abs(num(row[vi] ?? null)));
      return [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([k]) => k);
    };
    xs = rank(xi);
    ys = rank(yi);
    const xPos = new Map(xs.map((x, i) => [x, i]));
    const yPos = new Map(ys.map((y, i) => [y, i]));
    const sums = new Map<string, number>();
    for (const row of table.rows) {
      const x = xPos.get(label(row[xi] ?? null, style.lang));
      const y = yPos.get(label(row[yi] ?? null, style.lang));
      if (x === undefined || y === undefined) continue;
      const key = `${x}|${y}`;
      sums.set(key, (sums.get(key) ?? 0) + num(row[vi] ?? null));
    }
    cells = [...sums.entries()].map(([key, v]) => {
      const [x, y] = key.split('|').map(Number) as [number, number];
      return [x, y, v];
    });
  }
  const values = cells.map((c) => c[2]).filter((v): v is number => v !== null);
  if (!values.length) return null;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const correlation = min >= -1 && max <= 1 && (matrix !== null || min < 0);
  const axes = axisStyle(style.dark);
  const text = colours(style.dark).text;
  return {
    grid: { left: 12, right: 24, top: style.withTitle ? 48 : 16, bottom: 56, containLabel: true },
    xAxis: { type: 'category', data: xs, ...axes, axisLabel: { ...axes.axisLabel, interval: 0, rotate: xs.length > 6 ? 40 : 0, width: 110, overflow: 'truncate' }, splitArea: { show: true } },
    yAxis: { type: 'category', data: ys, ...axes, axisLabel: { ...axes.axisLabel, interval: 0, width: 140, overflow: 'truncate' }, splitArea: { show: true } },
    visualMap: {
      min: correlation ? -1 : min,
      max: correlation ? 1 : max,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      textStyle: { color: text },
      inRange: { color: correlation ? ['#2166ac', '#f7f7f7', '#b2182b'] : style.dark ? ['#1e3a5f', '#4e79a7', '#f28e2b'] : ['#eef4fb', '#4e79a7', '#1b3a63'] },
    },
    series: [
      {
        type: 'heatmap',
        data: cells,
        label: { show: xs.length * ys.length <= 100, color: text, formatter: correlation ? heatLabelFormatter : undefined },
        emphasis: { itemStyle: { borderColor: text, borderWidth: 1 } },
      },
    ],
  };
}

/** ECharts calls label formatters with the data item; correlations read best with two decimals. */
function heatLabelFormatter(params: { value?: unknown }): string {
  const v = Array.isArray(params.value) ? params.value[2] : params.value;
  return typeof v === 'number' ? v.toFixed(2) : '';
}

/** A wide square matrix: first column the row labels, the other columns named like those labels. */
function squareMatrix(table: ResultTable): { xs: string[]; ys: string[]; cells: Array<[number, number, number | null]> } | null {
  if (table.columns.length < 3) return null;
  const nums = table.columns.slice(1);
  if (!nums.every((c) => isNumericType(c.type))) return null;
  const rowLabels = table.rows.map((r) => String(r[0]));
  const colLabels = nums.map((c) => c.name);
  if (rowLabels.length !== colLabels.length || !rowLabels.every((l) => colLabels.includes(l))) return null;
  const cells: Array<[number, number, number | null]> = [];
  table.rows.forEach((row, y) => {
    colLabels.forEach((_, x) => {
      const v = row[x + 1];
      cells.push([x, y, typeof v === 'number' ? v : v === null || v === undefined ? null : num(v)]);
    });
  });
  return { xs: colLabels, ys: rowLabels, cells };
}
