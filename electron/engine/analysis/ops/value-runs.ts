/**
 * Counts of a near-unique text column (a VIN) without a hash table of strings. Each value is
 * hashed (64 bits) and the hashes sorted, so each distinct value's count is the length of a run
 * of equal hashes. Grouping millions of distinct strings costs several times more than sorting
 * their hashes. Two different values with the same hash (a collision) would share a run: that is
 * detected, and the caller falls back to the plain group-by, so every count stays exact.
 *
 * Only worth it for columns left as strings (near-unique); coded text (../dictionary) groups faster.
 */
import pl from 'nodejs-polars';
import { columnValues, dtypeOf } from './read';
import { px } from './expr';

/** Fixed seeds: the order of runs is the same from one run to the next. */
const SEEDS = [0x5eed, 0x5a7c, 0x2f91, 0x44c3] as const;
const hash64 = (e: pl.Expr): pl.Expr => e.hash(...SEEDS);

/** Whether a frame column is plain text (String), where hash runs pay off. */
export function isPlainText(frame: pl.DataFrame, column: string): boolean {
  return dtypeOf(frame, column).equals(pl.String);
}

/** The column that is true on every row of a result when two different values share a hash. */
export const CLASH = '__clash';

/** Whether a collected result carrying CLASH met a collision (the caller then counts with a plain group-by). */
export function clashed(result: pl.DataFrame): boolean {
  return result.height > 0 && columnValues(result, CLASH)[0] === true;
}

/**
 * Plans over one column's non-null values: `rows` (value `v`, hash `h`), `runs` (one row per
 * distinct hash `h` with its count `n`) and `clash` (one row: CLASH). Only hashes are sorted:
 * sorting the strings with them held about 600 MB at 10 M rows, the hashes alone take 8 bytes a
 * row. A collision can only hide under a hash seen more than once, so only those rows' strings
 * are compared. Plans, not frames: the caller adds its reduction and collects once, so nothing of
 * the column's size outlives that collect (nodejs-polars frames do not tell V8 their native size,
 * and one held in JavaScript stayed until a full collection happened to run).
 */
export function hashRuns(
  frame: pl.DataFrame,
  column: string,
  hashOf: (e: pl.Expr) => pl.Expr = hash64,
): { rows: pl.LazyDataFrame; runs: pl.LazyDataFrame; clash: pl.LazyDataFrame } {
  const rows = frame
    .lazy()
    .select(px.col(column).alias('v'))
    .filter(px.col('v').isNotNull())
    .withColumns(hashOf(px.col('v')).cast(pl.UInt64).alias('h'))
    .cache();
  const runs = rows
    .select(px.col('h'))
    .sort('h')
    .withRowIndex('i')
    .withColumns(px.col('h').neq(px.col('h').shift(1)).fillNull(true).alias('start'), px.len().cast(pl.Int64).alias('rows'))
    .filter(px.col('start'))
    .select(px.col('h'), px.col('i').shift(-1).cast(pl.Int64).fillNull(px.col('rows')).sub(px.col('i').cast(pl.Int64)).alias('n'))
    .cache();
  const clash = rows
    .join(runs.filter(px.col('n').gt(1)).select(px.col('h')), { on: 'h', how: 'semi' })
    .groupBy(px.col('h'))
    .agg(px.col('v').nUnique().alias('k'))
    .select(px.col('k').gt(1).any().alias(CLASH));
  return { rows, runs, clash };
}

/**
 * The groups of a near-unique text column that can make its top N by count: one row per value
 * whose count is at least the N-th largest (ties kept), with its count, the number of groups in
 * all (`groups`) and CLASH. The strings are read back only for the hashes kept. `nulls` > 0 adds
 * the null group. `hashOf` is for tests (a weak hash collides).
 */
export function topRunsLazy(
  frame: pl.DataFrame,
  column: string,
  names: { value: string; count: string; groups: string },
  topN: number,
  nulls: number,
  hashOf: (e: pl.Expr) => pl.Expr = hash64,
): pl.LazyDataFrame {
  const { rows, runs, clash } = hashRuns(frame, column, hashOf);
  let groups = runs;
  if (nulls > 0) {
    const nullGroup = pl.DataFrame({ h: pl.Series('h', [null], pl.UInt64), n: pl.Series('n', [nulls], pl.Int64) });
    groups = pl.concat([runs, nullGroup.lazy()], { how: 'vertical' });
  }
  // `head(n).last()`, not `.min()`: this Polars simplifies sort → head → min into a plain min.
  const kept = groups
    .withColumns(px.len().alias(names.groups))
    .filter(px.col('n').gtEq(px.col('n').sort({ descending: true }).head(topN).last()))
    .cache();
  // One value per kept hash (the null group's stays null).
  const values = rows.join(kept.select(px.col('h')), { on: 'h', how: 'semi' }).unique({ subset: ['h'], keep: 'any' });
  return kept
    .join(values, { on: 'h', how: 'left' })
    .join(clash, { how: 'cross' })
    .select(px.col('v').alias(names.value), px.col('n').alias(names.count), px.col(names.groups), px.col(CLASH));
}
