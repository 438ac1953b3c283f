/** Cleaning reports: nulls, sentinels, the original's null-row drop, duplicates, out-of-range values, make codes. */
import pl from 'nodejs-polars';
import { MAKE_BRANDS, SENTINELS } from '../../../../shared/analyses';
import type { ResultCell, ResultTable } from '../../../../shared/contract/analysis';
import { compareKeys, compareText } from '../result-table';
import { cellOf, codesWhere } from '../dictionary';
import { codeCounts, col, columnDim, declaredColumns, sharedGroupCounts, type OpContext } from './context';
import { clashed, hashRuns, isPlainText } from './value-runs';
import { columnValues } from './read';
import { px } from './expr';

export async function nullsOp(ctx: OpContext): Promise<ResultTable> {
  const counts = ctx.frame.nullCount().toRecords()[0]!;
  const total = ctx.frame.height;
  return {
    columns: declaredColumns(ctx),
    rows: ctx.columns.map((c) => {
      const n = Number(counts[c.identifier]);
      return [c.name, n, total ? n / total : null];
    }),
  };
}

const flagged = (value: string) => SENTINELS.includes(value) || value.endsWith('*');

export async function sentinelsOp(ctx: OpContext): Promise<ResultTable> {
  const total = ctx.frame.height;
  const text = ctx.columns.filter((c) => c.type === 'text');
  // Only the flagged values are grouped, so columns with millions of distinct values stay cheap.
  const found = await Promise.all(
    text.map(async (c) => {
      const labels = ctx.labels[c.identifier];
      // A coded column is flagged through its dictionary and counted from the run's shared code counts.
      if (labels) {
        const { counts } = codeCounts(ctx.frame, c.identifier, labels.length);
        return codesWhere(labels, flagged)
          .map((code) => ({ value: labels[code]!, count: counts[code]! }))
          .filter((f) => f.count > 0)
          .sort((a, b) => b.count - a.count || compareText(a.value, b.value));
      }
      const df = await ctx.frame
        .lazy()
        .select(px.col(c.identifier).alias('value'))
        .filter(
          px
            .col('value')
            .isIn([...SENTINELS])
            .or(px.col('value').str.endsWith('*')),
        )
        .groupBy(px.col('value'))
        .agg(px.len().alias('n'))
        .collect();
      const values = (columnValues(df, 'value') as unknown[]).map((x) => cellOf(x, 'text', labels) as string);
      const counts = columnValues(df, 'n') as number[];
      return values
        .map((value, i) => ({ value, count: Number(counts[i]) }))
        .sort((a, b) => b.count - a.count || compareText(a.value, b.value));
    }),
  );
  const rows: ResultCell[][] = [];
  text.forEach((c, i) => {
    for (const f of found[i]!)
      rows.push([c.name, f.value, SENTINELS.includes(f.value) ? 'sentinel' : 'footnote', f.count, total ? f.count / total : null]);
  });
  return {
    columns: declaredColumns(ctx),
    rows,
  };
}

export async function nullDropOp(ctx: OpContext): Promise<ResultTable> {
  const op = ctx.spec.op;
  if (op.kind !== 'null-drop') throw new Error('not a null drop');
  const keep = op.columns.map((n) => px.col(col(ctx, n).identifier).isNotNull()).reduce((a, b) => a.and(b));
  const after = Number(columnValues(await ctx.frame.lazy().filter(keep).select(px.len().alias('n')).collect(), 'n')[0]);
  const before = ctx.frame.height;
  return {
    columns: declaredColumns(ctx),
    rows: [[before, after, before - after]],
  };
}

export async function duplicatesOp(ctx: OpContext): Promise<ResultTable> {
  const frame = ctx.frame.select(...ctx.columns.map((c) => c.identifier));
  const distinct = await distinctRows(frame);
  return {
    columns: declaredColumns(ctx),
    rows: [[frame.height, distinct, frame.height - distinct]],
  };
}

/**
 * Exact count of distinct rows. Rows whose 64-bit row hash is unique are distinct for sure, so
 * only the few rows sharing a hash (true duplicates, or rare collisions) go through the exact
 * comparison of every column. Shared hashes are found by sorting the hashes (neighbours equal),
 * which is much cheaper than a hash table of millions of mostly unique hashes.
 */
async function distinctRows(frame: pl.DataFrame): Promise<number> {
  if (!frame.height) return 0;
  const hashes = frame.hashRows().alias('__h');
  const withHash = frame.withColumns(hashes);
  const shared = await pl
    .DataFrame([hashes])
    .lazy()
    .sort('__h')
    .filter(px.col('__h').eq(px.col('__h').shift(1)))
    .unique()
    .collect();
  if (!shared.height) return frame.height;
  const candidates = withHash.join(shared, { on: '__h', how: 'semi' }).drop('__h');
  const exact = await candidates.lazy().unique().select(px.len().alias('n')).collect();
  return frame.height - candidates.height + Number(columnValues(exact, 'n')[0]);
}

export async function duplicateValuesOp(ctx: OpContext): Promise<ResultTable> {
  const op = ctx.spec.op;
  if (op.kind !== 'duplicate-values') throw new Error('not a duplicate-values');
  const c = col(ctx, op.column);
  const statsOf = (counts: pl.LazyDataFrame) =>
    counts.select(
      px.col('n').sum().alias('withValue'),
      px.len().alias('distinct'),
      px.col('n').gt(1).sum().alias('duplicated'),
      px.col('n').filter(px.col('n').gt(1)).sum().alias('rowsDuplicated'),
    );
  let stats: pl.DataFrame | null = null;
  if (isPlainText(ctx.frame, c.identifier)) {
    const { runs, clash } = hashRuns(ctx.frame, c.identifier);
    stats = await statsOf(runs).join(clash, { how: 'cross' }).collect();
    // Two values shared a hash: counted again by a plain group-by.
    if (clashed(stats)) stats = null;
  }
  stats ??= await statsOf(
    ctx.frame.lazy().select(px.col(c.identifier).alias('v')).filter(px.col('v').isNotNull()).groupBy(px.col('v')).agg(px.len().alias('n')),
  ).collect();
  const [withValue, distinct, duplicated, rowsDuplicated] = stats
    .rows()[0]!
    .slice(0, 4)
    .map((x) => Number(x ?? 0)) as [number, number, number, number];
  return {
    columns: declaredColumns(ctx),
    rows: [[withValue, distinct, duplicated, rowsDuplicated, withValue - distinct]],
  };
}

export async function outOfRangeOp(ctx: OpContext): Promise<ResultTable> {
  const op = ctx.spec.op;
  if (op.kind !== 'out-of-range') throw new Error('not an out-of-range');
  const limitOf = (limit: number | string) => (typeof limit === 'number' ? limit : Number(ctx.params[limit]));
  const exprs = op.rules.map((r, i) => {
    const v = px.col(col(ctx, r.column).identifier).cast(pl.Float64);
    const limit = limitOf(r.limit);
    const test =
      r.test === 'below'
        ? v.lt(px.lit(limit))
        : r.test === 'above'
          ? v.gt(px.lit(limit))
          : v.gt(px.col(col(ctx, r.otherColumn!).identifier).cast(pl.Float64).add(px.lit(limit)));
    return test.fillNull(false).cast(pl.Int64).sum().alias(`r${i}`);
  });
  const row = (
    await ctx.frame
      .lazy()
      .select(...exprs)
      .collect()
  ).rows()[0]!;
  const total = ctx.frame.height;
  return {
    columns: declaredColumns(ctx),
    rows: op.rules.map((r, i) => [r.id, r.column, limitOf(r.limit), Number(row[i]), total ? Number(row[i]) / total : null]),
  };
}

export async function makeMergeOp(ctx: OpContext): Promise<ResultTable> {
  const op = ctx.spec.op;
  if (op.kind !== 'make-merge') throw new Error('not a make-merge');
  const c = col(ctx, op.column);
  const groups = await sharedGroupCounts(ctx, 'raw', [columnDim(c, 'value', ctx.frames.labels.raw[c.identifier])], `c:${c.name}`);
  const rows = groups
    .filter((g) => typeof g.keys[0] === 'string' && Object.hasOwn(MAKE_BRANDS, g.keys[0]))
    .map((g) => [MAKE_BRANDS[g.keys[0] as string]!, g.keys[0] as string, g.count] as [string, string, number])
    .sort((a, b) => compareText(a[0], b[0]) || b[2] - a[2] || compareKeys(a[1], b[1]));
  return {
    columns: declaredColumns(ctx),
    rows,
  };
}
