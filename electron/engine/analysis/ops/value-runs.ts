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

/**
 * One row per distinct non-null value: its value and count (columns named `names`), in hash
 * order. Null when two different values share a hash. `hashOf` is for tests (a weak hash collides).
 */
export async function valueRuns(
  frame: pl.DataFrame,
  column: string,
  names: { value: string; count: string } = { value: 'value', count: 'count' },
  hashOf: (e: pl.Expr) => pl.Expr = hash64,
): Promise<pl.DataFrame | null> {
  const sorted = await frame
    .lazy()
    .select(px.col(column).alias('v'))
    .filter(px.col('v').isNotNull())
    .withColumns(hashOf(px.col('v')).alias('h'))
    .sort('h')
    .withRowIndex('i')
    .withColumns(px.col('h').neq(px.col('h').shift(1)).fillNull(true).alias('start'))
    .collect();
  const clash = sorted.select(
    px
      .col('start')
      .not()
      .and(px.col('v').neq(px.col('v').shift(1)))
      .any()
      .alias('x'),
  );
  if (columnValues(clash, 'x')[0] === true) return null;
  const rows = sorted.height;
  return sorted
    .lazy()
    .filter(px.col('start'))
    .select(
      px.col('v').alias(names.value),
      px.col('i').shift(-1).fillNull(rows).cast(pl.Int64).sub(px.col('i').cast(pl.Int64)).alias(names.count),
    )
    .collect();
}
