/**
 * A sorted view's first rows by PostgreSQL's own top-N, told where the first rows end. The
 * snapshot knows the sort keys of the view's `want`-th row (T); `keys ≤ T` in the view's order
 * lets the scan drop nearly every row before the sort, which was most of a top-N's time over
 * millions of rows. The answer is still PostgreSQL's alone, and checks itself: when `want` rows
 * pass `keys ≤ T`, the view's first `want` rows all do (they are the smallest), so the bounded
 * query returns exactly the unbounded one's rows; fewer means the bound was wrong (the snapshot
 * differs from the table, another collation), and the caller runs the unbounded query.
 *
 * Rows equal to T can be many (the 308,688 null years that come first in a descending sort at
 * 3.3 M rows), and sorting them all by ctid was the slow part of such a view. So the bound also
 * cuts the rows equal to T at a block B estimated from the position of the `want`-th row (with a
 * margin): `(keys, ctid) < (T, (B,0))` is still a prefix of the view's order, so the same
 * self-check holds.
 */
import { PG_TYPES, type DatasetColumn } from '../../../shared/types';
import { quoteIdent } from '../db/sql';
import type { Cell } from './values';
import type { Binder, SortKey } from './view-sql';

/** SQL text of a key value, as PostgreSQL reads it back with the column's cast. */
function text(value: Exclude<Cell, null>): string {
  return typeof value === 'string' ? value : String(value);
}

/**
 * `keys ≤ at` in the order of `sort` (ascending nulls last, descending nulls first), the values
 * bound through `bind`; `at` holds the threshold row's value of each sort key.
 */
export function atOrBefore(sort: SortKey[], columns: DatasetColumn[], at: Cell[], bind: Binder, beforeBlock: number | null = null): string {
  const terms = sort.map((key, i) => {
    const column = columns.find((c) => c.identifier === key.column)!;
    const col = quoteIdent(key.column);
    const v = at[i] ?? null;
    const typed = () => `${bind(text(v!))}::${PG_TYPES[column.type]}`;
    const before =
      key.direction === 'asc'
        ? v === null
          ? `${col} IS NOT NULL`
          : `${col} < ${typed()}`
        : v === null
          ? 'FALSE'
          : `(${col} IS NULL OR ${col} > ${typed()})`;
    const equal = v === null ? `${col} IS NULL` : `${col} = ${typed()}`;
    return { before, equal };
  });
  // k1 before T1, or k1 = T1 and (k2 before T2, or … (kn before Tn or kn = Tn)).
  const last = terms[terms.length - 1]!;
  const cut = beforeBlock === null ? '' : ` AND ctid < ${bind(`(${beforeBlock},0)`)}::tid`;
  let condition = `(${last.before} OR (${last.equal}${cut}))`;
  for (let i = terms.length - 2; i >= 0; i--) condition = `(${terms[i]!.before} OR (${terms[i]!.equal} AND ${condition}))`;
  return condition;
}
