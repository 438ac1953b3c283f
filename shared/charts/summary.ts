/**
 * The text alternative of a chart: one sentence that says what the drawn option shows (the largest
 * bars with their share, the range and series of a trend, the extremes of a heatmap). Read from the
 * option itself, so the words always match the picture; the panel's table has every number.
 */
import { interpolate, strings, type Lang } from '../i18n';
import type { ChartOption } from './index';

const SHOWN = 5;

/** The summary's words in `lang`, placeholders filled. */
function wordsFor(lang: Lang) {
  const w = strings(lang).chart.summary;
  return {
    colon: w.colon,
    more: (n: number) => interpolate(w.more, { n }),
    bars: (n: number) => interpolate(w.bars, { n }),
    from: (from: string, to: string) => interpolate(w.from, { from, to }),
    series: (n: number, names: string) => interpolate(w.series, { n, names }),
    highest: w.highest,
    lowest: w.lowest,
    matrix: (rows: number, cols: number) => interpolate(w.matrix, { rows, cols }),
  };
}

interface Axis {
  type?: string;
  data?: unknown[];
}
interface Series {
  type?: string;
  name?: string;
  data?: unknown[];
}

const asArray = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : value ? [value as T] : []);
const numberOf = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** "Title: A 40 %, B 25 %, … and 7 more" for the chart `option` draws, in `lang`. */
export function chartSummary(option: ChartOption, title: string, lang: Lang): string {
  const words = wordsFor(lang);
  const locale = lang === 'fr' ? 'fr-FR' : 'en-US';
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const list = (items: string[]) => {
    const shown = items.slice(0, SHOWN).join(', ');
    return items.length > SHOWN ? `${shown}, ${words.more(items.length - SHOWN)}` : shown;
  };
  const series = asArray<Series>(option.series);
  const axes = [...asArray<Axis>(option.xAxis), ...asArray<Axis>(option.yAxis)];
  const categories = (axes.find((a) => a.type === 'category')?.data ?? []).map(String);

  if (series.some((s) => s.type === 'heatmap')) {
    const ys = (asArray<Axis>(option.yAxis)[0]?.data ?? []).map(String);
    const cells = (series[0]?.data ?? [])
      .map((c) => (Array.isArray(c) ? { x: c[0] as number, y: c[1] as number, v: numberOf(c[2]) } : null))
      .filter((c): c is { x: number; y: number; v: number } => c !== null && c.v !== null);
    if (!cells.length) return title;
    const sorted = [...cells].sort((a, b) => b.v - a.v);
    const cell = (c: { x: number; y: number; v: number }) => `${categories[c.x]} × ${ys[c.y]} ${number.format(c.v)}`;
    return `${title}${words.colon}${words.matrix(ys.length, categories.length)}; ${words.highest} ${cell(sorted[0]!)}; ${words.lowest} ${cell(sorted.at(-1)!)}.`;
  }

  if (series.length === 1 && series[0]!.type === 'bar') {
    const values = (series[0]!.data ?? []).map(numberOf);
    const pairs = categories.map((label, i) => ({ label, value: values[i] ?? 0 }));
    const total = pairs.reduce((sum, p) => sum + p.value, 0);
    // Shares read best when the bars are parts of one whole (counts); other values are given as they are.
    const shares = total > 0 && pairs.every((p) => p.value >= 0);
    const ranked = [...pairs].sort((a, b) => b.value - a.value);
    const items = ranked.map((p) => `${p.label} ${shares ? percent.format(p.value / total) : number.format(p.value)}`);
    return `${title}, ${words.bars(pairs.length)}${words.colon}${list(items)}.`;
  }

  // Lines and stacked bars: the range of the x axis and the series drawn over it.
  const range = categories.length ? ` ${words.from(categories[0]!, categories.at(-1)!)}` : '';
  const names = series.map((s) => s.name ?? '').filter((n) => n !== '');
  const totals = names.map((name, i) => ({
    name,
    total: (series[i]!.data ?? []).reduce<number>((sum, v) => sum + (numberOf(v) ?? 0), 0),
  }));
  const ranked = totals.sort((a, b) => b.total - a.total).map((s) => s.name);
  return `${title}${range}; ${words.series(names.length, list(ranked))}.`;
}
