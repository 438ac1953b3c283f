/**
 * Compares two result tables of the same analysis from two engines (Polars vs Spark, Polars vs
 * the test oracle). Both follow the catalog's ordering rules, so rows are compared by position:
 * same column names, same row count, integers and text exactly equal, floats within a relative
 * tolerance (1e-9 by default, with a tiny absolute floor for values that should be zero).
 */
import type { ResultCell, ResultTable } from './contract/analysis';

export interface CompareOptions {
  /** Relative tolerance for float cells (default 1e-9). */
  relative?: number;
  /** Absolute tolerance for float cells near zero (default 1e-12). */
  absolute?: number;
  /** Also require identical column types (default false: integer and float compare as numbers). */
  strictTypes?: boolean;
  /** Stop listing differences after this many (default 50); `differenceCount` still counts all. */
  maxDifferences?: number;
}

export interface ResultDifference {
  kind: 'columns' | 'row-count' | 'cell';
  row?: number;
  column?: string;
  a?: ResultCell;
  b?: ResultCell;
  message: string;
}

export interface CompareOutcome {
  match: boolean;
  differences: ResultDifference[];
  differenceCount: number;
}

export function floatsClose(a: number, b: number, relative = 1e-9, absolute = 1e-12): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const diff = Math.abs(a - b);
  return diff <= absolute || diff <= relative * Math.max(Math.abs(a), Math.abs(b));
}

export function compareResults(a: ResultTable, b: ResultTable, options: CompareOptions = {}): CompareOutcome {
  const relative = options.relative ?? 1e-9;
  const absolute = options.absolute ?? 1e-12;
  const max = options.maxDifferences ?? 50;
  const differences: ResultDifference[] = [];
  let count = 0;
  const add = (d: ResultDifference) => {
    count++;
    if (differences.length < max) differences.push(d);
  };
  const namesA = a.columns.map((c) => c.name);
  const namesB = b.columns.map((c) => c.name);
  if (namesA.length !== namesB.length || namesA.some((n, i) => n !== namesB[i])) {
    add({ kind: 'columns', message: `columns differ: [${namesA.join(', ')}] vs [${namesB.join(', ')}]` });
    return { match: false, differences, differenceCount: count };
  }
  if (options.strictTypes) {
    a.columns.forEach((c, i) => {
      if (c.type !== b.columns[i]!.type)
        add({ kind: 'columns', column: c.name, message: `column "${c.name}" is ${c.type} vs ${b.columns[i]!.type}` });
    });
  }
  if (a.rows.length !== b.rows.length) add({ kind: 'row-count', message: `${a.rows.length} rows vs ${b.rows.length} rows` });
  const n = Math.min(a.rows.length, b.rows.length);
  for (let r = 0; r < n; r++) {
    const ra = a.rows[r]!;
    const rb = b.rows[r]!;
    for (let c = 0; c < a.columns.length; c++) {
      const x = ra[c] ?? null;
      const y = rb[c] ?? null;
      const type = a.columns[c]!.type;
      if (!cellsEqual(x, y, type === 'float' || b.columns[c]!.type === 'float', relative, absolute)) {
        add({
          kind: 'cell',
          row: r,
          column: a.columns[c]!.name,
          a: x,
          b: y,
          message: `row ${r + 1}, "${a.columns[c]!.name}": ${JSON.stringify(x)} vs ${JSON.stringify(y)}`,
        });
      }
    }
  }
  return { match: count === 0, differences, differenceCount: count };
}

function cellsEqual(x: ResultCell, y: ResultCell, float: boolean, relative: number, absolute: number): boolean {
  if (x === null || y === null) return x === y;
  if (typeof x === 'number' && typeof y === 'number') return float ? floatsClose(x, y, relative, absolute) : x === y;
  return x === y;
}
