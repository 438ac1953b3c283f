/**
 * ECharts options for analysis results, shared by the renderer (live panels) and the engine
 * (SVG via ECharts server-side rendering for the HTML report and MinIO chart images), so a chart
 * looks the same everywhere. Pure data in, plain option object out: no ECharts import here.
 *
 * Result tables follow a few shapes (see docs/analyses.md); the builders read them by shape:
 *   bar / histogram  : label, count   (value: count, value, nulls, rows or n; histogram: lower, upper, count)
 *   line             : x, value       or  x, series, value (long form)
 *   stacked-bar      : category, series, value (trends: Year, dimension, count)
 *   heatmap          : a, b, value (column_a, column_b, value for correlations) or a square matrix
 */
import type { ChartKind } from '../analyses/types';
import type { ResultTable } from '../contract/analysis';
import { strings, translate, type Lang, type TKey } from '../i18n';

/** What is drawn for a catalog chart kind: a KPI is shown as a table of figures. */
export type DrawnKind = Exclude<ChartKind, 'kpi'>;

export interface ChartHints {
  kind: DrawnKind;
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
  /** The key of its title in the resource tree (shared/i18n). */
  title?: TKey;
  /** The catalog's chart kind, or full hints. */
  chart?: ChartKind | string | Partial<ChartHints> | null;
}

export interface ChartStyle {
  dark: boolean;
  lang: Lang;
  /** Draw the title inside the chart (images on their own: report, MinIO); panels show it outside. */
  withTitle?: boolean;
  /** Off for server-side rendering and tests. */
  animation?: boolean;
}

type Cell = string | number | boolean | null;
/** An ECharts option: a plain object (typed loosely so this module needs no ECharts import). */
export type ChartOption = Record<string, unknown>;

const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
/** The label the engine gives its own top-N remainder (OTHER_LABEL in shared/analyses.ts). */
const OTHER = '(other)';

export const DEFAULT_TOP_N = 15;

export function hintsFor(spec: ChartableSpec): ChartHints {
  const c = spec.chart;
  if (!c) return { kind: 'bar' };
  if (typeof c === 'string') return { kind: normaliseKind(c) };
  return { ...c, kind: normaliseKind(c.kind ?? 'bar') } as ChartHints;
}

function normaliseKind(kind: string): DrawnKind {
  // 'kpi' and 'table' results are shown as figures or tables, not charts.
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

export function titleOf(spec: ChartableSpec, lang: Lang): string {
  return spec.title ? translate(lang, spec.title) : spec.id;
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
  if (style.withTitle)
    option.title = { text: titleOf(spec, style.lang), left: 8, top: 6, textStyle: { color: theme.text, fontSize: 14, fontWeight: 600 } };
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

function label(cell: Cell, lang: Lang): string {
  if (cell === null || cell === '') return strings(lang).chart.empty;
  if (cell === OTHER) return strings(lang).chart.otherBucket;
  return String(cell);
}

function num(cell: Cell): number {
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'boolean') return cell ? 1 : 0;
  const n = Number(cell);
  return Number.isFinite(n) ? n : 0;
}

/** Preferred value columns, in the catalog's vocabulary (docs/analyses.md). */
const VALUE_NAMES = ['count', 'value', 'nulls', 'rows', 'n'];

/**
 * Where the numbers and the dimensions are: the value is a count-like column (or the named one);
 * the dimensions are the columns before it (the catalog puts grouping columns first), booleans
 * such as `other` excluded.
 */
export function tableShape(table: ResultTable, hints: Partial<ChartHints> = {}): { value: number; dims: number[] } | null {
  let value = columnIndex(table, hints.value ?? hints.y);
  if (value < 0) {
    for (const name of VALUE_NAMES) {
      const i = table.columns.findIndex((c) => c.name === name && isNumericType(c.type));
      if (i >= 0) {
        value = i;
        break;
      }
    }
  }
  if (value < 0) value = table.columns.findIndex((c, i) => i > 0 && isNumericType(c.type));
  if (value < 0) return null;
  const named = [columnIndex(table, hints.x), columnIndex(table, hints.series)].filter((i) => i >= 0);
  const dims = named.length ? named : table.columns.map((c, i) => (i < value && c.type !== 'boolean' ? i : -1)).filter((i) => i >= 0);
  return { value, dims: dims.length ? dims : value > 0 ? [0] : [] };
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
export function topNWithOther(
  pairs: Array<{ label: string; value: number }>,
  n: number,
  otherLabel: string,
): Array<{ label: string; value: number }> {
  if (pairs.length <= n) return pairs;
  const ranked = pairs.map((p, i) => ({ ...p, i })).sort((a, b) => b.value - a.value || a.i - b.i);
  const keep = new Set(ranked.slice(0, n - 1).map((p) => p.i));
  const kept = pairs.filter((_, i) => keep.has(i));
  const rest = pairs.reduce((sum, p, i) => (keep.has(i) ? sum : sum + p.value), 0);
  return [...kept, { label: otherLabel, value: rest }];
}

function buildBody(hints: ChartHints, table: ResultTable, style: ChartStyle): ChartOption | null {
  const shape = tableShape(table, hints);
  if (!shape) return null;
  // Two dimensions drawn as bars read best stacked (group-by over two columns).
  const kind = (hints.kind === 'bar' || hints.kind === 'hbar') && shape.dims.length >= 2 ? 'stacked-bar' : hints.kind;
  switch (kind) {
    case 'table':
      return null;
    case 'bar':
    case 'hbar':
      return barBody(hints, table, style, shape, false);
    case 'histogram':
      return barBody(hints, table, style, shape, true);
    case 'line':
      return lineBody(hints, table, style, shape);
    case 'stacked-bar':
      return stackedBody(hints, table, style, shape);
    case 'heatmap':
      return heatmapBody(table, style, shape);
  }
}

function barBody(
  hints: ChartHints,
  table: ResultTable,
  style: ChartStyle,
  shape: { value: number; dims: number[] },
  histogram: boolean,
): ChartOption | null {
  const words = strings(style.lang).chart;
  const lower = table.columns.findIndex((c) => /^(bin_?start|lower|from|bin_?min)$/i.test(c.name));
  const upper = table.columns.findIndex((c) => /^(bin_?end|upper|to|bin_?max)$/i.test(c.name));
  const binned = histogram && lower >= 0 && upper >= 0;
  const li = shape.dims[0] ?? 0;
  const vi = shape.value;
  let pairs = table.rows.map((row) => ({
    label: binned ? `${formatEdge(row[lower] ?? null)}–${formatEdge(row[upper] ?? null)}` : label(row[li] ?? null, style.lang),
    value: num(row[vi] ?? null),
  }));
  // The engine already folds its top N into "(other)" (an `other` column says so): fold again only when that is still too many to read.
  const engineFolded = table.columns.some((c) => c.name === 'other' && c.type === 'boolean');
  const limit = hints.topN ?? (engineFolded ? 40 : DEFAULT_TOP_N);
  if (!histogram && !hints.keepOrder) pairs = topNWithOther(pairs, limit, words.other);
  const longest = pairs.reduce((m, p) => Math.max(m, p.label.length), 0);
  const horizontal = !histogram && (hints.kind === 'hbar' || longest > 12 || (pairs.length > 12 && longest > 4));
  const axes = axisStyle(style.dark);
  const valueName = hints.yLabel ?? table.columns[vi]!.name;
  // Horizontal bars: the title names the categories and the tooltip the value, so no axis names crowd the labels.
  const categoryName = horizontal || binned ? undefined : (hints.xLabel ?? table.columns[li]!.name);
  const categoryAxis = {
    type: 'category',
    data: pairs.map((p) => p.label),
    ...axes,
    // Histogram bins are many and ordered: let ECharts skip labels that would overlap.
    axisLabel: binned
      ? { ...axes.axisLabel, interval: 'auto', hideOverlap: true }
      : {
          ...axes.axisLabel,
          interval: 0,
          width: horizontal ? 160 : undefined,
          overflow: 'truncate',
          rotate: !horizontal && longest > 6 && pairs.length > 6 ? 35 : 0,
        },
    inverse: horizontal,
    name: categoryName,
    nameLocation: 'middle',
    nameGap: 28,
  };
  const valueAxis = { type: 'value', ...axes, name: horizontal ? undefined : valueName, nameLocation: 'end', nameGap: 12 };
  return {
    grid: { left: 12, right: 24, top: style.withTitle ? 48 : 28, bottom: categoryName ? 32 : 12, containLabel: true },
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

interface Series {
  xs: string[];
  series: Array<{ name: string; values: number[] }>;
}

/** x, series, value (long form) becomes one series per distinct series value (the largest ones, then "Other"). */
function seriesData(table: ResultTable, style: ChartStyle, shape: { value: number; dims: number[] }, maxSeries = 12): Series | null {
  const xi = shape.dims[0];
  const si = shape.dims[1];
  if (xi === undefined) return null;
  const vi = shape.value;
  const xs: string[] = [];
  const xSort = new Map<string, Cell>();
  const cells = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  const valueName = table.columns[vi]!.name;
  for (const row of table.rows) {
    const x = label(row[xi] ?? null, style.lang);
    const s = si === undefined ? valueName : label(row[si] ?? null, style.lang);
    const v = num(row[vi] ?? null);
    if (!xSort.has(x)) {
      xSort.set(x, row[xi] ?? null);
      xs.push(x);
    }
    if (!cells.has(s)) cells.set(s, new Map());
    cells.get(s)!.set(x, (cells.get(s)!.get(x) ?? 0) + v);
    totals.set(s, (totals.get(s) ?? 0) + v);
  }
  // A numeric x (years, ages) reads in its own order, whatever order the rows came in.
  if (isNumericType(table.columns[xi]!.type)) xs.sort((a, b) => num(xSort.get(a) ?? null) - num(xSort.get(b) ?? null));
  const names = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const kept = names.slice(0, names.length > maxSeries ? maxSeries - 1 : maxSeries);
  const series = kept.map((name) => ({ name, values: xs.map((x) => cells.get(name)!.get(x) ?? 0) }));
  if (names.length > kept.length) {
    const rest = names.slice(kept.length);
    series.push({
      name: strings(style.lang).chart.other,
      values: xs.map((x) => rest.reduce((sum, s) => sum + (cells.get(s)!.get(x) ?? 0), 0)),
    });
  }
  return { xs, series };
}

function legend(style: ChartStyle) {
  return { top: style.withTitle ? 28 : 0, type: 'scroll', textStyle: { color: colours(style.dark).text } };
}

function lineBody(hints: ChartHints, table: ResultTable, style: ChartStyle, shape: { value: number; dims: number[] }): ChartOption | null {
  const data = seriesData(table, style, shape);
  if (!data || !data.series.length) return null;
  const axes = axisStyle(style.dark);
  const multi = data.series.length > 1;
  return {
    legend: multi ? legend(style) : undefined,
    grid: { left: 12, right: 24, top: style.withTitle ? 64 : multi ? 36 : 24, bottom: 32, containLabel: true },
    xAxis: {
      type: 'category',
      data: data.xs,
      boundaryGap: false,
      ...axes,
      name: hints.xLabel ?? table.columns[shape.dims[0]!]!.name,
      nameLocation: 'middle',
      nameGap: 28,
    },
    yAxis: { type: 'value', ...axes, name: hints.yLabel ?? table.columns[shape.value]!.name },
    series: data.series.map((s) => ({ type: 'line', name: s.name, data: s.values, showSymbol: data.xs.length <= 40 })),
  };
}

function stackedBody(
  hints: ChartHints,
  table: ResultTable,
  style: ChartStyle,
  shape: { value: number; dims: number[] },
): ChartOption | null {
  let data = seriesData(table, style, shape);
  if (!data || !data.series.length) return null;
  const n = hints.topN ?? DEFAULT_TOP_N;
  const numericX = isNumericType(table.columns[shape.dims[0]!]!.type);
  if (data.xs.length > n && !hints.keepOrder && !numericX) {
    const current = data;
    const totals = current.xs.map((_, i) => current.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
    const keep = new Set(
      totals
        .map((t, i) => ({ t, i }))
        .sort((a, b) => b.t - a.t)
        .slice(0, n - 1)
        .map((e) => e.i),
    );
    data = {
      xs: [...current.xs.filter((_, i) => keep.has(i)), strings(style.lang).chart.other],
      series: current.series.map((s) => ({
        name: s.name,
        values: [...s.values.filter((_, i) => keep.has(i)), s.values.reduce((sum, v, i) => (keep.has(i) ? sum : sum + v), 0)],
      })),
    };
  }
  const longest = data.xs.reduce((m, x) => Math.max(m, x.length), 0);
  const horizontal = longest > 12;
  const axes = axisStyle(style.dark);
  const categoryAxis = {
    type: 'category',
    data: data.xs,
    ...axes,
    inverse: horizontal,
    axisLabel: {
      ...axes.axisLabel,
      interval: 0,
      width: horizontal ? 160 : undefined,
      overflow: 'truncate',
      rotate: !horizontal && data.xs.length > 6 && longest > 4 ? 35 : 0,
    },
  };
  const valueAxis = { type: 'value', ...axes };
  return {
    legend: legend(style),
    grid: { left: 12, right: 24, top: style.withTitle ? 64 : 36, bottom: 12, containLabel: true },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: data.series.map((s) => ({ type: 'bar', name: s.name, stack: 'total', data: s.values, emphasis: { focus: 'series' } })),
  };
}

function heatmapBody(table: ResultTable, style: ChartStyle, shape: { value: number; dims: number[] }): ChartOption | null {
  const matrix = squareMatrix(table);
  let xs: string[];
  let ys: string[];
  let cells: Array<[number, number, number | null]>;
  let pairs = false;
  if (matrix) {
    ({ xs, ys, cells } = matrix);
  } else {
    const xi = shape.dims[0];
    const yi = shape.dims[1];
    const vi = shape.value;
    if (xi === undefined || yi === undefined) return null;
    // Pairs of columns (correlations) are symmetric: show both halves.
    pairs = table.columns[xi]!.name === 'column_a' && table.columns[yi]!.name === 'column_b';
    const entries: Array<[string, string, number]> = [];
    const seen = new Set<string>();
    for (const row of table.rows) {
      const x = label(row[xi] ?? null, style.lang);
      const y = label(row[yi] ?? null, style.lang);
      if (row[vi] === null || row[vi] === undefined) continue;
      entries.push([x, y, num(row[vi] ?? null)]);
      seen.add(`${x}\u0000${y}`);
    }
    if (pairs) for (const [x, y, v] of [...entries]) if (!seen.has(`${y}\u0000${x}`)) entries.push([y, x, v]);
    const limit = 30;
    const rank = (pick: (e: [string, string, number]) => string) => {
      const totals = new Map<string, number>();
      const order: string[] = [];
      for (const e of entries) {
        const k = pick(e);
        if (!totals.has(k)) order.push(k);
        totals.set(k, (totals.get(k) ?? 0) + Math.abs(e[2]));
      }
      return pairs
        ? order.slice(0, limit)
        : [...totals.entries()]
            .sort((a, b) => b[1] - a[1])
            .slice(0, limit)
            .map(([k]) => k);
    };
    xs = rank((e) => e[0]);
    ys = pairs ? xs : rank((e) => e[1]);
    const xPos = new Map(xs.map((x, i) => [x, i]));
    const yPos = new Map(ys.map((y, i) => [y, i]));
    const sums = new Map<string, [number, number, number]>();
    for (const [x, y, v] of entries) {
      const px = xPos.get(x);
      const py = yPos.get(y);
      if (px === undefined || py === undefined) continue;
      const key = `${px}|${py}`;
      const prev = sums.get(key);
      sums.set(key, [px, py, pairs ? v : (prev?.[2] ?? 0) + v]);
    }
    cells = [...sums.values()];
  }
  const values = cells.map((c) => c[2]).filter((v): v is number => v !== null);
  if (!values.length) return null;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const bounded = (matrix !== null || pairs) && min >= -1 && max <= 1;
  const diverging = bounded && min < 0;
  const axes = axisStyle(style.dark);
  const text = colours(style.dark).text;
  const longestX = xs.reduce((m, x) => Math.max(m, x.length), 0);
  return {
    grid: { left: 12, right: 72, top: style.withTitle ? 48 : 12, bottom: 12, containLabel: true },
    xAxis: {
      type: 'category',
      data: xs,
      ...axes,
      axisLabel: {
        ...axes.axisLabel,
        interval: 0,
        rotate: xs.length > 3 && longestX * xs.length > 36 ? 35 : 0,
        width: 110,
        overflow: 'truncate',
      },
      splitArea: { show: true },
    },
    // Matrices read from the top-left corner, like the table.
    yAxis: {
      type: 'category',
      data: ys,
      inverse: matrix !== null || pairs,
      ...axes,
      axisLabel: { ...axes.axisLabel, interval: 0, width: 140, overflow: 'truncate' },
      splitArea: { show: true },
    },
    visualMap: {
      min: bounded ? (diverging ? -1 : 0) : min,
      max: bounded ? 1 : max,
      calculable: true,
      orient: 'vertical',
      right: 0,
      top: 'middle',
      itemWidth: 12,
      itemHeight: 120,
      textStyle: { color: text },
      inRange: {
        color: diverging
          ? ['#2166ac', '#f7f7f7', '#b2182b']
          : style.dark
            ? ['#1e3a5f', '#4e79a7', '#f28e2b']
            : ['#eef4fb', '#4e79a7', '#1b3a63'],
      },
    },
    series: [
      {
        type: 'heatmap',
        data: cells,
        label: {
          show: xs.length * ys.length <= 100,
          color: bounded ? '#111111' : text,
          // A halo keeps the figures readable (AA contrast) on the darkest and the lightest cells alike.
          textBorderColor: bounded ? '#ffffff' : colours(style.dark).background,
          textBorderWidth: 2,
          formatter: bounded ? heatLabelFormatter : undefined,
        },
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

/** A height (px) that gives every category of a horizontal bar chart or heatmap room for its label. */
export function suggestedHeight(option: ChartOption | null, base = 320): number {
  const y = option?.yAxis as { type?: string; data?: unknown[] } | undefined;
  if (!y || y.type !== 'category' || !Array.isArray(y.data)) return base;
  const heatmap = Array.isArray(option?.series) && (option.series as Array<{ type?: string }>).some((s) => s.type === 'heatmap');
  const wanted = y.data.length * (heatmap ? 30 : 20) + (heatmap ? 130 : 80);
  return Math.max(base, Math.min(wanted, 900));
}
export { chartSummary } from './summary';
