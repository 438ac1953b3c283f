/** Pearson and Spearman matrices, Cramér's V, and the histogram. */
import pl from 'nodejs-polars';
import type { ResultCell, ResultTable } from '../../../../shared/contract/analysis';
import { col, declaredColumns, type OpContext } from './context';
import { codeVectors, cramersVOf, numericCodes, pearsonSums, spearmanSums, type NumericCodes } from './vectors';
import { columnValues } from './read';
import { px } from './expr';

/**
 * Every ordered pair (a, b), diagonal included, over the rows where both are non-null (and not
 * NaN). Spearman ranks (ties averaged) within those rows; a pair with fewer than two rows or no
 * variance is null. Each column is coded once per run and stage (see ./vectors), shared by the
 * matrices that read it; every pair is then a linear pass or two.
 */
export async function correlationMatrix(ctx: OpContext, names: string[], method: 'pearson' | 'spearman'): Promise<ResultTable> {
  const ids = names.map((n) => col(ctx, n).identifier);
  // Per column, so the matrices of a run share a column's codes; the columns not coded yet are
  // coded together (the memo calls `compute` at once, so they are all listed before the batch runs).
  const missing: string[] = [];
  let batch: Promise<NumericCodes[]> | undefined;
  const codes = await Promise.all(
    ids.map((id) =>
      ctx.memo(`numeric-codes:${ctx.spec.stage}:${id}`, () => {
        missing.push(id);
        batch ??= Promise.resolve().then(() => numericCodes(ctx.frame, missing));
        return batch.then((all) => all[missing.indexOf(id)]!);
      }),
    ),
  );
  const value = new Map<string, { value: number | null; n: number }>();
  for (let i = 0; i < ids.length; i++)
    for (let j = i; j < ids.length; j++) {
      const s = method === 'pearson' ? pearsonSums(codes[i]!, codes[j]!) : spearmanSums(codes[i]!, codes[j]!);
      value.set(`${i}:${j}`, { value: s.n >= 2 && s.sxx > 0 && s.syy > 0 ? s.sxy / Math.sqrt(s.sxx * s.syy) : null, n: s.n });
    }
  const rows: ResultCell[][] = [];
  names.forEach((a, i) =>
    names.forEach((b, j) => {
      const r = value.get(i <= j ? `${i}:${j}` : `${j}:${i}`)!;
      rows.push([a, b, r.value, r.n]);
    }),
  );
  return { columns: declaredColumns(ctx), rows };
}

/** A value correlations and histograms use: not null and not NaN (the rule of every engine). */
const present = (id: string) => px.col(id).isNotNull().and(px.col(id).cast(pl.Float64).isNan().not());

export async function correlationOp(ctx: OpContext): Promise<ResultTable> {
  const op = ctx.spec.op;
  if (op.kind === 'correlation') return correlationMatrix(ctx, op.columns, op.method);
  return correlationMatrix(ctx, ctx.params.columns as string[], ctx.params.method as 'pearson' | 'spearman');
}

/** Cramér's V for every ordered pair over rows where both are non-null (see ./vectors); each column is coded once. */
export async function cramersVOp(ctx: OpContext): Promise<ResultTable> {
  const op = ctx.spec.op;
  if (op.kind !== 'cramers-v') throw new Error('not a cramers-v');
  const codes = codeVectors(
    ctx.frame,
    op.columns.map((n) => col(ctx, n).identifier),
    ctx.labels,
  );
  const pairs = new Map<string, { value: number | null; n: number }>();
  const rows: ResultCell[][] = [];
  op.columns.forEach((a, i) =>
    op.columns.forEach((b, j) => {
      const key = i <= j ? `${i}:${j}` : `${j}:${i}`;
      let r = pairs.get(key);
      if (!r) pairs.set(key, (r = cramersVOf(codes[Math.min(i, j)]!, codes[Math.max(i, j)]!)));
      rows.push([a, b, r.value, r.n]);
    }),
  );
  return { columns: declaredColumns(ctx), rows };
}

/** Equal-width bins between the column's min and max; the max falls in the last bin. */
export async function histogramOp(ctx: OpContext): Promise<ResultTable> {
  const c = col(ctx, String(ctx.params.column));
  const bins = Number(ctx.params.bins ?? 20);
  const v = px.col(c.identifier).cast(pl.Float64);
  const lf = ctx.frame.lazy().select(v.alias('v')).filter(present('v'));
  const mm = (await lf.select(px.col('v').min().alias('lo'), px.col('v').max().alias('hi'), px.len().alias('n')).collect()).rows()[0]!;
  const [lo, hi, n] = [mm[0] as number | null, mm[1] as number | null, Number(mm[2])];
  const columns = declaredColumns(ctx);
  if (!n || lo === null || hi === null) return { columns, rows: [] };
  if (lo === hi) return { columns, rows: [[0, lo, hi, n]] };
  const counts = await lf
    .select(
      px
        .col('v')
        .sub(px.lit(lo))
        .mul(px.lit(bins).cast(pl.Float64))
        .div(px.lit(hi - lo))
        .floor()
        .cast(pl.Int64)
        .clip(0, bins - 1)
        .alias('bin'),
    )
    .groupBy(px.col('bin'))
    .agg(px.len().alias('count'))
    .collect();
  const byBin = new Map<number, number>();
  const bv = columnValues(counts, 'bin') as number[];
  const cv = columnValues(counts, 'count') as number[];
  bv.forEach((b, i) => byBin.set(Number(b), Number(cv[i])));
  const width = hi - lo;
  const rows: ResultCell[][] = [];
  for (let i = 0; i < bins; i++)
    rows.push([i, lo + (width * i) / bins, i === bins - 1 ? hi : lo + (width * (i + 1)) / bins, byBin.get(i) ?? 0]);
  return { columns, rows };
}
