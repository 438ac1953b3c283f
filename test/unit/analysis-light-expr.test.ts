/**
 * The light expressions (`px`, electron/engine/analysis/ops/expr.ts) and the native column reads
 * (ops/read.ts) give what nodejs-polars' own wrappers give, method by method, on a frame with
 * nulls, NaN, text and codes; methods not written there still work through the library. The
 * analyses built on them are checked against DuckDB by test/integration/analysis-oracle.test.ts.
 */
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { px } from '../../electron/engine/analysis/ops/expr';
import { columnValues, distinctCount, dtypeOf, nullCount, typedValues, valueCounts } from '../../electron/engine/analysis/ops/read';

const frame = pl.DataFrame({
  n: pl.Series('n', [3, 1, null, 4, 1, 5], pl.Int64),
  f: pl.Series('f', [0.5, NaN, null, 2.5, -1, 0.5], pl.Float64),
  t: pl.Series('t', ['b', 'a', null, 'b', 'Not Entered', 'c*'], pl.Utf8),
  c: pl.Series('c', [0, 1, 1, null, 2, 0], pl.UInt8),
});

type Build = (x: {
  col: (n: string) => pl.Expr;
  cols: (n: string[]) => pl.Expr;
  lit: (v: unknown) => pl.Expr;
  len: () => pl.Expr;
}) => pl.Expr[];

const library = {
  col: (n: string) => pl.col(n),
  cols: (n: string[]) => pl.cols(n),
  lit: (v: unknown) => pl.lit(v as never),
  len: () => pl.len(),
};

/** The same expressions built both ways, selected from the frame: the records must be equal. */
function same(build: Build): void {
  const ours = frame.select(...build(px)).toRecords();
  const theirs = frame.select(...build(library)).toRecords();
  expect(ours).toEqual(theirs);
  expect(ours.length).toBeGreaterThan(0);
}

describe('light expressions equal the library’s', () => {
  it('for the aggregations the analyses use', () => {
    same(({ col, cols, len }) => [
      cols(['n', 'f', 't']).count().prefix('count:'),
      cols(['n', 'f', 't']).nullCount().prefix('nulls:'),
      cols(['n', 't']).dropNulls().nUnique().prefix('distinct:'),
      col('n').cast(pl.Float64).mean().alias('mean'),
      col('n').cast(pl.Float64).std().alias('std'),
      col('n').median().alias('median'),
      col('n').cast(pl.Float64).quantile(0.25, 'linear').alias('q25'),
      col('f').quantile(0.75).alias('q75'),
      col('n').sum().alias('sum'),
      col('n').min().alias('min'),
      col('t').max().alias('max'),
      col('n').first().alias('first'),
      col('n').last().alias('last'),
      col('n').sort({ descending: true }).head(2).last().alias('second'),
      col('n').filter(col('n').gt(1)).sum().alias('filtered'),
      col('t').unique().implode().list.lengths().alias('uniques'),
      len().alias('len'),
    ]);
  });

  it('for element-wise work: comparisons, arithmetic, nulls, NaN, casts, shifts, hashes, sort orders, ranks and strict replacements', () => {
    same(({ col, lit }) => [
      col('n').add(1).sub(col('c')).mul(lit(2)).div(3).alias('arith'),
      col('n').eq(1).alias('eq'),
      col('n').neq(1).alias('neq'),
      col('n').gtEq(3).and(col('n').ltEq(4)).alias('between'),
      col('n').lt(2).or(col('f').isNan()).alias('or'),
      col('n').isNull().not().alias('notnull'),
      col('f').isNotNull().alias('isnotnull'),
      col('n').fillNull(0).alias('filled'),
      col('n').cast(pl.Int32, true).alias('strict'),
      col('f').fillNull(0).alias('f0'),
      col('c').cast(pl.UInt32).add(1).fillNull(0).alias('codes'),
      col('n').shift(1).alias('shifted'),
      col('f').floor().clip(0, 1).alias('clipped'),
      col('t').eq(lit('b')).any().alias('any'),
      col('t').eq('t').alias('string is a column'),
      col('t').fillNull('x').alias('string is a literal'),
      col('t').neq(col('t').shift(1)).fillNull(true).alias('starts'),
      col('t').hash(0x5eed, 0x5a7c, 0x2f91, 0x44c3).alias('hash'),
      col('f').argSort({ descending: false, nullsLast: true }).alias('order'),
      lit(null).cast(pl.Float64).alias('null'),
      lit('x').alias('text'),
      lit(2025).cast(pl.Int64).sub(col('n')).alias('age'),
      col('t').explode().alias('exploded'),
      col('n').rank('dense').alias('dense rank'),
      col('f').rank().alias('average rank'),
      col('n').replaceStrict([3, 1, 4, 5], [1, 2, 3, 4], undefined, pl.UInt8).alias('replaced strictly'),
      col('c').replaceStrict([0, 1, 2], ['x', 'y', 'z'], 'none', pl.Utf8).alias('replaced with a default'),
    ]);
  });

  it('through the library for the methods not written here (str, rank options, replace, isIn, strategies)', () => {
    same(({ col, lit }) => [
      col('t').str.endsWith('*').alias('star'),
      col('n')
        .rank({ method: 'dense', descending: true } as never)
        .alias('rank'),
      col('t').replace(['b', 'c*'], ['B', 'C']).alias('replaced'),
      col('t').isIn(['a', 'b']).alias('in'),
      col('n').fillNull('forward').alias('forward'),
      col('c').isIn([0, 2]).alias('codes in'),
      lit([1, 2]).implode().alias('list'),
    ]);
    same(() => [pl.when(px.col('f').isNan()).then(px.lit(null)).otherwise(px.col('f')).alias('nan as null')]);
  });

  it('in lazy frames: group-by keys, aggregations, filters and sort keys', async () => {
    const run = async (x: typeof library) =>
      (
        await frame
          .lazy()
          .filter(x.col('t').isNotNull())
          .groupBy([x.col('t')])
          .agg(x.len().alias('rows'), x.col('n').sum().alias('sum'))
          .sort({ by: [x.col('rows'), x.col('t')], descending: [true, false], nullsLast: true })
          .collect()
      ).toRecords();
    const ours = await run(px);
    expect(ours).toEqual(await run(library));
    expect(ours[0]).toEqual({ t: 'b', rows: 2, sum: 7 });
    expect(pl.Expr.isExpr(px.col('n'))).toBe(true);
    expect(String(px.col('n').alias('m'))).toBe(String(pl.col('n').alias('m')));
  });
});

describe('native column reads equal getColumn', () => {
  it('values, typed arrays, nulls, distinct counts, types and value counts', () => {
    for (const name of frame.columns) {
      const s = frame.getColumn(name);
      expect(columnValues(frame, name)).toEqual(s.toArray());
      expect(nullCount(frame, name)).toBe(s.nullCount());
      expect(distinctCount(frame, name)).toBe(s.nUnique());
      expect(dtypeOf(frame, name).equals(s.dtype)).toBe(true);
      const counts = valueCounts(frame, name);
      const theirs = s.valueCounts(false, false, 'count');
      const asMap = (values: unknown[], n: unknown[]) => new Map(values.map((v, i) => [String(v), Number(n[i])]));
      expect(asMap(counts.values, counts.counts)).toEqual(asMap(theirs.getColumn(name).toArray(), theirs.getColumn('count').toArray()));
    }
    const dense = frame.select(pl.col('n').fillNull(0).cast(pl.Float64));
    expect(Array.from(typedValues(dense, 'n'))).toEqual(Array.from(dense.getColumn('n').toTypedArray()));
    expect(() => typedValues(frame, 'n')).toThrow(/nulls/);
  });
});
