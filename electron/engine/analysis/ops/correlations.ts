/** Pearson and Spearman matrices, Cramér's V, and the histogram. */
import pl from 'nodejs-polars';
import type { ResultCell, ResultTable } from '../../../../shared/contract/analysis';
import { col, declaredColumns, type OpContext } from './context';

/**
 * Every ordered pair (a, b), diagonal included, over the rows where both are non-null. Spearman
 * ranks (ties averaged) within those rows; a pair with fewer than two rows or no variance is null.
 */
export async function correlationMatrix(ctx: OpContext, names: string[], method: 'pearson' | 'spearman'): Promise<ResultTable> {
  const ids = names.map((n) => col(ctx, n).identifier);
  // Every unordered pair (diagonal included) in one select, so Polars computes them together.
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < ids.length; i++) for (let j = i; j < ids.length; j++) pairs.push([i, j]);
  const exprs = pairs.flatMap(([i, j], k) => pairExprs(ids[i]!, ids[j]!, method, k));
  const row = exprs.length
    ? ((
        await ctx.frame
          .lazy()
          .select(...exprs)
          .collect()
      ).toRecords()[0] as Record<string, unknown>)
    : {};
  const value = new Map<string, { value: number | null; n: number }>();
  pairs.forEach(([i, j], k) => {
    const [n, sxy, sxx, syy] = ['n', 'sxy', 'sxx', 'syy'].map((f) => Number(row[`${k}:${f}`] ?? 0)) as [number, number, number, number];
    const v = n >= 2 && sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
    value.set(`${i}:${j}`, { value: v, n });
  });
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
const present = (id: string) => pl.col(id).isNotNull().and(pl.col(id).cast(pl.Float64).isNan().not());

/** Centred sums over the rows where both columns are set (two passes: stable for years). */
function pairExprs(a: string, b: string, method: 'pearson' | 'spearman', k: number): pl.Expr[] {
  const mask = present(a).and(present(b));
  const prep = (id: string) => {
    const v = pl.col(id).cast(pl.Float64).filter(mask);
    return method === 'spearman' ? v.rank('average').cast(pl.Float64) : v;
  };
  const x = prep(a);
  const y = prep(b);
  const dx = x.sub(x.mean());
  const dy = y.sub(y.mean());
  return [
    mask.cast(pl.Int64).sum().alias(`${k}:n`),
    dx.mul(dy).sum().alias(`${k}:sxy`),
    dx.pow(2).sum().alias(`${k}:sxx`),
    dy.pow(2).sum().alias(`${k}:syy`),
  ];
}

export async function correlationOp(ctx: OpContext): Promise<ResultTable> {
  const op = ctx.spec.op;
  if (op.kind === 'correlation') return correlationMatrix(ctx, op.columns, op.method);
  return correlationMatrix(ctx, ctx.params.columns as string[], ctx.params.method as 'pearson' | 'spearman');
}

/**
 * Cramér's V for every ordered pair over rows where both are non-null:
 * V = sqrt(χ² / (n · (min(r, c) − 1))) with χ² = n · (Σ n_ij² / (n_i· n_·j) − 1); null when min(r, c) < 2.
 */
export async function cramersVOp(ctx: OpContext): Promise<ResultTable> {
  const op = ctx.spec.op;
  if (op.kind !== 'cramers-v') throw new Error('not a cramers-v');
  const ids = op.columns.map((n) => col(ctx, n).identifier);
  const lf = ctx.frame.lazy();
  const pairs = new Map<string, Promise<{ value: number | null; n: number }>>();
  const get = (i: number, j: number) => {
    const key = i <= j ? `${i}:${j}` : `${j}:${i}`;
    if (!pairs.has(key)) pairs.set(key, cramersV(lf, ids[Math.min(i, j)]!, ids[Math.max(i, j)]!));
    return pairs.get(key)!;
  };
  const jobs: Array<Promise<{ value: number | null; n: number }>> = [];
  for (let i = 0; i < ids.length; i++) for (let j = 0; j < ids.length; j++) jobs.push(get(i, j));
  const results = await Promise.all(jobs);
  const rows: ResultCell[][] = [];
  let k = 0;
  for (const a of op.columns) for (const b of op.columns) rows.push([a, b, results[k]!.value, results[k++]!.n]);
  return { columns: declaredColumns(ctx), rows };
}

async function cramersV(lf: pl.LazyDataFrame, a: string, b: string): Promise<{ value: number | null; n: number }> {
  const both = a === b ? lf.select(pl.col(a).alias('a'), pl.col(a).alias('b')) : lf.select(pl.col(a).alias('a'), pl.col(b).alias('b'));
  const cells = await both
    .filter(pl.col('a').isNotNull().and(pl.col('b').isNotNull()))
    .groupBy(['a', 'b'])
    .agg(pl.len().alias('n'))
    .collect();
  const av = cells.getColumn('a').toArray() as unknown[];
  const bv = cells.getColumn('b').toArray() as unknown[];
  const nv = (cells.getColumn('n').toArray() as number[]).map(Number);
  const rowSum = new Map<unknown, number>();
  const colSum = new Map<unknown, number>();
  let n = 0;
  for (let i = 0; i < nv.length; i++) {
    rowSum.set(av[i], (rowSum.get(av[i]) ?? 0) + nv[i]!);
    colSum.set(bv[i], (colSum.get(bv[i]) ?? 0) + nv[i]!);
    n += nv[i]!;
  }
  const k = Math.min(rowSum.size, colSum.size);
  if (n === 0 || k < 2) return { value: null, n };
  let s = 0;
  for (let i = 0; i < nv.length; i++) s += (nv[i]! * nv[i]!) / (rowSum.get(av[i])! * colSum.get(bv[i])!);
  const chi2 = n * (s - 1);
  return { value: Math.sqrt(Math.max(0, chi2) / (n * (k - 1))), n };
}

/** Equal-width bins between the column's min and max; the max falls in the last bin. */
export async function histogramOp(ctx: OpContext): Promise<ResultTable> {
  const c = col(ctx, String(ctx.params.column));
  const bins = Number(ctx.params.bins ?? 20);
  const v = pl.col(c.identifier).cast(pl.Float64);
  const lf = ctx.frame.lazy().select(v.alias('v')).filter(present('v'));
  const mm = (await lf.select(pl.col('v').min().alias('lo'), pl.col('v').max().alias('hi'), pl.len().alias('n')).collect()).rows()[0]!;
  const [lo, hi, n] = [mm[0] as number | null, mm[1] as number | null, Number(mm[2])];
  const columns = declaredColumns(ctx);
  if (!n || lo === null || hi === null) return { columns, rows: [] };
  if (lo === hi) return { columns, rows: [[0, lo, hi, n]] };
  const counts = await lf
    .select(
      pl
        .col('v')
        .sub(pl.lit(lo))
        .mul(pl.lit(bins).cast(pl.Float64))
        .div(pl.lit(hi - lo))
        .floor()
        .cast(pl.Int64)
        .clip(0, bins - 1)
        .alias('bin'),
    )
    .groupBy('bin')
    .agg(pl.len().alias('count'))
    .collect();
  const byBin = new Map<number, number>();
  const bv = counts.getColumn('bin').toArray() as number[];
  const cv = counts.getColumn('count').toArray() as number[];
  bv.forEach((b, i) => byBin.set(Number(b), Number(cv[i])));
  const width = hi - lo;
  const rows: ResultCell[][] = [];
  for (let i = 0; i < bins; i++)
    rows.push([i, lo + (width * i) / bins, i === bins - 1 ? hi : lo + (width * (i + 1)) / bins, byBin.get(i) ?? 0]);
  return { columns, rows };
}
