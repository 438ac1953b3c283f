import { describe, expect, it } from 'vitest';
import { ANALYSES, analysisById } from '../../shared/analyses';
import type { ResultTable } from '../../shared/contract/analysis';
import { chartOption, isChartable, tableShape } from '../../shared/charts';
import { renderChartSvg } from '../../shared/charts/ssr';

type Opt = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const style = { dark: false, lang: 'en' as const };

function groupCount(labels: string[], counts: number[], withOther = false): ResultTable {
  const total = counts.reduce((a, b) => a + b, 0);
  return {
    columns: [
      { name: 'Vehicle Body Type', type: 'text' },
      { name: 'count', type: 'integer' },
      { name: 'share', type: 'float' },
      ...(withOther ? [{ name: 'other', type: 'boolean' as const }] : []),
    ],
    rows: labels.map((l, i) => [l, counts[i]!, counts[i]! / total, ...(withOther ? [l === '(other)'] : [])]),
  };
}

describe('chart options from result tables', () => {
  it('keeps the largest bars and folds the rest into Other without losing any count', () => {
    const labels = Array.from({ length: 30 }, (_, i) => `T${i}`);
    const counts = labels.map((_, i) => (i * 37) % 101);
    const option = chartOption({ id: 'x', chart: 'bar' }, groupCount(labels, counts), style) as Opt;
    const data: number[] = option.series[0].data;
    expect(data).toHaveLength(15);
    expect(data.reduce((a, b) => a + b, 0)).toBe(counts.reduce((a, b) => a + b, 0));
    const categories: string[] = (option.xAxis.type === 'category' ? option.xAxis : option.yAxis).data;
    expect(categories.at(-1)).toBe('Other');
    const kept = [...counts].sort((a, b) => b - a).slice(0, 14);
    expect(data.slice(0, 14).sort((a, b) => b - a)).toEqual(kept);
  });

  it('does not fold again what the engine already folded into (other), and translates that label', () => {
    const labels = [...Array.from({ length: 25 }, (_, i) => `MAKE${i}`), '(other)'];
    const option = chartOption(
      { id: 'x', chart: 'hbar' },
      groupCount(
        labels,
        labels.map((_, i) => 100 - i),
        true,
      ),
      { dark: false, lang: 'fr' },
    ) as Opt;
    expect(option.series[0].data).toHaveLength(26);
    expect(option.yAxis.data.at(-1)).toBe('(autres)');
  });

  it('lays bars horizontally when category names are long', () => {
    const option = chartOption(
      { id: 'x', chart: 'bar' },
      groupCount(['Going Straight Ahead', 'Slowing or Stopping', 'Parked'], [5, 3, 1]),
      style,
    ) as Opt;
    expect(option.yAxis.type).toBe('category');
    expect(option.yAxis.data).toEqual(['Going Straight Ahead', 'Slowing or Stopping', 'Parked']);
  });

  it('stacks a trend by its dimension with years in order and the same totals per year', () => {
    const table: ResultTable = {
      columns: [
        { name: 'Year', type: 'integer' },
        { name: 'Fuel Type', type: 'text' },
        { name: 'count', type: 'integer' },
        { name: 'share', type: 'float' },
        { name: 'other', type: 'boolean' },
      ],
      rows: [
        [2019, 'Gas', 10, 0.8, false],
        [2019, 'Diesel', 2, 0.2, false],
        [2018, 'Gas', 7, 0.7, false],
        [2018, 'Diesel', 3, 0.3, false],
        [2018, null, 1, 0.1, false],
      ],
    };
    const option = chartOption(analysisById('trend-fuel')!, table, style) as Opt;
    expect(option.xAxis.data).toEqual(['2018', '2019']);
    const perYear = [0, 1].map((i) => option.series.reduce((sum: number, s: Opt) => sum + s.data[i], 0));
    expect(perYear).toEqual([11, 12]);
    expect(option.series.map((s: Opt) => s.name)).toContain('(empty)');
    expect(option.series.every((s: Opt) => s.stack === 'total')).toBe(true);
  });

  it('draws column pairs as a symmetric heatmap on a diverging -1..1 scale for correlations', () => {
    const table: ResultTable = {
      columns: [
        { name: 'column_a', type: 'text' },
        { name: 'column_b', type: 'text' },
        { name: 'value', type: 'float' },
        { name: 'n', type: 'integer' },
      ],
      rows: [
        ['Year', 'Vehicle Year', 0.12, 4000],
        ['Year', 'Engine Cylinders', -0.05, 4000],
        ['Vehicle Year', 'Engine Cylinders', -0.3, 4000],
      ],
    };
    const option = chartOption(analysisById('corr-pearson')!, table, style) as Opt;
    expect(option.visualMap.min).toBe(-1);
    expect(option.visualMap.max).toBe(1);
    const cells: Array<[number, number, number]> = option.series[0].data;
    expect(cells).toHaveLength(6);
    const xs: string[] = option.xAxis.data;
    const at = (a: string, b: string) => cells.find((c) => xs[c[0]] === a && xs[c[1]] === b)?.[2];
    expect(at('Engine Cylinders', 'Vehicle Year')).toBe(-0.3);
    expect(at('Vehicle Year', 'Engine Cylinders')).toBe(-0.3);
  });

  it('uses lower–upper edges as histogram labels', () => {
    const table: ResultTable = {
      columns: [
        { name: 'bin', type: 'integer' },
        { name: 'lower', type: 'float' },
        { name: 'upper', type: 'float' },
        { name: 'count', type: 'integer' },
      ],
      rows: [
        [0, 1990, 2000, 4],
        [1, 2000, 2010, 9],
      ],
    };
    const option = chartOption(analysisById('generic-histogram')!, table, style) as Opt;
    expect(option.xAxis.data).toEqual(['1990–2000', '2000–2010']);
    expect(option.series[0].data).toEqual([4, 9]);
  });

  it('leaves tables and key figures to the table view', () => {
    const counts: ResultTable = {
      columns: [
        { name: 'rows', type: 'integer' },
        { name: 'columns', type: 'integer' },
      ],
      rows: [[4401, 19]],
    };
    expect(isChartable(analysisById('explore-counts')!, counts)).toBe(false);
    expect(chartOption({ id: 'x', chart: 'bar' }, { columns: [], rows: [] }, style)).toBeNull();
  });

  it('finds the value and dimension columns of every catalog shape', () => {
    const shape = tableShape({
      columns: [
        { name: 'rule', type: 'text' },
        { name: 'column', type: 'text' },
        { name: 'limit', type: 'integer' },
        { name: 'rows', type: 'integer' },
        { name: 'share', type: 'float' },
      ],
      rows: [],
    });
    expect(shape?.value).toBe(3);
    for (const spec of ANALYSES) expect(typeof spec.chart).toBe('string');
  });

  it('renders the same option to an SVG document without a browser', () => {
    const svg = renderChartSvg(
      analysisById('desc-body-type')!,
      groupCount(['SUBURBAN', '4 DOOR SEDAN', 'PICKUP TRUCK'], [1730, 1769, 497]),
      { lang: 'fr' },
    );
    expect(svg).toMatch(/^<svg[^>]+width="720"/);
    expect(svg).toContain('Type de carrosserie');
    expect(svg).toContain('PICKUP TRUCK');
  });
});
