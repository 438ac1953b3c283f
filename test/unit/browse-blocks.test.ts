/** Row positions → ctids through a table of rows per block (browse/blocks.ts), against a listing of every row. */
import { describe, expect, it } from 'vitest';
import { BlockTable } from '../../electron/engine/browse/blocks';

function tableOf(counts: number[]): BlockTable {
  const starts = new Float64Array(counts.length + 1);
  counts.forEach((n, b) => (starts[b + 1] = starts[b]! + n));
  return new BlockTable(starts);
}

describe('BlockTable', () => {
  it('gives each position its block and 1-based offset, in file order', () => {
    const counts = [3, 1, 4, 2];
    const every = counts.flatMap((n, b) => Array.from({ length: n }, (_, i) => `(${b},${i + 1})`));
    const table = tableOf(counts);
    expect(table.rows).toBe(10);
    expect(every.map((_, p) => table.rid(p))).toEqual(every);
  });

  it('refuses a position that is not a row', () => {
    const table = tableOf([2, 2]);
    for (const p of [-1, 4, 1.5]) expect(() => table.rid(p)).toThrow(RangeError);
  });
});
