/**
 * Counts of a near-unique text column (a VIN) without a hash table of strings. Rows are ordered
 * by a 64-bit hash of their value, so equal values sit next to each other and each count is the
 * length of a run. Grouping millions of distinct strings costs several times more than sorting
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

/** Whether a frame column is plain text (String), where `valueRuns` pays off. */
export function isPlainText(frame: pl.DataFrame, column: string): boolean {
  return dtypeOf(frame, column).equals(pl.String);
}

/** The column of `valueRunsLazy`'s result that is true on every row when two values share a hash. */
export const CLASH = '__clash';

/**
 * One row per distinct non-null value: its value and count (columns named `names`), in hash
 * order, and `__clash` (see CLASH). A plan, not a frame: the caller adds its own reduction (a top
 * N, a few sums) and collects once, so the sorted copy of the column lives only inside that
 * collect. Kept as a frame in JavaScript, it held hundreds of megabytes at 10 M rows until the
 * garbage collector happened to run (nodejs-polars frames do not tell V8 their native size).
 * When the result says `__clash`, the caller counts with a plain group-by instead.
 */
export function valueRunsLazy(
  frame: pl.DataFrame,
  column: string,
  names: { value: string; count: string } = { value: 'value', count: 'count' },
  hashOf: (e: pl.Expr) => pl.Expr = hash64,
): pl.LazyDataFrame {
  return frame
    .lazy()
    .select(px.col(column).alias('v'))
    .filter(px.col('v').isNotNull())
    .withColumns(hashOf(px.col('v')).alias('h'))
    .sort('h')
    .withRowIndex('i')
    .withColumns(px.col('h').neq(px.col('h').shift(1)).fillNull(true).alias('start'), px.len().cast(pl.Int64).alias('rows'))
    .withColumns(
      px
        .col('start')
        .not()
        .and(px.col('v').neq(px.col('v').shift(1)))
        .any()
        .alias(CLASH),
    )
    .filter(px.col('start'))
    .select(
      px.col('v').alias(names.value),
      px.col('i').shift(-1).cast(pl.Int64).fillNull(px.col('rows')).sub(px.col('i').cast(pl.Int64)).alias(names.count),
      px.col(CLASH),
    );
}

/** Whether a collected result of `valueRunsLazy` (or of a reduction keeping its CLASH column) met a collision. */
export function clashed(result: pl.DataFrame): boolean {
  return result.height > 0 && columnValues(result, CLASH)[0] === true;
}

/** `valueRunsLazy` collected: null when two different values share a hash. `hashOf` is for tests (a weak hash collides). */
export async function valueRuns(
  frame: pl.DataFrame,
  column: string,
  names: { value: string; count: string } = { value: 'value', count: 'count' },
  hashOf: (e: pl.Expr) => pl.Expr = hash64,
): Promise<pl.DataFrame | null> {
  const runs = await valueRunsLazy(frame, column, names, hashOf).collect();
  return clashed(runs) ? null : runs.drop(CLASH);
}
