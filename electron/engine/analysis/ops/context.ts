/** What every analysis function receives, and the shared group-count primitive. */
import pl from 'nodejs-polars';
import type { AnalysisSpec, Dimension, ResolvedParams } from '../../../../shared/analyses';
import { CRASH, dimensionName } from '../../../../shared/analyses';
import type { ResultCell, ResultCellType, ResultTable } from '../../../../shared/contract/analysis';
import type { ColumnType, DatasetColumn } from '../../../../shared/types';
import { columnByName } from '../columns';
import { cellOf, type Dictionaries, type Labels } from '../dictionary';
import type { StageFrames } from '../prepare';
import { resultType, type Group } from '../result-table';
import { clashed, isPlainText, topRunsLazy } from './value-runs';
import { columnValues, nullCount, valueCounts } from './read';
import { px } from './expr';

export interface OpContext {
  spec: AnalysisSpec;
  params: ResolvedParams;
  /** Every catalog column of the dataset, in order. */
  columns: DatasetColumn[];
  /** The frame of the analysis' stage. */
  frame: pl.DataFrame;
  /** Dictionaries of that frame's coded text columns. */
  labels: Dictionaries;
  frames: StageFrames;
  /** Shared work of the run, computed once (keyed by what it is). */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

export type OpFn = (ctx: OpContext) => Promise<ResultTable>;

/**
 * The result columns the catalog declares for this analysis. Ops with a fixed shape return these,
 * so the catalog (read by the UI, the CLI and the Spark job) is the one place they are written.
 */
export function declaredColumns(ctx: OpContext): ResultTable['columns'] {
  const declared = ctx.spec.resultColumns;
  if (declared === 'dataset-columns' || declared.some((c) => c.type === 'source' || c.name.includes('{'))) {
    throw new Error(`${ctx.spec.id} has no fixed result columns in the catalog`);
  }
  // A copy: results travel and are cached; the catalog's own objects must stay untouched.
  return (declared as ResultTable['columns']).map((c) => ({ ...c }));
}

export function col(ctx: OpContext, name: string): DatasetColumn {
  return columnByName(ctx.columns, name);
}

/** A dimension as a Polars expression, its result name and type. */
export function dimension(ctx: OpContext, d: Dimension): Dim {
  const name = dimensionName(d);
  if ('column' in d) {
    const c = col(ctx, d.column);
    return columnDim(c, name, ctx.labels[c.identifier]);
  }
  const vy = px.col(col(ctx, CRASH.vehicleYear).identifier).cast(pl.Int64);
  const expr =
    d.derived === 'vehicle-age' ? px.col(col(ctx, CRASH.year).identifier).cast(pl.Int64).sub(vy) : px.lit(2025).cast(pl.Int64).sub(vy);
  return { expr: expr.alias(name), name, type: 'bigint' };
}

export interface Dim {
  expr: pl.Expr;
  name: string;
  type: ColumnType;
  /** The frame column, when the dimension is a plain column. */
  source?: string;
  /** The dictionary, when the column holds codes. */
  labels?: Labels;
}

/** A plain column as a dimension named `name` (`labels` when it holds codes). */
export function columnDim(c: DatasetColumn, name: string, labels?: Labels): Dim {
  const dim: Dim = { expr: px.col(c.identifier).alias(name), name, type: c.type, source: c.identifier };
  if (labels) dim.labels = labels;
  return dim;
}

/** A dimension's value as read back from Polars, as a result cell (codes decoded). */
export function keyCell(value: unknown, dim: Dim): ResultCell {
  return cellOf(value, dim.type, dim.labels);
}

export function dimTypes(dims: Dim[]): ResultCellType[] {
  return dims.map((d) => resultType(d.type));
}

/** Row counts per combination of dimensions on a frame (nulls form their own group). */
export async function groupCounts(frame: pl.DataFrame, dims: Dim[]): Promise<Group[]> {
  if (dims.length === 1 && dims[0]!.labels && dims[0]!.source) return codedGroups(frame, dims[0]!, 'key', 0, false).groups;
  const df = await frame
    .lazy()
    .groupBy(dims.map((d) => d.expr))
    .agg(px.len().alias('__count'))
    .collect();
  const keys = dims.map((d) => columnValues(df, d.name));
  const counts = columnValues(df, '__count') as number[];
  const out: Group[] = new Array(df.height);
  for (let i = 0; i < df.height; i++) out[i] = { keys: keys.map((k, j) => keyCell(k[i], dims[j]!)), count: Number(counts[i]) };
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
 * groups were left out (their rows form the "other" bucket). `noRuns`: never through hash runs
 * (the retry after a hash collision).
 */
export async function orderedGroups(
  frame: pl.DataFrame,
  dims: Dim[],
  order: 'count' | 'key',
  topN: number,
  options: { dropNullKeys?: boolean; noRuns?: boolean } = {},
): Promise<{ groups: Group[]; more: boolean; groupCount: number }> {
  const coded = dims.length === 1 && dims[0]!.labels && dims[0]!.source ? dims[0]! : null;
  if (coded) return codedGroups(frame, coded, order, topN, options.dropNullKeys ?? false);
  const names = dims.map((d) => d.name);
  const runs = order === 'count' && topN > 0 && !options.noRuns ? plainTextRuns(frame, dims, topN, options.dropNullKeys ?? false) : null;
  // Hash runs give only the groups that can make the top N, with the group count.
  let g: pl.LazyDataFrame;
  if (runs) g = runs;
  else {
    let lf = frame.lazy().select(...dims.map((d) => d.expr));
    if (options.dropNullKeys) lf = lf.filter(names.map((n) => px.col(n).isNotNull()).reduce((a, b) => a.and(b)));
    g = lf
      .groupBy(names.map((n) => px.col(n)))
      .agg(px.len().alias('__count'))
      .withColumns(px.len().alias('__groups'));
    if (order === 'count' && topN > 0) {
      // Only groups that can make the top N are decoded and sorted (a VIN column has millions).
      // `head(n).last()`, not `.min()`: this Polars simplifies sort → head → min into a plain min.
      g = g.filter(px.col('__count').gtEq(px.col('__count').sort({ descending: true }).head(topN).last()));
    }
  }
  // Codes sort as their text does (sorted dictionaries); other text is compared as strings.
  g = g.withColumns(...dims.filter((d) => d.type === 'text' && !d.labels).map((d) => px.col(d.name).cast(pl.Utf8)));
  const by = order === 'count' ? ['__count', ...names] : names;
  g = g.sort({ by: by.map((n) => px.col(n)), descending: by.map((b) => b === '__count'), nullsLast: true });
  if (topN > 0) g = g.head(topN + 1);
  const df = await g.collect();
  // Two values shared a hash: counted again by a plain group-by.
  if (runs && clashed(df)) return orderedGroups(frame, dims, order, topN, { ...options, noRuns: true });
  const groupCount = df.height ? Number(columnValues(df, '__groups')[0]) : 0;
  const keys = names.map((n) => columnValues(df, n));
  const counts = columnValues(df, '__count') as number[];
  const n = topN > 0 ? Math.min(df.height, topN) : df.height;
  const groups: Group[] = new Array(n);
  for (let i = 0; i < n; i++) groups[i] = { keys: keys.map((k, j) => keyCell(k[i], dims[j]!)), count: Number(counts[i]) };
  return { groups, more: groupCount > n, groupCount };
}

/** Row counts of each code of a coded frame column (index = code) and of its nulls. */
export interface CodeCounts {
  counts: Float64Array;
  nulls: number;
}

/** Per frame and column, so the analyses of a run that count the same coded column share one pass. */
const codeCountCache = new WeakMap<pl.DataFrame, Map<string, CodeCounts>>();

export function codeCounts(frame: pl.DataFrame, column: string, levels: number): CodeCounts {
  let byColumn = codeCountCache.get(frame);
  if (!byColumn) codeCountCache.set(frame, (byColumn = new Map()));
  let cached = byColumn.get(column);
  if (!cached) {
    const counts = new Float64Array(levels);
    let nulls = 0;
    const { values, counts: n } = valueCounts(frame, column);
    for (let i = 0; i < values.length; i++) {
      const code = values[i];
      if (code === null || code === undefined) nulls = Number(n[i]);
      else counts[Number(code)] = Number(n[i]);
    }
    byColumn.set(column, (cached = { counts, nulls }));
  }
  return cached;
}

/**
 * `orderedGroups` of one coded column: its counts per code come from one shared value count, and
 * the ordering happens here (a dictionary has at most 65,536 codes, and code order is text order).
 */
function codedGroups(
  frame: pl.DataFrame,
  dim: Dim,
  order: 'count' | 'key',
  topN: number,
  dropNullKeys: boolean,
): { groups: Group[]; more: boolean; groupCount: number } {
  const { counts, nulls } = codeCounts(frame, dim.source!, dim.labels!.length);
  const entries: Array<{ code: number | null; count: number }> = [];
  for (let code = 0; code < counts.length; code++) if (counts[code]! > 0) entries.push({ code, count: counts[code]! });
  if (nulls > 0 && !dropNullKeys) entries.push({ code: null, count: nulls });
  // Codes ascending with the null group last is key order; count order sorts on top of it (stable).
  if (order === 'count') entries.sort((a, b) => b.count - a.count);
  const n = topN > 0 ? Math.min(entries.length, topN) : entries.length;
  const groups: Group[] = entries.slice(0, n).map((e) => ({ keys: [keyCell(e.code, dim)], count: e.count }));
  return { groups, more: entries.length > n, groupCount: entries.length };
}

/** The top-N candidates of one near-unique text column from sorted hash runs (see ./value-runs), nulls as a group unless dropped. */
function plainTextRuns(frame: pl.DataFrame, dims: Dim[], topN: number, dropNullKeys: boolean): pl.LazyDataFrame | null {
  const source = dims.length === 1 ? dims[0]!.source : undefined;
  if (!source || !isPlainText(frame, source)) return null;
  const names = { value: dims[0]!.name, count: '__count', groups: '__groups' };
  return topRunsLazy(frame, source, names, topN, dropNullKeys ? 0 : nullCount(frame, source));
}

export function dimKey(d: Dimension): string {
  return 'column' in d ? `c:${d.column}` : `d:${d.derived}`;
}
