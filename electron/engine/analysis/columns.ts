/**
 * From catalog columns to what the loader and the analyses need: the SELECT expression that
 * makes PostgreSQL send a value Polars parses exactly, the Polars type it arrives as, and the
 * display-name → frame-column mapping (frames are keyed by SQL identifier, always unique).
 */
import pl, { type DataType } from 'nodejs-polars';
import type { DatasetColumn } from '../../../shared/types';
import { StudioError } from '../../../shared/errors';
import { quoteIdent } from '../db/sql';

/** How a catalog column travels through COPY and what it becomes in the frame. */
export interface WireColumn {
  column: DatasetColumn;
  /** SQL expression selected in the COPY query. */
  select: string;
  /** Type the CSV text is parsed as. */
  wire: DataType;
  /** Cast applied after parsing (dates, timestamps, booleans travel as integers). */
  finalType?: DataType;
}

/**
 * Rows a text column's cardinality is judged on, and the share of distinct values above which it
 * stays plain text. Coding makes every group-by hash small integers, but a near-unique column (a
 * VIN) gains nothing from it and costs a lot: parsed as a categorical on its way to codes, every
 * distinct value would enter Polars' process-wide category map, for good.
 */
export const CARDINALITY_SAMPLE_ROWS = 10_000;
const MAX_DISTINCT_SHARE = 0.5;

/** Whether a text column with this many distinct values among `sampled` rows is coded (./dictionary). */
export function isCategoryLike(distinct: number, sampled: number): boolean {
  return distinct <= Math.max(1, sampled * MAX_DISTINCT_SHARE);
}

/** `categorical`: a text column is parsed straight into a Polars Categorical (the loader then codes it). */
export function wireColumn(column: DatasetColumn, categorical = false): WireColumn {
  const id = quoteIdent(column.identifier);
  switch (column.type) {
    case 'integer':
      return { column, select: id, wire: pl.Int32 };
    case 'bigint':
      return { column, select: id, wire: pl.Int64 };
    case 'double':
      return { column, select: id, wire: pl.Float64 };
    case 'numeric':
      return { column, select: `${id}::float8`, wire: pl.Float64 };
    case 'boolean':
      return { column, select: `${id}::int4`, wire: pl.Int32, finalType: pl.Bool };
    case 'date':
      return { column, select: `(${id} - DATE '1970-01-01')`, wire: pl.Int32, finalType: pl.Date };
    case 'timestamp':
      return { column, select: `(extract(epoch FROM ${id}) * 1000000)::int8`, wire: pl.Int64, finalType: pl.Datetime('us') };
    case 'text':
      return { column, select: id, wire: categorical ? pl.Categorical : pl.Utf8 };
  }
}

/** Looks a column up by its display name. */
export function columnByName(columns: DatasetColumn[], name: string): DatasetColumn {
  const col = columns.find((c) => c.name === name);
  if (!col) throw new StudioError('ANALYSIS_NOT_APPLICABLE', `The dataset has no column "${name}".`, { column: name });
  return col;
}

export const isNumeric = (c: DatasetColumn) => c.type === 'integer' || c.type === 'bigint' || c.type === 'double' || c.type === 'numeric';
