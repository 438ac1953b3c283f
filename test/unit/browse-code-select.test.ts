/**
 * `firstByCodes` (browse/code-select.ts) against a full sort of the same rows by (keys, position):
 * ascending and descending keys with the null code at the top, many ties, codes sparse enough
 * for the heap instead of the histogram, every row or a filtered subset, fewer rows than wanted.
 */
import { describe, expect, it } from 'vitest';
import { firstByCodes, type CodeKey } from '../../electron/engine/browse/code-select';
import { mulberry32 } from '../../electron/engine/generate/random';

/** The oracle: every candidate sorted by each key (descending: larger codes first), then position. */
function bySorting(keys: CodeKey[], candidates: number[], want: number): number[] {
  return [...candidates]
    .sort((a, b) => {
      for (const k of keys) {
        const x = k.codes[a]!;
        const y = k.codes[b]!;
        if (x !== y) return k.descending ? y - x : x - y;
      }
      return a - b;
    })
    .slice(0, want);
}

function randomKey(random: () => number, n: number, distinct: number, top: number, descending: boolean): CodeKey {
  // A few distinct values spread over [0, top); about one row in eight null (code top).
  const values = Array.from({ length: distinct }, () => Math.floor(random() * top));
  const codes = top < 0x10000 ? new Uint16Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) codes[i] = random() < 0.125 ? top : values[Math.floor(random() * distinct)]!;
  return { codes, top, descending };
}

describe('firstByCodes', () => {
  it.each([
    // keys (distinct values, top, descending), rows, want, share of rows that pass a filter
    [[[5, 10, false]], 5_000, 1_000, 1],
    [[[5, 10, true]], 5_000, 1_000, 0.6],
    [
      [
        [3, 4, false],
        [40, 300, true],
      ],
      6_000,
      200,
      0.5,
    ],
    [
      [
        [2, 3, true],
        [2, 3, false],
        [7, 9, true],
      ],
      3_000,
      1_000,
      0.8,
    ],
    [[[50, 1e12, false]], 4_000, 700, 1], // sparse codes: the heap
    [
      [
        [50, 1e12, true],
        [4, 6, false],
      ],
      4_000,
      700,
      0.7,
    ],
    [[[6, 200, false]], 300, 1_000, 0.5], // fewer rows than wanted
    [[[6, 200, true]], 2_000, 1, 1],
  ] as Array<[Array<[number, number, boolean]>, number, number, number]>)(
    'keys %j over %i rows, first %i, share passing %d',
    (spec, n, want, share) => {
      const random = mulberry32(n + want + spec.length);
      const keys = spec.map(([distinct, top, descending]) => randomKey(random, n, distinct, top, descending));
      const passing: number[] = [];
      for (let p = 0; p < n; p++) if (share === 1 || random() < share) passing.push(p);
      const rows = share === 1 ? null : Uint32Array.from(passing);
      const got = firstByCodes(keys, rows, n, want);
      expect(got).toEqual(bySorting(keys, passing, want));
      expect(got.length).toBe(Math.min(want, passing.length));
    },
  );

  it('puts the null code last ascending and first descending, and takes ties by position', () => {
    const codes = Uint8Array.from([2, 0, 3, 1, 3, 0, 2]); // top = 3: rows 2 and 4 are null
    expect(firstByCodes([{ codes, top: 3, descending: false }], null, 7, 7)).toEqual([1, 5, 3, 0, 6, 2, 4]);
    expect(firstByCodes([{ codes, top: 3, descending: true }], null, 7, 3)).toEqual([2, 4, 0]);
    expect(firstByCodes([{ codes, top: 3, descending: false }], Uint32Array.from([0, 4, 5, 6]), 7, 2)).toEqual([5, 0]);
  });

  it('answers rows in position order without keys, and nothing when nothing is wanted', () => {
    expect(firstByCodes([], Uint32Array.from([3, 8, 9]), 10, 2)).toEqual([3, 8]);
    expect(firstByCodes([], null, 10, 3)).toEqual([0, 1, 2]);
    expect(firstByCodes([{ codes: Uint8Array.from([1, 0]), top: 1, descending: false }], null, 2, 0)).toEqual([]);
    expect(firstByCodes([{ codes: new Uint8Array(0), top: 0, descending: false }], new Uint32Array(0), 0, 5)).toEqual([]);
  });
});
