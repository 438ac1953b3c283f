/**
 * Pairwise statistics over a few columns (correlation matrices, Cramér's V) computed on typed
 * arrays: Polars fetches each column once, already reduced (numbers as Float64, categories as
 * dense codes, each column's sort order for ranks), and every pair is then one linear loop here.
 * Expressed as Polars expressions instead, each pair costs dozens of expression objects (about a
 * millisecond each in nodejs-polars, whatever the row count) and, for Spearman, a sort per pair.
 */
import pl from 'nodejs-polars';
import { codeType, type Dictionaries } from '../dictionary';
import { nullCount, typedValues } from './read';
import { px } from './expr';

/** Each column once (a Polars select cannot name two outputs alike). */
const unique = (ids: string[]) => [...new Set(ids)];

/** A numeric column as Float64 values (0 where null) and its validity (null when it has no nulls). */
export interface NumericVector {
  values: Float64Array;
  valid: Uint8Array | null;
}

/** The columns (frame identifiers) as numeric vectors, in one select. */
export function numericVectors(frame: pl.DataFrame, ids: string[]): NumericVector[] {
  if (!ids.length) return [];
  const withNulls = ids.filter((id) => nullCount(frame, id) > 0);
  const exprs = [px.cols(unique(ids)).cast(pl.Float64).fillNull(0).prefix('v:')];
  if (withNulls.length) exprs.push(px.cols(unique(withNulls)).isNotNull().cast(pl.UInt8).prefix('m:'));
  const df = frame.select(...exprs);
  return ids.map((id) => ({
    values: typedValues(df, `v:${id}`) as Float64Array,
    valid: withNulls.includes(id) ? (typedValues(df, `m:${id}`) as Uint8Array) : null,
  }));
}

/** Each column's row order by value, nulls last, and how many rows are non-null. */
export interface SortOrder {
  order: Uint32Array;
  valid: number;
}

export function sortOrders(frame: pl.DataFrame, ids: string[]): SortOrder[] {
  if (!ids.length) return [];
  const df = frame.select(px.cols(unique(ids)).argSort({ descending: false, nullsLast: true }).prefix('o:'));
  return ids.map((id) => ({
    order: typedValues(df, `o:${id}`) as Uint32Array,
    valid: frame.height - nullCount(frame, id),
  }));
}

const bothValid = (a: Uint8Array | null, b: Uint8Array | null, i: number) => (!a || a[i] === 1) && (!b || b[i] === 1);

/** Sums of a pair over the rows where both are set, centred on their means (two passes: stable for years). */
export interface PairSums {
  n: number;
  sxy: number;
  sxx: number;
  syy: number;
}

export function centredSums(x: Float64Array, y: Float64Array, vx: Uint8Array | null, vy: Uint8Array | null): PairSums {
  let n = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < x.length; i++) {
    if (!bothValid(vx, vy, i)) continue;
    n++;
    mx += x[i]!;
    my += y[i]!;
  }
  if (!n) return { n, sxy: 0, sxx: 0, syy: 0 };
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    if (!bothValid(vx, vy, i)) continue;
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return { n, sxy, sxx, syy };
}

/**
 * Average ranks (1-based, ties share the mean of their positions) of one column among the rows
 * where `keep` is set, written at those rows. One walk along the column's sort order, so ranking
 * a column for every pair costs one sort in all.
 */
export function ranksWithin(values: Float64Array, sorted: SortOrder, keep: Uint8Array | null): Float64Array {
  const ranks = new Float64Array(values.length);
  let rows = sorted.order;
  let m = sorted.valid;
  if (keep) {
    rows = new Uint32Array(sorted.valid);
    m = 0;
    for (let k = 0; k < sorted.valid; k++) {
      const row = sorted.order[k]!;
      if (keep[row] === 1) rows[m++] = row;
    }
  }
  for (let start = 0; start < m;) {
    let end = start + 1;
    const v = values[rows[start]!]!;
    while (end < m && values[rows[end]!] === v) end++;
    const rank = (start + end + 1) / 2;
    for (let k = start; k < end; k++) ranks[rows[k]!] = rank;
    start = end;
  }
  return ranks;
}

/** Rows where both validities hold (null when neither column has nulls). */
export function jointValidity(a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
  if (!a) return b;
  if (!b) return a;
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! & b[i]!;
  return out;
}

/** Each column as codes 1…k in value order (0 = null) and its k, in one select. */
export interface CodeVector {
  /** As narrow as the levels allow: at 10 M rows a `Uint32Array` per column was most of Cramér's V's memory. */
  codes: Uint8Array | Uint16Array | Uint32Array;
  levels: number;
}

export function codeVectors(frame: pl.DataFrame, ids: string[], dictionaries: Dictionaries): CodeVector[] {
  if (!ids.length) return [];
  // Coded text already is codes in value order: shifted by one, no sort. Other columns are ranked.
  const coded = unique(ids).filter((id) => dictionaries[id]);
  const other = unique(ids).filter((id) => !dictionaries[id]);
  const exprs: pl.Expr[] = [];
  // Codes 1…k need a type that holds k (one more value than the dictionary's codes). The literals
  // are cast too: a plain JavaScript number is a Float64 literal, which made every code a double.
  for (const id of coded) {
    const type = codeType(dictionaries[id]!.length + 1);
    const lit = (n: number) => px.lit(n).cast(type);
    exprs.push(px.col(id).cast(type).add(lit(1)).fillNull(lit(0)).alias(`c:${id}`));
  }
  if (other.length) exprs.push(px.cols(other).rank('dense').fillNull(0).cast(pl.UInt32).prefix('c:'));
  const df = frame.select(...exprs);
  return ids.map((id) => {
    const codes = typedValues(df, `c:${id}`) as CodeVector['codes'];
    let levels = dictionaries[id]?.length ?? 0;
    if (!dictionaries[id]) for (let r = 0; r < codes.length; r++) if (codes[r]! > levels) levels = codes[r]!;
    return { codes, levels };
  });
}

/** Above this many cells a contingency table is kept sparse (a Map) instead of a dense array. */
const DENSE_CELLS = 1 << 24;

/**
 * Cramér's V of two coded columns over the rows where both are set:
 * V = sqrt(χ² / (n · (min(r, c) − 1))) with χ² = n · (Σ n_ij² / (n_i· n_·j) − 1); null when min(r, c) < 2.
 */
export function cramersVOf(a: CodeVector, b: CodeVector): { value: number | null; n: number } {
  const width = b.levels + 1;
  const cellsNeeded = (a.levels + 1) * width;
  const rowSum = new Float64Array(a.levels + 1);
  const colSum = new Float64Array(width);
  const cells: Array<[number, number, number]> = [];
  let n = 0;
  if (cellsNeeded <= DENSE_CELLS) {
    const table = new Float64Array(cellsNeeded);
    for (let r = 0; r < a.codes.length; r++) {
      const x = a.codes[r]!;
      const y = b.codes[r]!;
      if (x && y) table[x * width + y]!++;
    }
    for (let x = 1; x <= a.levels; x++)
      for (let y = 1; y < width; y++) {
        const c = table[x * width + y]!;
        if (c) cells.push([x, y, c]);
      }
  } else {
    const table = new Map<number, number>();
    for (let r = 0; r < a.codes.length; r++) {
      const x = a.codes[r]!;
      const y = b.codes[r]!;
      if (x && y) table.set(x * width + y, (table.get(x * width + y) ?? 0) + 1);
    }
    for (const [k, c] of table) cells.push([Math.floor(k / width), k % width, c]);
  }
  for (const [x, y, c] of cells) {
    rowSum[x]! += c;
    colSum[y]! += c;
    n += c;
  }
  const k = Math.min(rowSum.filter((s) => s > 0).length, colSum.filter((s) => s > 0).length);
  if (n === 0 || k < 2) return { value: null, n };
  let s = 0;
  for (const [x, y, c] of cells) s += (c * c) / (rowSum[x]! * colSum[y]!);
  const chi2 = n * (s - 1);
  return { value: Math.sqrt(Math.max(0, chi2) / (n * (k - 1))), n };
}
