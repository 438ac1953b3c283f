/** Descriptive group counts, trends by crash year, value counts and the group-by builder. */
import pl from 'nodejs-polars';
import type { GroupByFilter } from '../../../../shared/analyses';
import type { ResultCell, ResultTable } from '../../../../shared/contract/analysis';
import type { DatasetColumn } from '../../../../shared/types';
import { compareKeyLists, compareKeys, groupCountTable, orderGroups, resultType, toCell, topWithOther, type Group } from '../result-table';
import { codeOf, lowerBound, type Labels } from '../dictionary';
import {
  col,
  columnDim,
  dimension,
  dimKey,
  dimTypes,
  keyCell,
  orderedGroups,
  sharedGroupCounts,
  type Dim,
  type OpContext,
} from './context';
import { columnValues } from './read';
import { px } from './expr';

export async function groupCountOp(ctx: OpContext): Promise<ResultTable> {
  const op = ctx.spec.op;
  if (op.kind !== 'group-count') throw new Error('not a group count');
  const dims = op.dimensions.map((d) => dimension(ctx, d));
  const { groups, more } = await orderedGroups(ctx.frame, dims, op.order, Number(ctx.params.topN ?? 0));
  return groupCountTable(
    dims.map((d) => d.name),
    dimTypes(dims),
    groups,
    ctx.frame.height,
    more,
  );
}

export async function valueCountsOp(ctx: OpContext): Promise<ResultTable> {
  const c = col(ctx, String(ctx.params.column));
  const dims = [columnDim(c, 'value', ctx.labels[c.identifier])];
  const { groups, more } = await orderedGroups(ctx.frame, dims, 'count', Number(ctx.params.topN ?? 0));
  return groupCountTable(['value'], dimTypes(dims), groups, ctx.frame.height, more);
}

export async function trendOp(ctx: OpContext): Promise<ResultTable> {
  const op = ctx.spec.op;
  if (op.kind !== 'trend') throw new Error('not a trend');
  const by = dimension(ctx, { column: op.by });
  const dim = dimension(ctx, op.dimension);
  const topN = Number(ctx.params.topN ?? 0);
  const stage = ctx.spec.stage as 'cleaned';
  const [overall, pairs] = await Promise.all([
    sharedGroupCounts(ctx, stage, [dim], dimKey(op.dimension)),
    sharedGroupCounts(ctx, stage, [by, dim], `c:${op.by}|${dimKey(op.dimension)}`),
  ]);
  const ranked = orderGroups(
    overall.map((g) => ({ ...g })),
    op.order === 'key' ? 'key' : 'count',
  );
  const { top } = topWithOther(ranked, topN);
  const rank = new Map<ResultCell, number>();
  top.forEach((g, i) => rank.set(g.keys[0]!, i));
  const isTop = (v: ResultCell) => topN <= 0 || rank.has(v);
  // year → rows (top categories) and the year's other bucket.
  const byYear = new Map<ResultCell, { total: number; rows: Group[]; other: number }>();
  for (const g of pairs) {
    const year = g.keys[0]!;
    let y = byYear.get(year);
    if (!y) byYear.set(year, (y = { total: 0, rows: [], other: 0 }));
    y.total += g.count;
    if (isTop(g.keys[1]!)) y.rows.push(g);
    else y.other += g.count;
  }
  const years = [...byYear.keys()].sort(compareKeys);
  const rows: ResultCell[][] = [];
  for (const year of years) {
    const y = byYear.get(year)!;
    const ordered =
      op.order === 'key'
        ? y.rows.sort((a, b) => compareKeys(a.keys[1]!, b.keys[1]!))
        : y.rows.sort((a, b) => rank.get(a.keys[1]!)! - rank.get(b.keys[1]!)!);
    for (const g of ordered) rows.push([year, g.keys[1]!, g.count, g.count / y.total, false]);
    if (y.other > 0) rows.push([year, null, y.other, y.other / y.total, true]);
  }
  return {
    columns: [
      { name: by.name, type: resultType(by.type) },
      { name: dim.name, type: resultType(dim.type) },
      { name: 'count', type: 'integer' },
      { name: 'share', type: 'float' },
      { name: 'other', type: 'boolean' },
    ],
    rows,
  };
}

/** The filter of the group-by builder as a Polars predicate (SQL semantics: nulls never match). */
export function filterExpr(filter: GroupByFilter, column: DatasetColumn, labels?: Labels): pl.Expr {
  const c = px.col(column.identifier);
  // Compared with null, no row matches, in every engine (a null in an `in` list matches nothing).
  if (filter.op !== 'isNull' && filter.op !== 'notNull' && filter.op !== 'in' && (filter.value ?? null) === null) return px.lit(false);
  if (filter.op === 'in') filter = { ...filter, values: (filter.values ?? []).filter((v) => v !== null && v !== undefined) };
  if (labels) return codedFilterExpr(filter, c, labels);
  const numeric = resultType(column.type) === 'integer' || resultType(column.type) === 'float';
  const value = (v: unknown) => (numeric ? Number(v) : column.type === 'boolean' ? v === true || v === 'true' : String(v));
  const target = column.type === 'text' ? c.cast(pl.Utf8) : c;
  switch (filter.op) {
    case 'isNull':
      return c.isNull();
    case 'notNull':
      return c.isNotNull();
    case 'in':
      return target.isIn((filter.values ?? []).map(value));
    case 'eq':
      return target.eq(px.lit(value(filter.value)));
    case 'ne':
      return target.neq(px.lit(value(filter.value)));
    case 'gt':
      return target.gt(px.lit(value(filter.value)));
    case 'ge':
      return target.gtEq(px.lit(value(filter.value)));
    case 'lt':
      return target.lt(px.lit(value(filter.value)));
    case 'le':
      return target.ltEq(px.lit(value(filter.value)));
  }
}

/**
 * The same predicate on a coded column: values become codes, and since code order is text order
 * a comparison becomes a code bound. A value the dictionary lacks matches nothing (`eq`, `in`) or
 * every non-null (`ne`).
 */
function codedFilterExpr(filter: GroupByFilter, c: pl.Expr, labels: Labels): pl.Expr {
  const nothing = px.lit(false);
  const code = () => codeOf(labels, String(filter.value));
  // First code whose text is ≥ the value, and whether that text is the value itself.
  const bound = () => {
    const i = lowerBound(labels, String(filter.value));
    return { i, equal: labels[i] === String(filter.value) };
  };
  switch (filter.op) {
    case 'isNull':
      return c.isNull();
    case 'notNull':
      return c.isNotNull();
    case 'in': {
      const codes = (filter.values ?? []).map((v) => codeOf(labels, String(v))).filter((x) => x >= 0);
      return codes.length ? c.isIn(codes) : nothing;
    }
    case 'eq':
      return code() >= 0 ? c.eq(px.lit(code())) : nothing;
    case 'ne':
      return code() >= 0 ? c.neq(px.lit(code())) : c.isNotNull();
    case 'gt': {
      const { i, equal } = bound();
      return c.gtEq(px.lit(equal ? i + 1 : i));
    }
    case 'ge':
      return c.gtEq(px.lit(bound().i));
    case 'lt':
      return c.lt(px.lit(bound().i));
    case 'le': {
      const { i, equal } = bound();
      return c.lt(px.lit(equal ? i + 1 : i));
    }
  }
}

function aggregateExpr(aggregate: string, measure: string | null): pl.Expr {
  if (aggregate === 'count') return measure ? px.col(measure).count() : px.len();
  const m = px.col(measure!);
  const any = m.count().gt(0);
  const value = (() => {
    switch (aggregate) {
      case 'sum':
        return m.sum();
      case 'mean':
        return m.mean();
      case 'min':
        return m.min();
      case 'max':
        return m.max();
      default:
        return m.cast(pl.Float64).median();
    }
  })();
  // An aggregate over no values is null (Polars' sum would say 0).
  return pl.when(any).then(value.cast(pl.Float64)).otherwise(px.lit(null).cast(pl.Float64));
}

function keyEquals(dim: Dim, key: ResultCell): pl.Expr {
  const c = px.col(dim.name);
  if (key === null) return c.isNull();
  if (dim.labels) return c.eq(px.lit(codeOf(dim.labels, String(key)))).fillNull(false);
  const text = dim.type === 'text' || dim.type === 'date';
  return (text ? c.cast(pl.Utf8) : c).eq(px.lit(key)).fillNull(false);
}

export async function groupByOp(ctx: OpContext): Promise<ResultTable> {
  const dims = (ctx.params.dimensions as string[]).map((name) => dimension(ctx, { column: name }));
  const aggregate = String(ctx.params.aggregate);
  const measure = ctx.params.measure ? col(ctx, String(ctx.params.measure)).identifier : null;
  const filter = ctx.params.filter as GroupByFilter | null;
  const topN = Number(ctx.params.topN ?? 0);
  let lf = ctx.frame.lazy();
  if (filter) {
    const fc = col(ctx, filter.column);
    lf = lf.filter(filterExpr(filter, fc, ctx.labels[fc.identifier]));
  }
  const withDims = lf.withColumns(...dims.map((d) => d.expr));
  const names = dims.map((d) => d.name);
  const grouped = await withDims
    .groupBy(names.map((n) => px.col(n)))
    .agg(aggregateExpr(aggregate, measure).cast(pl.Float64).alias('__value'), px.len().alias('__rows'))
    .collect();
  const keyCols = names.map((n) => columnValues(grouped, n));
  const values = columnValues(grouped, '__value') as Array<number | null>;
  const counts = columnValues(grouped, '__rows') as number[];
  type G = { keys: ResultCell[]; value: number | null; rows: number; index: number };
  const groups: G[] = [];
  for (let i = 0; i < grouped.height; i++) {
    groups.push({
      keys: keyCols.map((k, j) => keyCell(k[i], dims[j]!)),
      value: toCell(values[i]) as number | null,
      rows: Number(counts[i]),
      index: i,
    });
  }
  groups.sort((a, b) => {
    if (a.value !== b.value) {
      if (a.value === null) return 1;
      if (b.value === null) return -1;
      if (b.value !== a.value) return b.value - a.value;
    }
    return compareKeyLists(a.keys, b.keys);
  });
  const rows: ResultCell[][] = [];
  const shown = topN > 0 && groups.length > topN ? groups.slice(0, topN) : groups;
  for (const g of shown) rows.push([...g.keys, g.value, g.rows, false]);
  if (shown.length < groups.length) {
    // The other bucket is aggregated again over its rows (a median does not combine).
    const inTop = shown.map((g) => g.keys.map((k, j) => keyEquals(dims[j]!, k)).reduce((a, b) => a.and(b))).reduce((a, b) => a.or(b));
    const o = await withDims
      .filter(inTop.not())
      .select(aggregateExpr(aggregate, measure).cast(pl.Float64).alias('__value'), px.len().alias('__rows'))
      .collect();
    rows.push([...names.map(() => null), toCell(columnValues(o, '__value')[0]), Number(columnValues(o, '__rows')[0]), true]);
  }
  return {
    columns: [
      ...dims.map((d) => ({ name: d.name, type: resultType(d.type) })),
      { name: 'value', type: 'float' },
      { name: 'rows', type: 'integer' },
      { name: 'other', type: 'boolean' },
    ],
    rows,
  };
}
