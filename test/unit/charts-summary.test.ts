/**
 * The text alternative of each chart kind, checked against the numbers of the table it was drawn
 * from (shares computed here, independently of the summary's own arithmetic).
 */
import { describe, expect, it } from 'vitest';
import { analysisById } from '../../shared/analyses';
import type { ResultTable } from '../../shared/contract/analysis';
import { chartOption, chartSummary } from '../../shared/charts';

const style = { dark: false, lang: 'en' as const };

function counts(labels: string[], values: number[]): ResultTable {
  return {
    columns: [
      { name: 'label', type: 'text' },
      { name: 'count', type: 'integer' },
    ],
    rows: labels.map((l, i) => [l, values[i]!]),
  };
}

describe('chart summaries', () => {
  it('names the largest bars first with their share of the whole, then how many are left', () => {
    const labels = ['SUBURBAN', '4 DOOR SEDAN', 'PICK-UP TRUCK', 'VAN', 'BUS', 'TAXI', 'BOX TRUCK'];
    const values = [250, 400, 120, 90, 60, 50, 30];
    const total = values.reduce((a, b) => a + b, 0);
    const option = chartOption({ id: 'x', chart: 'bar' }, counts(labels, values), style)!;
    const text = chartSummary(option, 'Vehicle body type', 'en');
    const share = (v: number) => `${Math.round((v / total) * 100)}%`;
    expect(text).toBe(
      `Vehicle body type, 7 bars: 4 DOOR SEDAN ${share(400)}, SUBURBAN ${share(250)}, PICK-UP TRUCK ${share(120)}, ` +
        `VAN ${share(90)}, BUS ${share(60)}, and 2 more.`,
    );
  });

  it('speaks French with French number formatting', () => {
    const option = chartOption({ id: 'x', chart: 'bar' }, counts(['A', 'B'], [3, 1]), { dark: false, lang: 'fr' })!;
    // 75 % and 25 %, with the narrow no-break space French puts before the sign.
    expect(chartSummary(option, 'Titre', 'fr')).toMatch(/^Titre, 2 barres\s: A 75\s%, B 25\s%\.$/u);
  });

  it('gives the x range and the series of a trend, largest total first', () => {
    const table: ResultTable = {
      columns: [
        { name: 'Year', type: 'integer' },
        { name: 'Fuel Type', type: 'text' },
        { name: 'count', type: 'integer' },
      ],
      rows: [
        [2019, 'Gas', 10],
        [2019, 'Diesel', 20],
        [2020, 'Gas', 5],
        [2020, 'Diesel', 30],
        [2021, 'Gas', 12],
      ],
    };
    const option = chartOption(analysisById('trend-fuel')!, table, style)!;
    expect(chartSummary(option, 'Fuel by year', 'en')).toBe('Fuel by year from 2019 to 2021; 2 series: Diesel, Gas.');
  });

  it('gives the size and the extremes of a heatmap', () => {
    const table: ResultTable = {
      columns: [
        { name: 'column_a', type: 'text' },
        { name: 'column_b', type: 'text' },
        { name: 'value', type: 'float' },
      ],
      rows: [
        ['x', 'y', 0.5],
        ['x', 'z', -0.25],
        ['y', 'z', 0.75],
      ],
    };
    const option = chartOption(analysisById('corr-pearson')!, table, style)!;
    const text = chartSummary(option, 'Pearson', 'en');
    expect(text).toMatch(/^Pearson: 3 × 3 cells; highest /);
    // The diagonal is not drawn for pairs; the largest drawn value is y–z, the smallest x–z.
    expect(text).toMatch(/highest (y × z|z × y) 0\.75; lowest (x × z|z × x) -0\.25\.$/);
  });
});
