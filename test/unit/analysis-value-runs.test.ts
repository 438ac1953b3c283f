/**
 * Sorted hash runs (electron/engine/analysis/ops/value-runs.ts) give the same counts as a plain
 * group-by, and a hash collision is detected rather than merging two values.
 */
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { encodeColumns } from '../../electron/engine/analysis/dictionary';
import { orderedGroups, type Dim } from '../../electron/engine/analysis/ops/context';
import { isPlainText, valueRuns } from '../../electron/engine/analysis/ops/value-runs';

function groupByCounts(frame: pl.DataFrame, column: string): Map<string, number> {
  const g = frame.lazy().filter(pl.col(column).isNotNull()).groupBy(column).agg(pl.len().alias('n')).collectSync();
  const values = g.getColumn(column).toArray() as string[];
  const counts = g.getColumn('n').toArray() as number[];
  return new Map(values.map((v, i) => [v, Number(counts[i])]));
}

function runCounts(runs: pl.DataFrame): Map<string, number> {
  const values = runs.getColumn('value').toArray() as string[];
  const counts = runs.getColumn('count').toArray() as number[];
  return new Map(values.map((v, i) => [v, Number(counts[i])]));
}

describe('valueRuns', () => {
  it('counts every distinct non-null value exactly like a group-by (near-unique text with repeats, nulls, empty strings)', async () => {
    // A deterministic mix: mostly unique codes, some repeated many times, nulls and "".
    const values: Array<string | null> = [];
    for (let i = 0; i < 20_000; i++) {
      if (i % 97 === 0) values.push(null);
      else if (i % 89 === 0) values.push('');
      else if (i % 7 === 0) values.push(`REPEAT${i % 5}`);
      else values.push(`VIN${(i * 7919) % 15_000}`);
    }
    const frame = pl.DataFrame({ vin: pl.Series('vin', values, pl.Utf8) });
    expect(isPlainText(frame, 'vin')).toBe(true);
    const runs = await valueRuns(frame, 'vin');
    expect(runs).not.toBeNull();
    const expected = groupByCounts(frame, 'vin');
    expect(runs!.height).toBe(expected.size);
    expect(runCounts(runs!)).toEqual(expected);
    expect(Number(runs!.getColumn('count').sum())).toBe(values.filter((v) => v !== null).length);
  });

  it('reports a collision (two values with one hash) instead of merging them', async () => {
    const frame = pl.DataFrame({ v: pl.Series('v', ['ab', 'cd', 'ab', 'xyz'], pl.Utf8) });
    // String length as the "hash": "ab" and "cd" collide.
    const byLength = (e: pl.Expr) => e.str.lengths();
    expect(await valueRuns(frame, 'v', { value: 'value', count: 'count' }, byLength)).toBeNull();
    // Without a collision the weak hash still counts right.
    const clean = pl.DataFrame({ v: pl.Series('v', ['ab', 'xyz', 'ab', null], pl.Utf8) });
    expect(runCounts((await valueRuns(clean, 'v', { value: 'value', count: 'count' }, byLength))!)).toEqual(
      new Map([
        ['ab', 2],
        ['xyz', 1],
      ]),
    );
  });

  it('gives orderedGroups the same top N, ties, null group and group count as the group-by over codes', async () => {
    const values: Array<string | null> = [];
    for (let i = 0; i < 5_000; i++) values.push(i % 11 === 0 ? null : i % 3 === 0 ? `T${i % 4}` : `U${i}`);
    const plain = pl.DataFrame({ v: pl.Series('v', values, pl.Utf8) });
    const encoded = encodeColumns(plain, ['v']);
    const dim: Dim = { expr: pl.col('v').alias('value'), name: 'value', type: 'text', source: 'v' };
    const codedDim: Dim = { ...dim, labels: encoded.dictionaries.v! };
    for (const [topN, dropNullKeys] of [
      [1, true],
      [3, false],
      [6, false],
      [10, true],
    ] as const) {
      const viaRuns = await orderedGroups(plain, [dim], 'count', topN, { dropNullKeys });
      const viaGroupBy = await orderedGroups(encoded.frame, [codedDim], 'count', topN, { dropNullKeys });
      expect(viaRuns).toEqual(viaGroupBy);
    }
    // The null group is a real group when kept: 455 nulls outnumber every value.
    expect((await orderedGroups(plain, [dim], 'count', 1)).groups[0]).toEqual({ keys: [null], count: 455 });
  });

  it('is only chosen for plain text, not for coded text or categoricals', () => {
    const frame = pl.DataFrame({
      c: pl.Series('c', ['a', 'b']).cast(pl.Categorical),
      s: pl.Series('s', ['a', 'b'], pl.Utf8),
      k: pl.Series('k', [0, 1], pl.UInt8),
    });
    expect(isPlainText(frame, 'k')).toBe(false);
    expect(isPlainText(frame, 'c')).toBe(false);
    expect(isPlainText(frame, 's')).toBe(true);
  });
});
