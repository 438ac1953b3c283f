/**
 * Turning small Polars results into `ResultTable`s, and the shared ordering rules (count desc,
 * keys ascending in UTF-8 byte order with nulls last, top N + "other"). See docs/analyses.md.
 */
import type { ResultCell, ResultCellType, ResultTable } from '../../../shared/contract/analysis';
import type { ColumnType } from '../../../shared/types';

export function resultType(type: ColumnType): ResultCellType {
  switch (type) {
    case 'integer':
    case 'bigint':
      return 'integer';
    case 'double':
    case 'numeric':
      return 'float';
    case 'boolean':
      return 'boolean';
    default:
      return 'text';
  }
}

/** A frame value as a result cell: dates as ISO text, NaN and ±∞ as null. */
export function toCell(value: unknown, type?: ColumnType): ResultCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return type === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  return String(value);
}

/** Compares keys: numbers numerically, strings by UTF-8 bytes (= code points), nulls last. */
export function compareKeys(a: ResultCell, b: ResultCell): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a ? 1 : -1;
  return compareText(String(a), String(b));
}

/** Code-point order, which is the byte order of UTF-8 (JavaScript's `<` compares UTF-16 units). */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

export function compareKeyLists(a: ResultCell[], b: ResultCell[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareKeys(a[i]!, b[i]!);
    if (c) return c;
  }
  return 0;
}

export interface Group {
  keys: ResultCell[];
  count: number;
}

/** Sorts groups by count desc then keys, or by keys only. */
export function orderGroups<G extends Group>(groups: G[], order: 'count' | 'key'): G[] {
  return groups.sort((a, b) => (order === 'count' ? b.count - a.count : 0) || compareKeyLists(a.keys, b.keys));
}

/** Keeps the first `topN` groups (0 = all) and sums the rest into one "other" group. */
export function topWithOther<G extends Group>(ordered: G[], topN: number): { top: G[]; other: number | null; otherGroups: G[] } {
  if (topN <= 0 || ordered.length <= topN) return { top: ordered, other: null, otherGroups: [] };
  const rest = ordered.slice(topN);
  return { top: ordered.slice(0, topN), other: rest.reduce((s, g) => s + g.count, 0), otherGroups: rest };
}

/** Ordered groups (already cut to the top N) with shares and the other bucket, as a result table. */
export function groupCountTable(dimNames: string[], dimTypes: ResultCellType[], top: Group[], total: number, more: boolean): ResultTable {
  const other = more ? total - top.reduce((s, g) => s + g.count, 0) : null;
  const rows: ResultCell[][] = top.map((g) => [...g.keys, g.count, total ? g.count / total : null, false]);
  if (other !== null) rows.push([...dimNames.map(() => null), other, total ? other / total : null, true]);
  return {
    columns: [
      ...dimNames.map((name, i) => ({ name, type: dimTypes[i]! })),
      { name: 'count', type: 'integer' },
      { name: 'share', type: 'float' },
      { name: 'other', type: 'boolean' },
    ],
    rows,
  };
}
