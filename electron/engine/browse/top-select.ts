/**
 * The first `want` rows in (keys…, position) order without sorting every candidate. Polars sorts
 * millions of filtered rows by several keys in hundreds of milliseconds on a loaded machine; here
 * each key level costs one pass over typed arrays:
 *
 * 1. the `want`-th smallest value T of the first key, by a bounded max-heap of values only;
 * 2. the candidates below T are all in the result, sorted by the full order; those equal to T
 *    compete for the remaining places on the next key (the same two steps), and after the last
 *    key by position.
 *
 * Keys are numbers in ascending order of the wanted result (a descending key is negated by the
 * caller, nulls already mapped to ±Infinity). Candidates come in ascending position order (a
 * filtered frame keeps file order), so position ties are index ties; out-of-order positions are
 * refused. The order is total and equals PostgreSQL's `ORDER BY keys, ctid` on a table in file order.
 */
export function firstRows(keys: ReadonlyArray<ArrayLike<number>>, positions: ArrayLike<number>, want: number): number[] {
  for (let i = 1; i < positions.length; i++)
    if (positions[i]! <= positions[i - 1]!) throw new Error('candidates are not in ascending position order');
  if (want <= 0) return [];
  const compare = (a: number, b: number): number => {
    for (const k of keys) {
      const x = k[a]!;
      const y = k[b]!;
      if (x !== y) return x < y ? -1 : 1;
    }
    return a - b;
  };
  const all = new Uint32Array(positions.length);
  for (let i = 0; i < all.length; i++) all[i] = i;
  return select(keys, 0, all, want, compare).map((i) => positions[i]!);
}

/** The first `want` of these candidate indexes (ascending) in full order, deciding on key `level` and after. */
function select(
  keys: ReadonlyArray<ArrayLike<number>>,
  level: number,
  candidates: Uint32Array,
  want: number,
  compare: (a: number, b: number) => number,
): number[] {
  if (want <= 0) return [];
  if (candidates.length <= want) return Array.from(candidates).sort(compare);
  if (level === keys.length) return Array.from(candidates.subarray(0, want)); // equal keys: by position
  const key = keys[level]!;
  const threshold = kthSmallest(candidates.length, want, (i) => key[candidates[i]!]!);
  let below = 0;
  let equal = 0;
  for (let i = 0; i < candidates.length; i++) {
    const v = key[candidates[i]!]!;
    if (v < threshold) below++;
    else if (v === threshold) equal++;
  }
  const less = new Uint32Array(below);
  const tied = new Uint32Array(equal);
  below = 0;
  equal = 0;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    const v = key[c]!;
    if (v < threshold) less[below++] = c;
    else if (v === threshold) tied[equal++] = c;
  }
  const first = Array.from(less).sort(compare);
  return first.concat(select(keys, level + 1, tied, want - first.length, compare));
}

/** The `k`-th smallest of `value(0) … value(n - 1)` (k ≤ n): a max-heap of k values. */
export function kthSmallest(n: number, k: number, value: (i: number) => number): number {
  const heap = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    // Sift up.
    let j = i;
    const v = value(i);
    while (j > 0) {
      const parent = (j - 1) >> 1;
      if (heap[parent]! >= v) break;
      heap[j] = heap[parent]!;
      j = parent;
    }
    heap[j] = v;
  }
  for (let i = k; i < n; i++) {
    const v = value(i);
    if (v >= heap[0]!) continue;
    // Replace the root and sift down.
    let j = 0;
    for (;;) {
      const l = 2 * j + 1;
      if (l >= k) break;
      const r = l + 1;
      const child = r < k && heap[r]! > heap[l]! ? r : l;
      if (heap[child]! <= v) break;
      heap[j] = heap[child]!;
      j = child;
    }
    heap[j] = v;
  }
  return heap[0]!;
}
