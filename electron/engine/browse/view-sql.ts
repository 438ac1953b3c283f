/**
 * A dataset view (sort + filters) as SQL: column names checked against the catalog, identifiers
 * quoted, values turned into typed placeholders by a `bind` callback (bound parameters for
 * queries; the driver's literal escaping for COPY, which cannot take parameters). Shared by
 * browse (`dataset/page`) and export, so an export matches the screen.
 */
import { z } from 'zod';
import { datasetView, type ColumnFilter } from '../../../shared/contract/dataset';
import { StudioError } from '../../../shared/errors';
import { NUMERIC_TYPES, PG_TYPES, type ColumnType, type DatasetColumn, type DatasetVersionInfo } from '../../../shared/types';
import { qualifiedTable } from '../catalog/catalog';
import { quoteIdent } from '../db/sql';

export type ValidView = z.output<typeof datasetView>;
export type SortKey = ValidView['sort'][number];

/** Turns a value into SQL text for a typed placeholder: `$3` (bound) or a quoted literal (COPY). */
export type Binder = (value: string | null) => string;

export interface ViewSql {
  table: string;
  columns: DatasetColumn[];
  /** `WHERE …` or ''. */
  where: string;
  /** Sort keys with the ctid tie-break, e.g. `"a" DESC, "b", ctid`; ctid alone when unsorted. */
  orderBy: string;
  sort: SortKey[];
  filters: ColumnFilter[];
}

export function parametersBinder(params: unknown[]): Binder {
  return (value) => {
    params.push(value);
    return `$${params.length}`;
  };
}

export function literalBinder(escapeLiteral: (s: string) => string): Binder {
  return (value) => (value === null ? 'NULL' : escapeLiteral(value));
}

function columnOf(columns: DatasetColumn[], identifier: string, where: string): DatasetColumn {
  const column = columns.find((c) => c.identifier === identifier);
  if (!column) {
    throw new StudioError('INVALID_REQUEST', `${where}: the dataset has no column "${identifier}".`, {
      column: identifier,
      columns: columns.map((c) => c.identifier),
    });
  }
  return column;
}

const isNumeric = (type: ColumnType) => NUMERIC_TYPES.includes(type);
const INT_RANGE: Partial<Record<ColumnType, [number, number]>> = {
  integer: [-2147483648, 2147483647],
  bigint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/**
 * A filter value converted for a column's type, as text PostgreSQL parses, or `undefined` when
 * no row of that type can equal it (2.5 in an integer column): such a value matches nothing.
 */
export function typedValue(column: DatasetColumn, value: string | number | boolean): string | undefined {
  const text = String(value).trim();
  if (isNumeric(column.type)) {
    const n = typeof value === 'number' ? value : text === '' ? NaN : Number(text);
    if (!Number.isFinite(n)) {
      throw new StudioError('INVALID_REQUEST', `Column "${column.name}" holds numbers; "${String(value)}" is not one.`, {
        column: column.identifier,
      });
    }
    const range = INT_RANGE[column.type];
    if (range && (!Number.isInteger(n) || n < range[0] || n > range[1])) return undefined;
    return String(n);
  }
  if (column.type === 'boolean') {
    const b = typeof value === 'boolean' ? value : /^(true|t|yes|1)$/i.test(text) ? true : /^(false|f|no|0)$/i.test(text) ? false : null;
    if (b === null)
      throw new StudioError('INVALID_REQUEST', `Column "${column.name}" holds true/false; "${String(value)}" is neither.`, {
        column: column.identifier,
      });
    return String(b);
  }
  return typeof value === 'string' ? value : String(value);
}

function cast(column: DatasetColumn): string {
  return `::${PG_TYPES[column.type]}`;
}

function filterSql(filter: ColumnFilter, column: DatasetColumn, bind: Binder): string {
  const col = quoteIdent(column.identifier);
  switch (filter.op) {
    case 'isNull':
      return `${col} IS NULL`;
    case 'notNull':
      return `${col} IS NOT NULL`;
    case 'contains':
      // strpos needs no escaping of LIKE wildcards; case-insensitive like the grid's search box.
      return `strpos(lower(${col}::text), lower(${bind(filter.value)})) > 0`;
    case 'equals': {
      const v = typedValue(column, filter.value);
      return v === undefined ? 'FALSE' : `${col} = ${bind(v)}${cast(column)}`;
    }
    case 'oneOf': {
      const values = filter.values.map((x) => typedValue(column, x)).filter((x): x is string => x !== undefined);
      if (!values.length) return 'FALSE';
      return `${col} = ANY(${bind(`{${values.map((x) => `"${x.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`)}${cast(column)}[])`;
    }
    case 'range': {
      if (!isNumeric(column.type)) {
        throw new StudioError('INVALID_REQUEST', `A range filter needs a numeric column; "${column.name}" is ${column.type}.`, {
          column: column.identifier,
        });
      }
      const parts: string[] = [];
      const integer = column.type === 'integer' || column.type === 'bigint';
      // Integer columns compare with whole bounds of their own type, so an index on them applies.
      if (filter.min !== null)
        parts.push(`${col} >= ${bind(String(integer ? Math.ceil(filter.min) : filter.min))}${integer ? '::int8' : cast(column)}`);
      if (filter.max !== null)
        parts.push(`${col} <= ${bind(String(integer ? Math.floor(filter.max) : filter.max))}${integer ? '::int8' : cast(column)}`);
      return parts.length ? parts.join(' AND ') : 'TRUE';
    }
  }
}

/** Validates a view against a dataset version and renders its WHERE and ORDER BY. */
export function viewSql(info: DatasetVersionInfo, view: Pick<ValidView, 'sort' | 'filters'>, bind: Binder): ViewSql {
  const columns = info.columns;
  const seen = new Set<string>();
  for (const key of view.sort) {
    columnOf(columns, key.column, 'sort');
    if (seen.has(key.column))
      throw new StudioError('INVALID_REQUEST', `sort: column "${key.column}" appears twice.`, { column: key.column });
    seen.add(key.column);
  }
  const conditions = view.filters.map((f) => filterSql(f, columnOf(columns, f.column, 'filter'), bind));
  // PostgreSQL's default null placement (last ascending, first descending) lets one btree index serve both directions.
  const keys = view.sort.map((k) => `${quoteIdent(k.column)}${k.direction === 'desc' ? ' DESC' : ''}`);
  const orderBy = [...keys, 'ctid'].join(', ');
  return {
    table: qualifiedTable(info.table),
    columns,
    where: conditions.length ? `WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}` : '',
    orderBy,
    sort: view.sort,
    filters: view.filters,
  };
}

/** The select list of every column, in catalog order. */
export function selectList(columns: DatasetColumn[]): string {
  return columns.map((c) => quoteIdent(c.identifier)).join(', ');
}
