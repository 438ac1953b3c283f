/**
 * `firstRows` (browse/top-select.ts) against a full sort of the same candidates: ties broken by
 * position, ±Infinity (nulls) at the ends, fewer candidates than wanted, and nothing wanted.
 */
import { describe, expect, it } from 'vitest';
import { firstRows } from '../../electron/engine/browse/top-select';
import { mulberry32 } from '../../electron/engine/generate/random';

function bySorting(keys: number[][], positions: number[], want: number): number[] {
  const order = positions.map((_, i) => i);
  order.sort((a, b) => {
    for (const k of keys) if (k[a] !== k[b]) return k[a]! < k[b]! ? -1 : 1;
    return positions[a]! - positions[b]!;
  });
  return order.slice(0, want).map((i) => positions[i]!);
}

describe('firstRows', () => {
  it.each([
    [1, 5_000, 1_000],
    [2, 5_000, 200],
    [3, 300, 1_000],
    [2, 2_000, 1],
  ])('with %i key(s) over %i candidates, first %i', (keyCount, n, want) => {
    const random = mulberry32(keyCount * 1_000 + want);
    const values = [-Infinity, Infinity, -3, 0, 2, 2.5, 7];
    const keys = Array.from({ length: keyCount }, () => Array.from({ length: n }, () => values[Math.floor(random() * values.length)]!));
    // Positions of a filtered view: increasing, with gaps.
    const positions: number[] = [];
    for (let p = 0; positions.length < n; p++) if (random() < 0.6) positions.push(p);
    const got = firstRows(
      keys.map((k) => Float64Array.from(k)),
      Uint32Array.from(positions),
      want,
    );
    expect(got).toEqual(bySorting(keys, positions, want));
    expect(got.length).toBe(Math.min(want, n));
  });

  it('answers nothing when nothing is wanted or there is no candidate', () => {
    expect(firstRows([Float64Array.from([1, 2])], Uint32Array.from([0, 1]), 0)).toEqual([]);
    expect(firstRows([new Float64Array(0)], new Uint32Array(0), 10)).toEqual([]);
  });
});

describe('firstRows input', () => {
  it('orders a single tied key by position and refuses candidates out of position order', () => {
    const positions = Uint32Array.from([2, 5, 9, 11]);
    expect(firstRows([Float64Array.from([7, 7, 7, 7])], positions, 3)).toEqual([2, 5, 9]);
    expect(() => firstRows([Float64Array.from([1, 2])], Uint32Array.from([5, 3]), 1)).toThrow(/ascending position order/);
  });
});
