/**
 * Category-like text columns as small integer codes into a dictionary of their distinct values.
 *
 * A Polars categorical stores a 32-bit id per row and enters every value into a process-wide map.
 * Here a column with at most 256 distinct values takes one byte per row (two up to 65,536): a
 * quarter of the memory, which is what a snapshot reload and every group-by pay for. Reading
 * 3.3 M crash rows back from the snapshot takes about half as long (see docs/benchmarks.md).
 *
 * Each dictionary is sorted by UTF-8 bytes, so code order is text order: sorting, min and max
 * work on the codes, and only the few values a result shows are decoded. A frame column holds
 * codes exactly when the frame's `Dictionaries` has an entry for it; other text stays String.
 */
import pl, { type DataType } from 'nodejs-polars';
import type { ResultCell } from '../../../shared/contract/analysis';
import type { ColumnType } from '../../../shared/types';
import { compareText, toCell } from './result-table';
import { columnValues, dtypeOf } from './ops/read';
import { px } from './ops/expr';

/** Distinct values of one column, sorted by UTF-8 bytes; code `i` stands for `labels[i]`. */
export type Labels = readonly string[];

/** Frame column (identifier) → its labels, for the columns that hold codes. */
export type Dictionaries = Readonly<Record<string, Labels>>;

/** A frame whose category-like text columns hold codes, with their dictionaries. */
export interface CodedFrame {
  frame: pl.DataFrame;
  dictionaries: Dictionaries;
}

/** The narrowest unsigned type that holds codes 0…n−1. */
export function codeType(n: number): DataType {
  return n <= 0x100 ? pl.UInt8 : n <= 0x10000 ? pl.UInt16 : pl.UInt32;
}

/** Index of the first label ≥ value (labels.length when none). */
export function lowerBound(labels: Labels, value: string): number {
  let lo = 0;
  let hi = labels.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareText(labels[mid]!, value) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The code of a value, or −1 when the dictionary does not hold it. */
export function codeOf(labels: Labels, value: string): number {
  const i = lowerBound(labels, value);
  return i < labels.length && labels[i] === value ? i : -1;
}

/** A value read back from Polars as a result cell: a code (when `labels` is given) decoded. */
export function cellOf(value: unknown, type: ColumnType, labels?: Labels): ResultCell {
  if (!labels) return toCell(value, type);
  return value === null || value === undefined ? null : labels[Number(value)]!;
}

/** The codes of every label that passes `test`. */
export function codesWhere(labels: Labels, test: (label: string) => boolean): number[] {
  const out: number[] = [];
  labels.forEach((l, i) => {
    if (test(l)) out.push(i);
  });
  return out;
}

/**
 * Re-codes a coded column after its values are rewritten (make codes → brands): `rewrite` maps
 * each old label to its new text, and equal results share one code of the new, sorted dictionary.
 */
export function recode(codes: pl.Expr, labels: Labels, rewrite: (label: string) => string): { expr: pl.Expr; labels: Labels } {
  const rewritten = labels.map(rewrite);
  const next = [...new Set(rewritten)].sort(compareText);
  const mapped = rewritten.map((v) => codeOf(next, v));
  if (mapped.every((c, i) => c === i)) return { expr: codes, labels };
  return {
    expr: codes.replaceStrict(
      labels.map((_, i) => i),
      mapped,
      undefined,
      codeType(next.length),
    ),
    labels: next,
  };
}

/**
 * Encodes these text columns (Polars String or Categorical) as codes. A categorical is re-coded
 * through its physical ids, so its text is never materialised.
 */
export function encodeColumns(frame: pl.DataFrame, columns: string[]): CodedFrame {
  if (!columns.length) return { frame, dictionaries: {} };
  // What each column's values are matched by: a categorical cast to UInt32 gives its physical
  // ids without a copy (`toPhysical()` copies them); other text is matched as strings.
  const keyOf = (c: string) => px.col(c).cast(dtypeOf(frame, c).equals(pl.Categorical) ? pl.UInt32 : pl.Utf8);
  // One select computes every column's distinct values in parallel.
  const distinct = frame.select(...columns.map((c) => keyOf(c).unique().implode().alias(c)));
  const dictionaries: Record<string, Labels> = {};
  const exprs: pl.Expr[] = [];
  for (const c of columns) {
    const keys = (columnValues(distinct.select(px.col(c).explode()), c) as Array<number | string | null>).filter((v) => v !== null);
    const text =
      typeof keys[0] === 'number'
        ? (pl.Series('ids', keys, pl.UInt32).cast(pl.Categorical).cast(pl.Utf8).toArray() as string[])
        : (keys as string[]);
    const labels = [...text].sort(compareText);
    dictionaries[c] = labels;
    // Only nulls: an empty dictionary.
    if (!keys.length) exprs.push(px.lit(null).cast(pl.UInt8).alias(c));
    else
      exprs.push(
        keyOf(c)
          .replaceStrict(
            keys as Array<number | string>,
            text.map((t) => codeOf(labels, t)),
            undefined,
            codeType(labels.length),
          )
          .alias(c),
      );
  }
  return { frame: frame.withColumns(...exprs), dictionaries };
}

/** The frame with every coded column turned back into text (for files other tools read). */
export function decodeColumns(coded: CodedFrame): pl.DataFrame {
  const exprs = Object.entries(coded.dictionaries)
    .filter(([c]) => coded.frame.columns.includes(c))
    .map(([c, labels]) =>
      labels.length
        ? px
            .col(c)
            .replaceStrict(
              labels.map((_, i) => i),
              labels as string[],
              undefined,
              pl.Utf8,
            )
            .alias(c)
        : px.col(c).cast(pl.Utf8).alias(c),
    );
  return exprs.length ? coded.frame.withColumns(...exprs) : coded.frame;
}

/** The dictionaries of these columns only. */
export function pickDictionaries(dictionaries: Dictionaries, columns: string[]): Dictionaries {
  return Object.fromEntries(columns.filter((c) => c in dictionaries).map((c) => [c, dictionaries[c]!]));
}
