/**
 * Reading a frame's columns through the native series handle. `getColumn` wraps each series in
 * an object of about 250 closures, which costs as much as an expression's wrapper (see ./expr);
 * results are read a column or two at a time, dozens of times per run, so these skip it. Each
 * call does exactly what the library's method of the same name does.
 */
import type pl from 'nodejs-polars';
import { DataType } from 'nodejs-polars/bin/datatypes/datatype.js';

interface NativeSeries {
  dtype: string;
  toArray(): unknown[];
  toTypedArray(): ArrayLike<number>;
  nullCount(): number;
  nUnique(): number;
  valueCounts(sort: boolean, parallel: boolean, name: string, normalize: boolean): { column(name: string): NativeSeries };
}

const series = (frame: pl.DataFrame, name: string): NativeSeries =>
  (frame as unknown as { _df: { column(name: string): NativeSeries } })._df.column(name);

/** `frame.getColumn(name).toArray()` */
export function columnValues(frame: pl.DataFrame, name: string): unknown[] {
  return series(frame, name).toArray();
}

/** `frame.getColumn(name).toTypedArray()`: the column must hold no null. */
export function typedValues(frame: pl.DataFrame, name: string): ArrayLike<number> {
  const s = series(frame, name);
  if (s.nullCount() > 0) throw new Error('data contains nulls, unable to convert to TypedArray');
  return s.toTypedArray();
}

/** `frame.getColumn(name).nullCount()` */
export function nullCount(frame: pl.DataFrame, name: string): number {
  return series(frame, name).nullCount();
}

/** `frame.getColumn(name).nUnique()` */
export function distinctCount(frame: pl.DataFrame, name: string): number {
  return series(frame, name).nUnique();
}

/** `frame.getColumn(name).dtype` */
export function dtypeOf(frame: pl.DataFrame, name: string): DataType {
  return DataType.deserialize(series(frame, name).dtype);
}

/** `frame.getColumn(name).valueCounts(false, false, 'count')`, as its value and count columns. */
export function valueCounts(frame: pl.DataFrame, name: string): { values: unknown[]; counts: unknown[] } {
  const counts = series(frame, name).valueCounts(false, false, 'count', false);
  return { values: counts.column(name).toArray(), counts: counts.column('count').toArray() };
}
