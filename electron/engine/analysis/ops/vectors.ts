/**
 * Pairwise statistics over a few columns (correlation matrices, Cramér's V) computed on typed
 * arrays: Polars fetches each column once, already reduced to dense codes (numbers with a table
 * of their values, categories as they are coded), and every pair is then a linear loop or two here.
 * Expressed as Polars expressions instead, each pair costs dozens of expression objects (about a
 * millisecond each in nodejs-polars, whatever the row count) and, for Spearman, a sort per pair.
 */
import pl from 'nodejs-polars';
import { codeType, type Dictionaries } from '../dictionary';
import { columnValues, dtypeOf, typedValues } from './read';
import { px } from './expr';

/** Each column once (a Polars select cannot name two outputs alike). */
const unique = (ids: string[]) => [...new Set(ids)];

/**
 * A numeric column as codes: 1, 2, … in value order (equal values share a code; a code may have
 * no row), 0 where the value is null or NaN, and `values[c]` the value (as Float64) of code c. The
 * crash columns span a few hundred values, so a row takes one or two bytes where Float64 values, a
 * validity mask, a sort order and a Spearman rank array took 21, and the codes are all Spearman
 * needs: a code's average rank within any set of rows follows from counting codes (see
 * `spearmanSums`), with no sort and no rank array per row.
 */
export interface NumericCodes {
  codes: Uint8Array | Uint16Array | Uint32Array;
  values: Float64Array;
}

/** Integer types whose every value is exactly a Float64, in the same order: coded as they are. */
const EXACT_INTEGERS = [pl.Int8, pl.Int16, pl.Int32, pl.UInt8, pl.UInt16, pl.UInt32];

/**
 * A column's values as correlations read them: Float64 (the narrow integer types as they are,
 * which code alike), NaN as null, −0 as 0 (so equal values share one code).
 */
function correlationValue(frame: pl.DataFrame, id: string): pl.Expr {
  const dtype = dtypeOf(frame, id);
  if (EXACT_INTEGERS.some((t) => dtype.equals(t))) return px.col(id);
  const v = px.col(id).cast(pl.Float64);
  if (!dtype.equals(pl.Float64) && !dtype.equals(pl.Float32)) return v;
  const zero = px.lit(0).cast(pl.Float64);
  return pl
    .when(v.isNan())
    .then(px.lit(null).cast(pl.Float64))
    .otherwise(pl.when(v.eq(zero)).then(zero).otherwise(v));
}

/** Integer columns whose values span at most this many are coded by their offset from the minimum. */
const OFFSET_CODES = 0xffff;

/**
 * The columns (frame identifiers) as numeric codes. An integer column with a short span of values
 * (the crash columns: years, occupants, cylinders) is coded by its offset from its minimum, one
 * subtraction: codes need not be dense, only ordered like the values, with `values` holding every
 * integer of the span (codes no row has count nothing). Any other column is coded by its dense rank,
 * with its sorted distinct values as the table. Three selects in all, whatever the column count.
 */
export function numericCodes(frame: pl.DataFrame, ids: string[]): NumericCodes[] {
  if (!ids.length) return [];
  const exprs = ids.map((id) => correlationValue(frame, id));
  const integer = ids.map((id) => {
    const dtype = dtypeOf(frame, id);
    return EXACT_INTEGERS.some((t) => dtype.equals(t));
  });
  const bounds = integer.some(Boolean)
    ? frame.select(
        ...ids.flatMap((id, i) =>
          integer[i] ? [px.col(id).min().cast(pl.Float64).alias(`lo${i}`), px.col(id).max().cast(pl.Float64).alias(`hi${i}`)] : [],
        ),
      )
    : null;
  const span = (i: number): { lo: number; hi: number } | null => {
    if (!integer[i]) return null;
    const lo = columnValues(bounds!, `lo${i}`)[0] as number | null;
    const hi = columnValues(bounds!, `hi${i}`)[0] as number | null;
    return lo === null || hi === null || hi - lo + 1 > OFFSET_CODES ? null : { lo, hi };
  };
  const spans = ids.map((_, i) => span(i));
  const ranked = ids.map((_, i) => i).filter((i) => !spans[i]);
  const lists = ranked.length
    ? frame.select(...ranked.map((i) => exprs[i]!.dropNulls().unique().sort().cast(pl.Float64).implode().alias(`u${i}`)))
    : null;
  const tables = ids.map((_, i) => {
    const s = spans[i];
    if (s) return Float64Array.from({ length: s.hi - s.lo + 2 }, (_, c) => (c ? s.lo + c - 1 : 0));
    const distinct = lists!.select(px.col(`u${i}`).explode().dropNulls());
    const values = new Float64Array(distinct.height + 1);
    if (distinct.height) values.set(typedValues(distinct, `u${i}`) as Float64Array, 1);
    return values;
  });
  const coded: pl.Expr[] = [];
  exprs.forEach((v, i) => {
    if (tables[i]!.length < 2) return;
    const s = spans[i];
    const code = s ? v.sub(px.lit(s.lo - 1)) : v.rank('dense');
    // Cast last: a fill with a JavaScript number (a Float64 literal) turns codes into doubles.
    coded.push(code.fillNull(0).cast(codeType(tables[i]!.length)).alias(`c${i}`));
  });
  const df = coded.length ? frame.select(...coded) : null;
  return ids.map((_, i) => ({
    // A column with no value at all is all zeros.
    codes: tables[i]!.length > 1 ? (typedValues(df!, `c${i}`) as NumericCodes['codes']) : new Uint8Array(frame.height),
    values: tables[i]!,
  }));
}

/** Sums of a pair over the rows where both are set, centred on their means (two passes: stable for years). */
export interface PairSums {
  n: number;
  sxy: number;
  sxx: number;
  syy: number;
}

/**
 * Pearson's sums of two columns over the rows where both are set, each row's value looked up by
 * its code. `xOf`/`yOf` give each code's value; the rows are summed in row order.
 */
function centredSums(a: NumericCodes['codes'], b: NumericCodes['codes'], xOf: ArrayLike<number>, yOf: ArrayLike<number>): PairSums {
  let n = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < a.length; i++) {
    const ca = a[i]!;
    const cb = b[i]!;
    if (!ca || !cb) continue;
    n++;
    mx += xOf[ca]!;
    my += yOf[cb]!;
  }
  if (!n) return { n, sxy: 0, sxx: 0, syy: 0 };
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < a.length; i++) {
    const ca = a[i]!;
    const cb = b[i]!;
    if (!ca || !cb) continue;
    const dx = xOf[ca]! - mx;
    const dy = yOf[cb]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return { n, sxy, sxx, syy };
}

/** Pearson's sums of a pair (see `centredSums`). */
export function pearsonSums(a: NumericCodes, b: NumericCodes): PairSums {
  return centredSums(a.codes, b.codes, a.values, b.values);
}

/**
 * Spearman's sums of a pair: Pearson's on the average ranks (ties share the mean of their
 * positions) of each column within the rows where both are set. A code's rank there is the count
 * of those rows with a smaller code plus (its own count + 1) / 2, so one counting pass gives every
 * rank. The ranks are kept doubled, as integers: scaling every value by two scales each rounded
 * sum, mean and product exactly, so the coefficient is bit for bit the one of the plain ranks.
 */
export function spearmanSums(a: NumericCodes, b: NumericCodes): PairSums {
  const ra = new Uint32Array(a.values.length);
  const rb = new Uint32Array(b.values.length);
  for (let i = 0; i < a.codes.length; i++) {
    const ca = a.codes[i]!;
    const cb = b.codes[i]!;
    if (!ca || !cb) continue;
    ra[ca]!++;
    rb[cb]!++;
  }
  doubledRanks(ra);
  doubledRanks(rb);
  return centredSums(a.codes, b.codes, ra, rb);
}

/** Counts per code → twice each code's average rank (2 · before + count + 1), in place. */
function doubledRanks(counts: Uint32Array): void {
  let before = 0;
  for (let c = 1; c < counts.length; c++) {
    const count = counts[c]!;
    counts[c] = 2 * before + count + 1;
    before += count;
  }
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
