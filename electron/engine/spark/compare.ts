/** Spark vs Polars, one analysis: the verdict and the first differences (shared/results-compare.ts rules). */
import type { ResultTable } from '../../../shared/contract/analysis';
import type { ResultDifference } from '../../../shared/contract/spark';
import { compareResults } from '../../../shared/results-compare';

/** Differences kept with a run: enough to see what differs, small enough to store and show. */
const KEPT_DIFFERENCES = 5;

export function compareTables(spark: ResultTable, polars: ResultTable): { match: boolean; differences: ResultDifference[] } {
  const outcome = compareResults(spark, polars, { maxDifferences: KEPT_DIFFERENCES });
  const differences = outcome.differences.map((d) => ({
    where: d.kind === 'cell' ? `row ${(d.row ?? 0) + 1}, ${d.column ?? ''}` : d.kind === 'row-count' ? 'row count' : 'columns',
    spark: d.a ?? null,
    polars: d.b ?? null,
    message: d.message,
  }));
  if (outcome.differenceCount > differences.length) {
    differences.push({
      where: 'more',
      spark: null,
      polars: null,
      message: `${outcome.differenceCount - differences.length} more differences`,
    });
  }
  return { match: outcome.match, differences };
}
