/**
 * The first rows of a view computed on a version's columnar snapshot, with exactly the meaning
 * `view-sql.ts` gives the view in a C-locale database: the positions (file order) of its first
 * `want` rows, ordered by the sort keys (ascending nulls last, descending nulls first) then by
 * position, which is ctid order for a table filled in file order.
 *
 * Only what can be evaluated exactly is: sort keys of text (byte order: coded text by its codes,
 * whose dictionaries are sorted by UTF-8 bytes; plain text by Polars' byte-order rank), whole
 * numbers (safe integers), dates and booleans; filters as view-sql renders them, with `contains`
 * only on coded text, where `lower()` of a C locale (ASCII letters only) runs on the dictionary
 * labels here. Anything else (floats, numerics, timestamps, `contains` on plain text or numbers,
 * dates compared with text PostgreSQL would parse) answers a reason, and PostgreSQL serves it.
 *
 * Each row also carries its sort and filter values as PostgreSQL returns them, so the rows read
 * by ctid can be checked against what the snapshot says they are.
 */
import pl from 'nodejs-polars';
import type { ColumnFilter } from '../../../shared/contract/dataset';
import type { DatasetColumn } from '../../../shared/types';
import { codeOf, codesWhere, type CodedFrame, type Labels } from '../analysis/dictionary';
import { typedValues } from '../analysis/ops/read';
import { firstRows } from './top-select';
import type { Cell } from './values';
import { typedValue, type ViewSql } from './view-sql';

export interface NotExact {
  reason: string;
}

export interface SnapshotRows {
  /** Row positions (0-based, file order) of the view's first rows, in the view's order. */
  positions: number[];
  /** Fewer than asked: these are all the view's rows. */
  complete: boolean;
  /** Identifiers of the view's sort and filter columns, and each row's values of them as PostgreSQL returns them. */
  checkColumns: string[];
  cells: Cell[][];
  /** The last row's sort key values, as PostgreSQL returns them (null when not known as such). */
  lastKeys: Cell[] | null;
}

const SORTABLE = new Set(['text', 'integer', 'bigint', 'date', 'boolean']);
const POSITION = '\u0000position';
const keyName = (i: number) => `\u0000key${i}`;

export const isWhole = (c: DatasetColumn) => c.type === 'integer' || c.type === 'bigint';
/** A string PostgreSQL would not receive as is (UTF-8 has no lone surrogates). */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** `lower()` under LC_CTYPE C: ASCII letters only. */
export const asciiLower = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

function columnOf(sql: ViewSql, identifier: string): DatasetColumn {
  return sql.columns.find((c) => c.identifier === identifier)!;
}

/** The columns a view reads from the snapshot (sort keys, then filtered columns), or why it cannot. */
export function viewColumns(sql: ViewSql): string[] | NotExact {
  for (const key of sql.sort) {
    const type = columnOf(sql, key.column).type;
    if (!SORTABLE.has(type)) return { reason: `sort on a ${type} column` };
  }
  return [...new Set([...sql.sort.map((k) => k.column), ...sql.filters.map((f) => f.column)])];
}

/** A filter as a Polars condition with view-sql's meaning, or why it has none here. */
function filterExpr(filter: ColumnFilter, column: DatasetColumn, labels: Labels | undefined): pl.Expr | NotExact {
  const col = pl.col(column.identifier);
  const typeOk = column.type === 'text' || isWhole(column) || column.type === 'boolean';
  switch (filter.op) {
    case 'isNull':
      return col.isNull();
    case 'notNull':
      return col.isNotNull();
    case 'contains': {
      if (!labels) return { reason: `contains on a ${column.type === 'text' ? 'plain text' : column.type} column` };
      if (LONE_SURROGATE.test(filter.value)) return { reason: 'contains with a malformed string' };
      const needle = asciiLower(filter.value);
      return inCodes(
        col,
        codesWhere(labels, (l) => asciiLower(l).includes(needle)),
      );
    }
    case 'equals':
    case 'oneOf': {
      if (!typeOk) return { reason: `${filter.op} on a ${column.type} column` };
      const given = filter.op === 'equals' ? [filter.value] : filter.values;
      const values = given.map((v) => typedValue(column, v)).filter((v): v is string => v !== undefined);
      if (labels)
        return inCodes(
          col,
          values.map((v) => codeOf(labels, v)).filter((c) => c >= 0),
        );
      if (column.type === 'text') return values.length ? col.isIn(values) : pl.lit(false);
      if (column.type === 'boolean')
        return values.length ? values.map((v) => col.eq(pl.lit(v === 'true'))).reduce((a, b) => a.or(b)) : pl.lit(false);
      return values.length ? col.cast(pl.Float64).isIn(values.map(Number)) : pl.lit(false);
    }
    case 'range': {
      if (!isWhole(column)) return { reason: `range on a ${column.type} column` };
      const min = filter.min === null ? null : Math.ceil(filter.min);
      const max = filter.max === null ? null : Math.floor(filter.max);
      // Bounds PostgreSQL's int8 would refuse (or round) are its to judge.
      if ((min !== null && !Number.isSafeInteger(min)) || (max !== null && !Number.isSafeInteger(max)))
        return { reason: 'range bounds beyond safe integers' };
      const parts: pl.Expr[] = [];
      if (min !== null) parts.push(col.cast(pl.Float64).gtEq(pl.lit(min)));
      if (max !== null) parts.push(col.cast(pl.Float64).ltEq(pl.lit(max)));
      return parts.length ? parts.reduce((a, b) => a.and(b)) : pl.lit(true);
    }
  }
}

function inCodes(col: pl.Expr, codes: number[]): pl.Expr {
  if (codes.length === 1) return col.eq(pl.lit(codes[0]!));
  return codes.length ? col.cast(pl.Float64).isIn(codes) : pl.lit(false);
}

/** A sort key as numbers in the result's ascending order; nulls last ascending, first descending. */
function keyExpr(column: DatasetColumn, coded: boolean, descending: boolean): pl.Expr {
  const col = pl.col(column.identifier);
  const base =
    column.type === 'text' && !coded
      ? col.rank('dense') // byte order of Rust strings: PostgreSQL's C collation
      : column.type === 'date'
        ? col.cast(pl.Int32)
        : column.type === 'boolean'
          ? col.cast(pl.UInt8)
          : col;
  const numeric = base.cast(pl.Float64);
  return descending ? numeric.mul(pl.lit(-1)).fillNull(pl.lit(-Infinity)) : numeric.fillNull(pl.lit(Infinity));
}

/** A column's values at these positions, as PostgreSQL's rows give them (jsonSafeTypes). */
export function cellsAt(coded: CodedFrame, column: DatasetColumn, positions: number[]): Cell[] {
  const picked = coded.frame.getColumn(column.identifier).gather(positions);
  const labels = coded.dictionaries[column.identifier];
  const values = (column.type === 'date' ? picked.cast(pl.Utf8) : picked).toArray() as unknown[];
  return values.map((v) => {
    if (v === null || v === undefined) return null;
    if (labels) return labels[Number(v)] ?? null;
    if (typeof v === 'bigint') return Number(v);
    return v as Cell;
  });
}

/** The view's first `want` rows from the snapshot's columns (`viewColumns`), or why not exactly. */
export function snapshotRows(coded: CodedFrame, sql: ViewSql, want: number): SnapshotRows | NotExact {
  const { frame, dictionaries } = coded;
  const conditions: pl.Expr[] = [];
  for (const f of sql.filters) {
    const condition = filterExpr(f, columnOf(sql, f.column), dictionaries[f.column]);
    if ('reason' in condition) return condition;
    conditions.push(condition);
  }
  for (const key of sql.sort) {
    const column = columnOf(sql, key.column);
    if (column.type !== 'bigint') continue;
    // Keys are compared as doubles: exact only within ±2^53.
    const extreme = frame.select(pl.col(key.column).cast(pl.Float64).abs().max().alias('m')).getColumn('m').toArray()[0];
    if (typeof extreme === 'number' && extreme > Number.MAX_SAFE_INTEGER) return { reason: 'bigint sort key beyond safe integers' };
  }
  let lazy = frame.lazy().withRowIndex(POSITION);
  if (conditions.length) lazy = lazy.filter(conditions.reduce((a, b) => a.and(b)));
  let positions: number[];
  if (!sql.sort.length) {
    const out = lazy.select(pl.col(POSITION)).head(want).collectSync();
    positions = Array.from(typedValues(out, POSITION));
  } else {
    const keys = sql.sort.map((k, i) =>
      keyExpr(columnOf(sql, k.column), k.column in dictionaries, k.direction === 'desc').alias(keyName(i)),
    );
    const out = lazy.select(pl.col(POSITION), ...keys).collectSync();
    positions = firstRows(
      sql.sort.map((_, i) => typedValues(out, keyName(i))),
      typedValues(out, POSITION),
      want,
    );
  }
  const checkColumns = [...new Set([...sql.sort.map((k) => k.column), ...sql.filters.map((f) => f.column)])].filter((c) =>
    SORTABLE.has(columnOf(sql, c).type),
  );
  const byColumn = checkColumns.map((c) => cellsAt(coded, columnOf(sql, c), positions));
  const cells = positions.map((_, r) => byColumn.map((values) => values[r]!));
  // Sort keys are all checked columns, and first.
  const lastKeys = cells.length ? cells[cells.length - 1]!.slice(0, sql.sort.length) : null;
  return { positions, complete: positions.length < want, checkColumns, cells, lastKeys };
}
