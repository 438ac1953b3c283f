import { describe, expect, it } from 'vitest';
import type { ResultTable } from '../../shared/contract/analysis';
import { compareResults, floatsClose } from '../../shared/results-compare';

const base = (): ResultTable => ({
  columns: [
    { name: 'Vehicle Body Type', type: 'text' },
    { name: 'count', type: 'integer' },
    { name: 'share', type: 'float' },
    { name: 'other', type: 'boolean' },
  ],
  rows: [
    ['4 DOOR SEDAN', 1770, 1770 / 4401, false],
    ['SUBURBAN', 1731, 1731 / 4401, false],
    [null, 900, 900 / 4401, true],
  ],
});

describe('compareResults', () => {
  it('matches identical tables, and floats within 1e-9 relative', () => {
    const b = base();
    b.rows[0]![2] = (1770 / 4401) * (1 + 5e-10);
    expect(compareResults(base(), base()).match).toBe(true);
    expect(compareResults(base(), b).match).toBe(true);
  });

  it('catches a changed count, even by one', () => {
    const b = base();
    b.rows[1]![1] = 1732;
    const out = compareResults(base(), b);
    expect(out.match).toBe(false);
    expect(out.differences).toEqual([expect.objectContaining({ kind: 'cell', row: 1, column: 'count', a: 1731, b: 1732 })]);
  });

  it('catches a reordered row', () => {
    const b = base();
    [b.rows[0], b.rows[1]] = [b.rows[1]!, b.rows[0]!];
    const out = compareResults(base(), b);
    expect(out.match).toBe(false);
    expect(out.differences.map((d) => d.column)).toContain('Vehicle Body Type');
  });

  it('catches a float out of tolerance', () => {
    const b = base();
    b.rows[2]![2] = (900 / 4401) * (1 + 1e-8);
    const out = compareResults(base(), b);
    expect(out.match).toBe(false);
    expect(out.differences[0]).toMatchObject({ kind: 'cell', row: 2, column: 'share' });
  });

  it('catches missing rows, renamed columns, null against a value and type changes when strict', () => {
    const fewer = base();
    fewer.rows.pop();
    expect(compareResults(base(), fewer).differences[0]!.kind).toBe('row-count');
    const renamed = base();
    renamed.columns[1] = { name: 'n', type: 'integer' };
    expect(compareResults(base(), renamed).differences[0]!.kind).toBe('columns');
    const nulled = base();
    nulled.rows[0]![0] = null;
    expect(compareResults(base(), nulled).match).toBe(false);
    const retyped = base();
    retyped.columns[1] = { name: 'count', type: 'float' };
    expect(compareResults(base(), retyped).match).toBe(true);
    expect(compareResults(base(), retyped, { strictTypes: true }).match).toBe(false);
  });

  it('compares floats relatively, with an absolute floor near zero', () => {
    expect(floatsClose(1e12, 1e12 + 1)).toBe(true);
    expect(floatsClose(1, 1 + 2e-9)).toBe(false);
    expect(floatsClose(0, 1e-13)).toBe(true);
    expect(floatsClose(0, 1e-6)).toBe(false);
  });
});
