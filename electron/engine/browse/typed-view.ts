/**
 * The first rows of a view over snapshot columns held as numbers (./snapshot-view states the
 * meaning; this computes the same answer). A Polars filter and projection over 3.3 M rows cost
 * 100–600 ms on the shared two-core machine, most of it allocating and copying; here each column
 * is one Float64Array kept between views (NaN for null: codes of coded text, whole numbers, dates
 * as days, booleans as 0/1, plain text as its byte-order rank), and a view is a few passes over
 * typed arrays. Filters on plain text other than null tests, and `equals`/`oneOf` on dates, are
 * left to the Polars path.
 */
import pl from 'nodejs-polars';
import type { ColumnFilter } from '../../../shared/contract/dataset';
import type { DatasetColumn, DatasetVersionInfo } from '../../../shared/types';
import { codeOf, type CodedFrame, type Labels } from '../analysis/dictionary';
import { typedValues } from '../analysis/ops/read';
import { asciiLower, isWhole, LONE_SURROGATE, type NotExact, type SnapshotRows } from './snapshot-view';
import { firstRows } from './top-select';
import type { Cell } from './values';
import { typedValue, type ViewSql } from './view-sql';

export interface NumberColumn {
  column: DatasetColumn;
  values: Float64Array;
  /** The dictionary of a coded text column. */
  labels: Labels | undefined;
  /** Plain text held as ranks: its values are not the text. */
  ranked: boolean;
}

const DAY_MS = 86_400_000;

/** A snapshot column as numbers (see above); null for a type this path does not hold. */
export function numberColumn(coded: CodedFrame, column: DatasetColumn): NumberColumn | null {
  const labels = coded.dictionaries[column.identifier];
  const col = pl.col(column.identifier);
  let expr: pl.Expr;
  if (column.type === 'text') expr = labels ? col : col.rank('dense');
  else if (isWhole(column)) expr = col;
  else if (column.type === 'date') expr = col.cast(pl.Int32);
  else if (column.type === 'boolean') expr = col.cast(pl.UInt8);
  else return null;
  const out = coded.frame.select(expr.cast(pl.Float64).fillNull(pl.lit(NaN)).alias('v'));
  const values = typedValues(out, 'v') as Float64Array;
  if (column.type === 'bigint' && values.some((v) => Math.abs(v) > Number.MAX_SAFE_INTEGER)) return null;
  return { column, values, labels, ranked: column.type === 'text' && !labels };
}

/** Indexes (ascending) of the rows among `rows` that pass the filter, or why it cannot be evaluated here. */
function applyFilter(filter: ColumnFilter, c: NumberColumn, rows: Uint32Array | null, n: number): Uint32Array | NotExact {
  const v = c.values;
  let test: (x: number) => boolean;
  switch (filter.op) {
    case 'isNull':
      test = (x) => x !== x;
      break;
    case 'notNull':
      test = (x) => x === x;
      break;
    case 'contains': {
      if (!c.labels) return { reason: 'contains on a column without labels' };
      if (LONE_SURROGATE.test(filter.value)) return { reason: 'contains with a malformed string' };
      const needle = asciiLower(filter.value);
      const lut = Uint8Array.from(c.labels, (l) => (asciiLower(l).includes(needle) ? 1 : 0));
      test = (x) => lut[x] === 1;
      break;
    }
    case 'equals':
    case 'oneOf': {
      if (c.ranked || c.column.type === 'date') return { reason: `${filter.op} on a ${c.column.type} column` };
      const given = filter.op === 'equals' ? [filter.value] : filter.values;
      const typed = given.map((x) => typedValue(c.column, x)).filter((x): x is string => x !== undefined);
      const labels = c.labels;
      const wanted = new Set(
        labels
          ? typed.map((x) => codeOf(labels, x)).filter((code) => code >= 0)
          : c.column.type === 'boolean'
            ? typed.map((x) => (x === 'true' ? 1 : 0))
            : typed.map(Number),
      );
      test = (x) => wanted.has(x);
      break;
    }
    case 'range': {
      if (!isWhole(c.column)) return { reason: `range on a ${c.column.type} column` };
      const min = filter.min === null ? -Infinity : Math.ceil(filter.min);
      const max = filter.max === null ? Infinity : Math.floor(filter.max);
      if ((filter.min !== null && !Number.isSafeInteger(min)) || (filter.max !== null && !Number.isSafeInteger(max)))
        return { reason: 'range bounds beyond safe integers' };
      test = (x) => x >= min && x <= max; // NaN (null) fails both
      break;
    }
  }
  const out = new Uint32Array(rows ? rows.length : n);
  let k = 0;
  if (rows) {
    for (let i = 0; i < rows.length; i++) if (test(v[rows[i]!]!)) out[k++] = rows[i]!;
  } else {
    for (let i = 0; i < n; i++) if (test(v[i]!)) out[k++] = i;
  }
  return out.subarray(0, k);
}

function cell(c: NumberColumn, x: number): Cell {
  if (x !== x) return null;
  if (c.labels) return c.labels[x] ?? null;
  if (c.column.type === 'boolean') return x === 1;
  if (c.column.type === 'date') return new Date(x * DAY_MS).toISOString().slice(0, 10);
  return x;
}

/**
 * The view's first `want` rows over these columns (every sort and filter column of the view,
 * by identifier), or why this path cannot answer exactly.
 */
export function typedRows(
  info: Pick<DatasetVersionInfo, 'rows'>,
  columns: Map<string, NumberColumn>,
  sql: ViewSql,
  want: number,
): SnapshotRows | NotExact {
  let rows: Uint32Array | null = null;
  for (const f of sql.filters) {
    const passed = applyFilter(f, columns.get(f.column)!, rows, info.rows);
    if ('reason' in passed) return passed;
    rows = passed;
  }
  if (!rows) {
    rows = new Uint32Array(info.rows);
    for (let i = 0; i < rows.length; i++) rows[i] = i;
  }
  let positions: number[];
  if (!sql.sort.length) positions = Array.from(rows.subarray(0, want));
  else {
    const candidates = rows;
    const keys = sql.sort.map((k) => {
      const v = columns.get(k.column)!.values;
      const key = new Float64Array(candidates.length);
      if (k.direction === 'desc')
        for (let i = 0; i < candidates.length; i++) {
          const x = v[candidates[i]!]!;
          key[i] = x === x ? -x : -Infinity; // nulls first
        }
      else
        for (let i = 0; i < candidates.length; i++) {
          const x = v[candidates[i]!]!;
          key[i] = x === x ? x : Infinity; // nulls last
        }
      return key;
    });
    positions = firstRows(keys, candidates, want);
  }
  const checked = [...new Set([...sql.sort.map((k) => k.column), ...sql.filters.map((f) => f.column)])]
    .map((id) => columns.get(id)!)
    .filter((c) => !c.ranked);
  const keyColumns = sql.sort.map((k) => columns.get(k.column)!);
  const last = positions[positions.length - 1];
  return {
    positions,
    complete: positions.length < want,
    checkColumns: checked.map((c) => c.column.identifier),
    cells: positions.map((p) => checked.map((c) => cell(c, c.values[p]!))),
    lastKeys: last === undefined || keyColumns.some((c) => c.ranked) ? null : keyColumns.map((c) => cell(c, c.values[last]!)),
  };
}
