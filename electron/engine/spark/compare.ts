/**
 * Spark vs Polars, one analysis: the verdict and the first differences.
 * TODO(analyses): delegate to compareResults from shared/results-compare.ts once it is committed;
 * until then this applies the same rules in their simplest form (same columns, same row order,
 * integers and text exactly, floats within a relative tolerance).
 */
import type { ResultCell, ResultTable } from '../../../shared/contract/analysis';
import type { ResultDifference } from '../../../shared/contract/spark';

const MAX_DIFFERENCES = 5;
const FLOAT_TOLERANCE = 1e-9;

function sameCell(a: ResultCell, b: ResultCell, type: string): boolean {
  if (a === null || b === null) return a === b;
  if (type === 'float' && typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= FLOAT_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
  return a === b;
}

export function compareTables(spark: ResultTable, polars: ResultTable): { match: boolean; differences: ResultDifference[] } {
  const differences: ResultDifference[] = [];
  const names = (t: ResultTable) => t.columns.map((c) => c.name).join(', ');
  if (names(spark) !== names(polars)) differences.push({ where: 'columns', spark: names(spark), polars: names(polars) });
  if (spark.rows.length !== polars.rows.length) differences.push({ where: 'row count', spark: spark.rows.length, polars: polars.rows.length });
  const rows = Math.min(spark.rows.length, polars.rows.length);
  for (let r = 0; r < rows && differences.length < MAX_DIFFERENCES; r++) {
    polars.columns.forEach((c, i) => {
      const a = spark.rows[r]![i] ?? null;
      const b = polars.rows[r]![i] ?? null;
      if (differences.length < MAX_DIFFERENCES && !sameCell(a, b, c.type)) differences.push({ where: `row ${r + 1}, ${c.name}`, spark: a, polars: b });
    });
  }
  return { match: differences.length === 0, differences };
}
