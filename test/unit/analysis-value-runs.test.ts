/**
 * Sorted hash runs (electron/engine/analysis/ops/value-runs.ts) give the same counts as a plain
 * group-by, and a hash collision is detected rather than merging two values, whether it falls
 * among the top N or under a hash seen more than once outside it.
 */
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { encodeColumns } from '../../electron/engine/analysis/dictionary';
import { orderedGroups, type Dim } from '../../electron/engine/analysis/ops/context';
import { clashed, hashRuns, isPlainText, topRunsLazy } from '../../electron/engine/analysis/ops/value-runs';

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

const NAMES = { value: 'value', count: 'count', groups: 'groups' };
/** String length as the "hash": values of one length collide. */
const byLength = (e: pl.Expr) => e.str.lengths();

describe('hash runs', () => {
  it('count every distinct non-null value exactly like a group-by (near-unique text with repeats, nulls, empty strings)', async () => {
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
    const expected = groupByCounts(frame, 'vin');
    // A top N as large as the number of groups keeps every group.
    const all = await topRunsLazy(frame, 'vin', NAMES, expected.size, 0).collect();
    expect(clashed(all)).toBe(false);
    expect(all.height).toBe(expected.size);
    expect(runCounts(all)).toEqual(expected);
    expect(Number(all.getColumn('groups').toArray()[0])).toBe(expected.size);
    const runs = await hashRuns(frame, 'vin').runs.collect();
    expect(Number(runs.getColumn('n').sum())).toBe(values.filter((v) => v !== null).length);
  });

  it('report a collision (two values with one hash) instead of merging them', async () => {
    // "ab" and "cd" collide, and their shared hash makes the top 1.
    const top = pl.DataFrame({ v: pl.Series('v', ['ab', 'cd', 'ab', 'xyz'], pl.Utf8) });
    expect(clashed(await topRunsLazy(top, 'v', NAMES, 1, 0, byLength).collect())).toBe(true);
    // Outside the top 1 ("aaa", 3 rows) the shared hash would still undercount the groups.
    const outside = pl.DataFrame({ v: pl.Series('v', ['aaa', 'aaa', 'aaa', 'ab', 'cd'], pl.Utf8) });
    expect(clashed(await topRunsLazy(outside, 'v', NAMES, 1, 0, byLength).collect())).toBe(true);
    expect(clashed(await hashRuns(outside, 'v', byLength).clash.collect())).toBe(true);
    // Without a collision the weak hash still counts right, and the null group joins the count.
    const clean = pl.DataFrame({ v: pl.Series('v', ['ab', 'xyz', 'ab', null, 'q'], pl.Utf8) });
    const df = await topRunsLazy(clean, 'v', NAMES, 1, 1, byLength).collect();
    expect(clashed(df)).toBe(false);
    expect(df.select('value', 'count', 'groups').toRecords()).toEqual([{ value: 'ab', count: 2, groups: 4 }]);
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
