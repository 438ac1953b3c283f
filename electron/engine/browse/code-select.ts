/**
 * The first `want` rows of a view in (keys…, position) order, over sort keys held as codes: small
 * non-negative integers in each column's ascending order, the largest (`top`) standing for null
 * (./typed-view). Ascending then puts nulls last and descending (larger codes first) puts them
 * first, as PostgreSQL's `ORDER BY` does, and neither needs a key array per row.
 *
 * Each key level is one counting pass: a histogram of the candidates' codes gives the code T at
 * which the `need`-th row falls; the candidates before T are all in the result, and those equal
 * to T compete for the remaining places on the next key (after the last key, by position). Codes
 * too sparse for a histogram (wide integer ranges) find T with a bounded max-heap instead.
 * Candidates come in ascending position order, so the rows tied on every key are taken in
 * position order: the answer equals `ORDER BY keys, ctid` on a table in file order.
 */
import { kthSmallest } from './top-select';

export interface CodeKey {
  /** The key's code of each row, by position. */
  codes: ArrayLike<number>;
  /** The largest code (null's): codes are integers in [0, top]. */
  top: number;
  descending: boolean;
}

/** Histograms up to this many codes (or twice the candidates) are cheaper than a heap. */
const HISTOGRAM_CODES = 1 << 16;

/**
 * Positions of the first `want` rows among `rows` (ascending positions; null: every position
 * below `count`), in the order of `keys` then position.
 */
export function firstByCodes(keys: readonly CodeKey[], rows: Uint32Array | null, count: number, want: number): number[] {
  if (want <= 0) return [];
  const all = rows ?? null;
  const n = all ? all.length : count;
  if (!keys.length) {
    const out: number[] = [];
    for (let i = 0; i < n && out.length < want; i++) out.push(all ? all[i]! : i);
    return out;
  }
  return select(keys, 0, all, n, want);
}

/** Orders positions by every key, then by position. */
function comparator(keys: readonly CodeKey[]): (a: number, b: number) => number {
  return (a, b) => {
    for (const k of keys) {
      const x = k.codes[a]!;
      const y = k.codes[b]!;
      if (x !== y) return x < y !== k.descending ? -1 : 1;
    }
    return a - b;
  };
}

function select(keys: readonly CodeKey[], level: number, rows: Uint32Array | null, n: number, want: number): number[] {
  if (want <= 0) return [];
  if (n <= want) {
    const out = rows ? Array.from(rows) : Array.from({ length: n }, (_, i) => i);
    return out.sort(comparator(keys));
  }
  if (level === keys.length) {
    // Equal on every key: by position.
    return rows ? Array.from(rows.subarray(0, want)) : Array.from({ length: want }, (_, i) => i);
  }
  const key = keys[level]!;
  const last = level === keys.length - 1;
  const threshold = key.top < Math.max(HISTOGRAM_CODES, 2 * n) ? byHistogram(key, rows, n, want) : byHeap(key, rows, n, want);
  const { below, tied } = split(key, rows, n, threshold.code, threshold.below, last ? want - threshold.below : threshold.tied);
  const first = Array.from(below).sort(comparator(keys));
  return first.concat(select(keys, level + 1, tied, tied.length, want - first.length));
}

interface Threshold {
  /** The code of the `want`-th row in this key's order. */
  code: number;
  /** Rows strictly before it, and rows with it. */
  below: number;
  tied: number;
}

function byHistogram(key: CodeKey, rows: Uint32Array | null, n: number, want: number): Threshold {
  const codes = key.codes;
  const counts = new Uint32Array(key.top + 1);
  if (rows) for (let i = 0; i < n; i++) counts[codes[rows[i]!]!]!++;
  else for (let i = 0; i < n; i++) counts[codes[i]!]!++;
  let before = 0;
  if (key.descending) {
    for (let c = key.top; c >= 0; c--) {
      const here = counts[c]!;
      if (before + here >= want) return { code: c, below: before, tied: here };
      before += here;
    }
  } else {
    for (let c = 0; c <= key.top; c++) {
      const here = counts[c]!;
      if (before + here >= want) return { code: c, below: before, tied: here };
      before += here;
    }
  }
  throw new Error('fewer candidates than wanted');
}

/** The `want`-th code in the key's order by a max-heap of `want` values (descending keys negated). */
function byHeap(key: CodeKey, rows: Uint32Array | null, n: number, want: number): Threshold {
  const sign = key.descending ? -1 : 1;
  const codes = key.codes;
  const value = (i: number) => sign * codes[rows ? rows[i]! : i]!;
  const kth = kthSmallest(n, want, value);
  const code = sign * kth;
  let below = 0;
  let tied = 0;
  for (let i = 0; i < n; i++) {
    const v = value(i);
    if (v < kth) below++;
    else if (v === kth) tied++;
  }
  return { code, below, tied };
}

/** The rows before `code` in the key's order (`below` of them) and the first `keepTied` rows equal to it, in position order. */
function split(
  key: CodeKey,
  rows: Uint32Array | null,
  n: number,
  code: number,
  below: number,
  keepTied: number,
): { below: Uint32Array; tied: Uint32Array } {
  const codes = key.codes;
  const less = new Uint32Array(below);
  const tied = new Uint32Array(keepTied);
  let b = 0;
  let t = 0;
  if (key.descending) {
    for (let i = 0; i < n; i++) {
      const p = rows ? rows[i]! : i;
      const c = codes[p]!;
      if (c > code) less[b++] = p;
      else if (c === code && t < keepTied) tied[t++] = p;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const p = rows ? rows[i]! : i;
      const c = codes[p]!;
      if (c < code) less[b++] = p;
      else if (c === code && t < keepTied) tied[t++] = p;
    }
  }
  return { below: less, tied };
}
