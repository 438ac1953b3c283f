/**
 * The first rows of a view over snapshot columns held as codes (./snapshot-view states the
 * meaning; this computes the same answer). Each sort or filter column is one typed array of
 * small non-negative integers in the column's ascending order, kept between views: coded text
 * its dictionary codes (the labels are sorted by UTF-8 bytes), whole numbers, dates (days) and
 * booleans their value minus the column's minimum, plain text its byte-order rank; the largest
 * code, one past the values', stands for null. A column of 3.3 M rows is then 3.3–13 MB instead
 * of 26 MB of doubles, read from the snapshot without a per-value conversion in JavaScript, and a
 * view is a filter pass (a table lookup per row) and a counting pass per sort key
 * (./code-select). Filters on plain text other than null tests, and `equals`/`oneOf` on dates,
 * are left to the Polars path.
 */
import pl, { type DataType } from 'nodejs-polars';
import type { ColumnFilter } from '../../../shared/contract/dataset';
import type { DatasetColumn, DatasetVersionInfo } from '../../../shared/types';
import { codeOf, type CodedFrame, type Labels } from '../analysis/dictionary';
import { asciiLower, isWhole, LONE_SURROGATE, type NotExact, type SnapshotRows } from './snapshot-view';
import { firstByCodes, type CodeKey } from './code-select';
import type { Cell } from './values';
import { typedValue, type ViewSql } from './view-sql';

export type Codes = Uint8Array | Uint16Array | Uint32Array | Float64Array;

export interface CodeColumn {
  column: DatasetColumn;
  /** Per row, its code: ascending order of the column's values; `top` for null. */
  codes: Codes;
  /** The largest code, null's. */
  top: number;
  /** Whole numbers, dates (days) and booleans (0/1): the value of code c is c + offset. */
  offset: number;
  /** The dictionary of a coded text column (code c is labels[c]). */
  labels: Labels | undefined;
  /** Plain text held as ranks: its codes are not the text. */
  ranked: boolean;
}

const DAY_MS = 86_400_000;
const CODE = 'code';

/** The narrowest array type that holds codes 0…top (doubles past 32 bits: exact up to 2^53). */
function codeDtype(top: number): DataType {
  return top < 0x100 ? pl.UInt8 : top < 0x10000 ? pl.UInt16 : top < 0x100000000 ? pl.UInt32 : pl.Float64;
}

/** One column of a frame computed by `expr`, as a typed array (no null left in it). */
function codesOf(frame: pl.DataFrame, expr: pl.Expr): Codes {
  return frame.select(expr.alias(CODE)).getColumn(CODE).toTypedArray() as Codes;
}

/** A snapshot column as codes (see above); null for a type this path does not hold. */
export function codeColumn(coded: CodedFrame, column: DatasetColumn): CodeColumn | null {
  const { frame } = coded;
  const labels = coded.dictionaries[column.identifier];
  const col = pl.col(column.identifier);
  const series = frame.getColumn(column.identifier);
  const base = { column, labels, ranked: false, offset: 0 };
  if (column.type === 'text' && labels) {
    const top = labels.length;
    const dtype = codeDtype(top);
    // The frame's codes as they are when they hold no null; else null becomes `top`, widened if it must.
    if (series.nullCount() === 0 && String(series.dtype) === String(dtype)) return { ...base, codes: series.toTypedArray() as Codes, top };
    return { ...base, codes: codesOf(frame, col.cast(dtype).fillNull(pl.lit(top).cast(dtype))), top };
  }
  if (column.type === 'text') {
    // Dense ranks 1…k in byte order (Rust's string order: PostgreSQL's C collation); null → k.
    const ranks = codesOf(frame, col.rank('dense').cast(pl.UInt32).fillNull(pl.lit(0).cast(pl.UInt32)));
    let top = 0;
    for (let i = 0; i < ranks.length; i++) if (ranks[i]! > top) top = ranks[i]!;
    for (let i = 0; i < ranks.length; i++) ranks[i] = ranks[i] === 0 ? top : ranks[i]! - 1;
    return { ...base, codes: ranks, top, ranked: true };
  }
  // The values as whole numbers: dates as days, booleans as 0/1.
  let value: pl.Expr;
  let values: pl.Series;
  if (isWhole(column)) [value, values] = [col, series];
  else if (column.type === 'date') [value, values] = [col.cast(pl.Int32), series.cast(pl.Int32)];
  else if (column.type === 'boolean') [value, values] = [col.cast(pl.UInt8), series.cast(pl.UInt8)];
  else return null;
  const lo = safeNumber(values.min());
  const hi = safeNumber(values.max());
  if (lo === null || hi === null) {
    // Every value null, or extremes beyond safe integers (their codes would not be exact).
    return values.nullCount() === values.length ? { ...base, codes: new Uint8Array(frame.height), top: 0 } : null;
  }
  const top = hi - lo + 1;
  if (!Number.isSafeInteger(top)) return null;
  // value − min is between 0 and top − 1: no overflow in the column's own type unless Int32 spans more than 2^31.
  let type = [pl.Int32, pl.Int64, pl.UInt8].find((t) => String(t) === String(values.dtype)) ?? pl.Int64;
  if (type !== pl.Int64 && top > 0x7fffffff) [value, type] = [value.cast(pl.Int64), pl.Int64];
  const dtype = codeDtype(top);
  const shifted = value.sub(pl.lit(lo).cast(type)).cast(dtype);
  return { ...base, codes: codesOf(frame, shifted.fillNull(pl.lit(top).cast(dtype))), top, offset: lo };
}

/** A column's minimum or maximum as a safe integer; null for no value or one beyond ±2^53. */
function safeNumber(x: unknown): number | null {
  if (typeof x === 'bigint') return x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : null;
  return typeof x === 'number' && Number.isSafeInteger(x) ? x : null;
}

/** Which codes pass a filter: a table by code, a code range, or why it cannot be evaluated here. */
type CodeTest = { lut: Uint8Array } | { min: number; max: number } | { set: Set<number> };

/** Tables by code up to this many codes; sets or ranges past it. */
const LUT_CODES = 1 << 20;

function codesOfSet(c: CodeColumn, wanted: Iterable<number>): CodeTest {
  if (c.top < LUT_CODES) {
    const lut = new Uint8Array(c.top + 1);
    for (const code of wanted) lut[code] = 1;
    return { lut };
  }
  return { set: new Set(wanted) };
}

function filterTest(filter: ColumnFilter, c: CodeColumn): CodeTest | NotExact {
  const top = c.top;
  switch (filter.op) {
    case 'isNull':
      return { min: top, max: top };
    case 'notNull':
      return { min: 0, max: top - 1 };
    case 'contains': {
      if (!c.labels) return { reason: 'contains on a column without labels' };
      if (LONE_SURROGATE.test(filter.value)) return { reason: 'contains with a malformed string' };
      const needle = asciiLower(filter.value);
      const lut = new Uint8Array(top + 1);
      c.labels.forEach((l, code) => {
        if (asciiLower(l).includes(needle)) lut[code] = 1;
      });
      return { lut };
    }
    case 'equals':
    case 'oneOf': {
      if (c.ranked || c.column.type === 'date') return { reason: `${filter.op} on a ${c.column.type} column` };
      const given = filter.op === 'equals' ? [filter.value] : filter.values;
      const typed = given.map((x) => typedValue(c.column, x)).filter((x): x is string => x !== undefined);
      const labels = c.labels;
      const values = labels
        ? typed.map((x) => codeOf(labels, x))
        : typed.map((x) => (c.column.type === 'boolean' ? (x === 'true' ? 1 : 0) : Number(x)) - c.offset);
      // Codes of values the column holds; a value outside its range (or not in the dictionary) matches nothing.
      return codesOfSet(
        c,
        values.filter((code) => Number.isInteger(code) && code >= 0 && code < top),
      );
    }
    case 'range': {
      if (!isWhole(c.column)) return { reason: `range on a ${c.column.type} column` };
      const min = filter.min === null ? -Infinity : Math.ceil(filter.min);
      const max = filter.max === null ? Infinity : Math.floor(filter.max);
      if ((filter.min !== null && !Number.isSafeInteger(min)) || (filter.max !== null && !Number.isSafeInteger(max)))
        return { reason: 'range bounds beyond safe integers' };
      // Null's code (top) lies past every value's: the upper bound never reaches it.
      return { min: Math.max(0, min - c.offset), max: Math.min(top - 1, max - c.offset) };
    }
  }
}

/** Positions (ascending) among `rows` (null: all `n`) whose code passes `test`. */
function passing(codes: Codes, test: CodeTest, rows: Uint32Array | null, n: number): Uint32Array {
  const out = new Uint32Array(rows ? rows.length : n);
  let k = 0;
  if ('lut' in test) {
    const lut = test.lut;
    if (rows) {
      for (let i = 0; i < rows.length; i++) {
        const p = rows[i]!;
        if (lut[codes[p]!] === 1) out[k++] = p;
      }
    } else for (let p = 0; p < n; p++) if (lut[codes[p]!] === 1) out[k++] = p;
  } else if ('min' in test) {
    const { min, max } = test;
    if (rows) {
      for (let i = 0; i < rows.length; i++) {
        const p = rows[i]!;
        const x = codes[p]!;
        if (x >= min && x <= max) out[k++] = p;
      }
    } else
      for (let p = 0; p < n; p++) {
        const x = codes[p]!;
        if (x >= min && x <= max) out[k++] = p;
      }
  } else {
    const set = test.set;
    if (rows) {
      for (let i = 0; i < rows.length; i++) if (set.has(codes[rows[i]!]!)) out[k++] = rows[i]!;
    } else for (let p = 0; p < n; p++) if (set.has(codes[p]!)) out[k++] = p;
  }
  return out.subarray(0, k);
}

/** A code as PostgreSQL returns the value (jsonSafeTypes); ranked text has none. */
function cell(c: CodeColumn, code: number): Cell {
  if (code === c.top) return null;
  if (c.labels) return c.labels[code] ?? null;
  const value = code + c.offset;
  if (c.column.type === 'boolean') return value === 1;
  if (c.column.type === 'date') return new Date(value * DAY_MS).toISOString().slice(0, 10);
  return value;
}

/**
 * The view's first `want` rows over these columns (every sort and filter column of the view,
 * by identifier), or why this path cannot answer exactly.
 */
export function typedRows(
  info: Pick<DatasetVersionInfo, 'rows'>,
  columns: Map<string, CodeColumn>,
  sql: ViewSql,
  want: number,
): SnapshotRows | NotExact {
  const tests: Array<{ column: CodeColumn; test: CodeTest }> = [];
  for (const f of sql.filters) {
    const column = columns.get(f.column)!;
    const test = filterTest(f, column);
    if ('reason' in test) return test;
    tests.push({ column, test });
  }
  let rows: Uint32Array | null = null;
  for (const { column, test } of tests) rows = passing(column.codes, test, rows, info.rows);
  const keys: CodeKey[] = sql.sort.map((k) => {
    const c = columns.get(k.column)!;
    return { codes: c.codes, top: c.top, descending: k.direction === 'desc' };
  });
  const positions = firstByCodes(keys, rows, info.rows, want);
  const checked = [...new Set([...sql.sort.map((k) => k.column), ...sql.filters.map((f) => f.column)])]
    .map((id) => columns.get(id)!)
    .filter((c) => !c.ranked);
  const keyColumns = sql.sort.map((k) => columns.get(k.column)!);
  const last = positions[positions.length - 1];
  return {
    positions,
    complete: positions.length < want,
    checkColumns: checked.map((c) => c.column.identifier),
    cells: positions.map((p) => checked.map((c) => cell(c, c.codes[p]!))),
    lastKeys: last === undefined || keyColumns.some((c) => c.ranked) ? null : keyColumns.map((c) => cell(c, c.codes[last]!)),
  };
}
