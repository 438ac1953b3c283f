/** Exploration (counts, schema, first rows, describe) and the generic column profile. */
import pl from 'nodejs-polars';
import type { ResultCell, ResultTable } from '../../../../shared/contract/analysis';
import type { DatasetColumn } from '../../../../shared/types';
import { isNumeric } from '../columns';
import { resultType, toCell, type Group } from '../result-table';
import { cellOf, type Dictionaries } from '../dictionary';
import { columnDim, declaredColumns, orderedGroups, type OpContext } from './context';
import { px } from './expr';

export async function countsOp(ctx: OpContext): Promise<ResultTable> {
  return {
    columns: declaredColumns(ctx),
    rows: [[ctx.frame.height, ctx.columns.length]],
  };
}

export async function schemaOp(ctx: OpContext): Promise<ResultTable> {
  return {
    columns: declaredColumns(ctx),
    rows: ctx.columns.map((c, i) => [i + 1, c.name, c.type]),
  };
}

export async function headOp(ctx: OpContext): Promise<ResultTable> {
  const n = Number(ctx.params.n ?? 5);
  const head = ctx.frame.head(n).toRecords();
  return {
    columns: ctx.columns.map((c) => ({ name: c.name, type: resultType(c.type) })),
    rows: head.map((r) => ctx.columns.map((c) => cellOf(r[c.identifier], c.type, ctx.labels[c.identifier]))),
  };
}

/** Most frequent non-null values of a column (count desc, then value ascending), computed in Polars. */
function topValues(ctx: OpContext, c: DatasetColumn, k: number): Promise<{ groups: Group[]; groupCount: number }> {
  return ctx.memo(`top:${ctx.spec.stage}:${c.name}:${k}`, async () => {
    const dims = [columnDim(c, 'value', ctx.labels[c.identifier])];
    return orderedGroups(ctx.frame, dims, 'count', k, { dropNullKeys: true });
  });
}

interface ColumnStats {
  count: number;
  nulls: number;
  distinct: number;
  mean: number | null;
  std: number | null;
  min: ResultCell;
  max: ResultCell;
  quantiles: Array<number | null>;
}

/** One pass over the frame for every column's statistics (numbers get moments and quantiles). */
async function columnStats(
  frame: pl.DataFrame,
  cols: DatasetColumn[],
  quantiles: number[],
  labels: Dictionaries,
  options: { distinctFor?: (c: DatasetColumn) => boolean; otherMinMax?: boolean } = {},
): Promise<ColumnStats[]> {
  const distinctFor = options.distinctFor ?? (() => true);
  if (!cols.length) return [];
  // One multi-column expression per statistic (`stat:column`), not one per column and statistic:
  // each expression object costs about as much as scanning thousands of rows.
  const ids = (pick: (c: DatasetColumn) => boolean) => cols.filter(pick).map((c) => c.identifier);
  const all = ids(() => true);
  const numeric = ids(isNumeric);
  const distinct = ids(distinctFor);
  const minMax = options.otherMinMax ? all : numeric;
  const exprs: pl.Expr[] = [px.cols(all).count().prefix('count:'), px.cols(all).nullCount().prefix('nulls:')];
  if (distinct.length) exprs.push(px.cols(distinct).dropNulls().nUnique().prefix('distinct:'));
  if (numeric.length) {
    const f = px.cols(numeric).cast(pl.Float64);
    exprs.push(f.mean().prefix('mean:'), f.std().prefix('std:'), ...quantiles.map((q, j) => f.quantile(q, 'linear').prefix(`q${j}:`)));
  }
  // Codes order as their text (sorted dictionaries): the extreme codes decode to the extreme values.
  if (minMax.length) exprs.push(px.cols(minMax).min().prefix('min:'), px.cols(minMax).max().prefix('max:'));
  const record = (
    await frame
      .lazy()
      .select(...exprs)
      .collect()
  ).toRecords()[0] as Record<string, unknown>;
  return cols.map((c) => {
    const stat = (name: string) => record[`${name}:${c.identifier}`];
    const count = Number(stat('count'));
    const numeric = isNumeric(c);
    const cell = (v: unknown) => cellOf(v, c.type, labels[c.identifier]);
    return {
      count,
      nulls: Number(stat('nulls')),
      distinct: Number(stat('distinct') ?? 0),
      mean: numeric && count ? (toCell(stat('mean')) as number | null) : null,
      std: numeric && count > 1 ? (toCell(stat('std')) as number | null) : null,
      min: cell(stat('min')),
      max: cell(stat('max')),
      quantiles: quantiles.map((_, j) => (numeric && count ? (toCell(stat(`q${j}`)) as number | null) : null)),
    };
  });
}

/** From this many rows, `inTurn` runs its two parts one after the other. */
const IN_TURN_ROWS = 1_000_000;

/**
 * Both parts of describe or profile: at once on a small frame (they finish sooner), one after the
 * other on a large one, where the quantile sorts and a near-unique column's top values each hold
 * hundreds of megabytes while they run (at 10 M rows, together they made the run's peak).
 */
async function inTurn<A, B>(frame: pl.DataFrame, a: () => Promise<A>, b: () => Promise<B>): Promise<[A, B]> {
  if (frame.height < IN_TURN_ROWS) return Promise.all([a(), b()]);
  const first = await a();
  return [first, await b()];
}

export async function describeOp(ctx: OpContext): Promise<ResultTable> {
  const text = ctx.columns.filter((c) => c.type === 'text');
  // Text columns get their distinct count from the group-by that finds their top value.
  const [stats, tops] = await inTurn(
    ctx.frame,
    () => columnStats(ctx.frame, ctx.columns, [0.25, 0.5, 0.75], ctx.labels, { distinctFor: (c) => c.type !== 'text' }),
    () => Promise.all(text.map((c) => topValues(ctx, c, 1))),
  );
  const rows: ResultCell[][] = ctx.columns.map((c, i) => {
    const s = stats[i]!;
    if (isNumeric(c))
      return [
        c.name,
        c.type,
        s.count,
        s.nulls,
        s.mean,
        s.std,
        s.min,
        s.quantiles[0]!,
        s.quantiles[1]!,
        s.quantiles[2]!,
        s.max,
        s.distinct,
        null,
        null,
      ];
    const t = c.type === 'text' ? tops[text.indexOf(c)]! : undefined;
    const top = t?.groups[0];
    return [
      c.name,
      c.type,
      s.count,
      s.nulls,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      t ? t.groupCount : s.distinct,
      top ? top.keys[0]! : null,
      top ? top.count : null,
    ];
  });
  return {
    columns: declaredColumns(ctx),
    rows,
  };
}

/** Text of a min/max/top value: numbers as JavaScript prints them, the rest as cells print. */
export function valueText(v: ResultCell): string | null {
  return v === null ? null : String(v);
}

export async function profileOp(ctx: OpContext): Promise<ResultTable> {
  const k = Number(ctx.params.topValues ?? 3);
  // As in describe: text columns' distinct counts come with their top values (a near-unique
  // column's distinct count from its own hash table took seconds and hundreds of megabytes).
  const [stats, tops] = await inTurn(
    ctx.frame,
    () =>
      columnStats(ctx.frame, ctx.columns, [0.05, 0.25, 0.5, 0.75, 0.95], ctx.labels, {
        otherMinMax: true,
        distinctFor: (c) => c.type !== 'text',
      }),
    () => Promise.all(ctx.columns.map((c) => topValues(ctx, c, k))),
  );
  const rowsTotal = ctx.frame.height;
  const rows: ResultCell[][] = ctx.columns.map((c, i) => {
    const s = stats[i]!;
    const list = tops[i]!.groups.map((x) => `${valueText(x.keys[0]!)} (${x.count})`).join('; ');
    return [
      c.name,
      c.type,
      rowsTotal,
      s.nulls,
      rowsTotal ? s.nulls / rowsTotal : null,
      c.type === 'text' ? tops[i]!.groupCount : s.distinct,
      valueText(s.min),
      valueText(s.max),
      s.mean,
      s.std,
      ...s.quantiles,
      list || null,
    ];
  });
  return {
    columns: declaredColumns(ctx),
    rows,
  };
}
