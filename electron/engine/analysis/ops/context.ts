/** What every analysis function receives, and the shared group-count primitive. */
import pl from 'nodejs-polars';
import type { AnalysisSpec, Dimension, ResolvedParams } from '../../../../shared/analyses';
import { CRASH, dimensionName } from '../../../../shared/analyses';
import type { ResultCellType, ResultTable } from '../../../../shared/contract/analysis';
import type { ColumnType, DatasetColumn } from '../../../../shared/types';
import { columnByName } from '../columns';
import type { StageFrames } from '../prepare';
import { resultType, toCell, type Group } from '../result-table';

export interface OpContext {
  spec: AnalysisSpec;
  params: ResolvedParams;
  /** Every catalog column of the dataset, in order. */
  columns: DatasetColumn[];
  /** The frame of the analysis' stage. */
  frame: pl.DataFrame;
  frames: StageFrames;
  /** Shared work of the run, computed once (keyed by what it is). */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

export type OpFn = (ctx: OpContext) => Promise<ResultTable>;

export function col(ctx: OpContext, name: string): DatasetColumn {
  return columnByName(ctx.columns, name);
}

/** A dimension as a Polars expression, its result name and type. */
export function dimension(ctx: OpContext, d: Dimension): { expr: pl.Expr; name: string; type: ColumnType } {
  const name = dimensionName(d);
  if ('column' in d) {
    const c = col(ctx, d.column);
    return { expr: pl.col(c.identifier).alias(name), name, type: c.type };
  }
  const vy = pl.col(col(ctx, CRASH.vehicleYear).identifier).cast(pl.Int64);
  const expr = d.derived === 'vehicle-age' ? pl.col(col(ctx, CRASH.year).identifier).cast(pl.Int64).sub(vy) : pl.lit(2025).cast(pl.Int64).sub(vy);
  return { expr: expr.alias(name), name, type: 'bigint' };
}

export interface Dim {
  expr: pl.Expr;
  name: string;
  type: ColumnType;
}

export function dimTypes(dims: Dim[]): ResultCellType[] {
  return dims.map((d) => resultType(d.type));
}

/** Row counts per combination of dimensions on a frame (nulls form their own group). */
export async function groupCounts(frame: pl.DataFrame, dims: Dim[]): Promise<Group[]> {
  const df = await frame
    .lazy()
    .groupBy(dims.map((d) => d.expr))
    .agg(pl.len().alias('__count'))
    .collect();
  const keys = dims.map((d) => df.getColumn(d.name).toArray());
  const counts = df.getColumn('__count').toArray() as number[];
  const out: Group[] = new Array(df.height);
  for (let i = 0; i < df.height; i++) out[i] = { keys: keys.map((k, j) => toCell(k[i], dims[j]!.type)), count: Number(counts[i]) };
  return out;
}

/** Group counts shared by every analysis of the run that groups the same stage by the same dims. */
export function sharedGroupCounts(ctx: OpContext, stage: 'raw' | 'prepared' | 'cleaned', dims: Dim[], key: string): Promise<Group[]> {
  return ctx.memo(`groups:${stage}:${key}`, () => groupCounts(ctx.frames[stage], dims));
}

/**
 * Group counts ordered in Polars (count desc then keys ascending, or keys only; text by UTF-8
 * bytes, nulls last) and cut to the first `topN` (0 = all): only the kept groups reach
 * JavaScript, so a column with millions of distinct values stays cheap. `more` says whether
 * groups were left out (their rows form the "other" bucket).
 */
export async function orderedGroups(
  frame: pl.DataFrame,
  dims: Dim[],
  order: 'count' | 'key',
  topN: number,
  options: { dropNullKeys?: boolean } = {},
): Promise<{ groups: Group[]; more: boolean; groupCount: number }> {
  const names = dims.map((d) => d.name);
  let lf = frame.lazy().select(...dims.map((d) => d.expr));
  if (options.dropNullKeys) lf = lf.filter(names.map((n) => pl.col(n).isNotNull()).reduce((a, b) => a.and(b)));
  let g = lf.groupBy(names).agg(pl.len().alias('__count')).withColumns(pl.len().alias('__groups'));
  if (order === 'count' && topN > 0) {
    // Only groups that can make the top N are decoded and sorted (a VIN column has millions).
    // `head(n).last()`, not `.min()`: this Polars simplifies sort → head → min into a plain min.
    g = g.filter(pl.col('__count').gtEq(pl.col('__count').sort({ descending: true }).head(topN).last()));
  }
  g = g.withColumns(...dims.filter((d) => d.type === 'text').map((d) => pl.col(d.name).cast(pl.Utf8)));
  const by = order === 'count' ? ['__count', ...names] : names;
  g = g.sort({ by, descending: by.map((b) => b === '__count'), nullsLast: true });
  if (topN > 0) g = g.head(topN + 1);
  const df = await g.collect();
  const groupCount = df.height ? Number(df.getColumn('__groups').get(0)) : 0;
  const keys = names.map((n) => df.getColumn(n).toArray());
  const counts = df.getColumn('__count').toArray() as number[];
  const n = topN > 0 ? Math.min(df.height, topN) : df.height;
  const groups: Group[] = new Array(n);
  for (let i = 0; i < n; i++) groups[i] = { keys: keys.map((k, j) => toCell(k[i], dims[j]!.type)), count: Number(counts[i]) };
  return { groups, more: groupCount > n, groupCount };
}

export function dimKey(d: Dimension): string {
  return 'column' in d ? `c:${d.column}` : `d:${d.derived}`;
}
