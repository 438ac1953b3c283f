/**
 * The original analysis set (catalog entries with `original: true`) written as SQL, for the
 * DuckDB and PostgreSQL peers. It is built from the catalog specs, so the peers do the same work
 * as the Polars runner: the same stages (raw → cleaned by the original null-row drop, done once
 * per run), the same group keys, top N with an "other" bucket, counts and shares.
 *
 * The benchmark times these queries; the correctness oracle lives in test/support/oracle/ and
 * is deliberately not imported here (product code must not depend on test code).
 */
import { ANALYSES, ORIGINAL_CLEANING, dimensionName, resolveParams, type AnalysisSpec, type Dimension } from '../../../shared/analyses';
import { NUMERIC_TYPES, type DatasetColumn } from '../../../shared/types';
import { quoteIdent } from '../../../electron/engine/db/sql';

export type Dialect = 'duckdb' | 'postgres';

export interface SqlPlan {
  /** Shared work done once per run (the cleaned frame), timed with the queries. */
  prepare: string[];
  queries: Array<{ id: string; sql: string }>;
  /** Untimed clean-up after a run. */
  cleanup: string[];
}

export const ORIGINAL_ANALYSES: AnalysisSpec[] = ANALYSES.filter((a) => a.original);
export const ORIGINAL_IDS: string[] = ORIGINAL_ANALYSES.map((a) => a.id);

const CLEANED = 'bench_cleaned';
const DOUBLE = 'DOUBLE PRECISION';

function isNumeric(c: DatasetColumn): boolean {
  return NUMERIC_TYPES.includes(c.type);
}

/** `table.sql` is the quoted, qualified name to query; `table.name` the bare name information_schema knows. */
export function buildOriginalPlan(target: { sql: string; name: string }, columns: DatasetColumn[], dialect: Dialect): SqlPlan {
  const table = target.sql;
  const byName = new Map(columns.map((c) => [c.name, c]));
  const col = (name: string): string => {
    const c = byName.get(name);
    if (!c) throw new Error(`column "${name}" is not in the dataset`);
    return quoteIdent(c.identifier);
  };
  const quantile = (expr: string, p: number) =>
    dialect === 'duckdb' ? `quantile_cont(${expr}, ${p})` : `percentile_cont(${p}) WITHIN GROUP (ORDER BY ${expr})`;
  const stageTable = (spec: AnalysisSpec) => (spec.stage === 'cleaned' && ORIGINAL_CLEANING.dropOriginalNulls ? CLEANED : table);

  const nullDrop = ORIGINAL_ANALYSES.find((a) => a.op.kind === 'null-drop');
  const dropColumns = nullDrop && nullDrop.op.kind === 'null-drop' ? nullDrop.op.columns : [];
  const allPresent = dropColumns.map((c) => `${col(c)} IS NOT NULL`).join(' AND ') || 'TRUE';

  const dimensionExpr = (d: Dimension): string => {
    if ('column' in d) return col(d.column);
    if (d.derived === 'vehicle-age') return `(${col('Year')} - ${col('Vehicle Year')})`;
    return `(2025 - ${col('Vehicle Year')})`;
  };

  const queries: SqlPlan['queries'] = [];
  for (const spec of ORIGINAL_ANALYSES) {
    const from = stageTable(spec);
    const op = spec.op;
    const params = resolveParams(spec, columns);
    switch (op.kind) {
      case 'counts':
        queries.push({ id: spec.id, sql: `SELECT count(*) AS rows, ${columns.length} AS columns FROM ${from}` });
        break;
      case 'schema':
        queries.push({
          id: spec.id,
          sql: `SELECT ordinal_position, column_name, data_type FROM information_schema.columns WHERE table_name = '${target.name.replace(/'/g, "''")}' ORDER BY ordinal_position`,
        });
        break;
      case 'head':
        queries.push({ id: spec.id, sql: `SELECT * FROM ${from} LIMIT ${Number(params.n ?? 5)}` });
        break;
      case 'describe': {
        const numeric = columns.filter(isNumeric);
        if (numeric.length) {
          const parts = numeric.flatMap((c) => {
            const q = quoteIdent(c.identifier);
            return [
              `count(${q})`,
              `count(*) - count(${q})`,
              `avg(${q})`,
              `stddev_samp(${q})`,
              `min(${q})`,
              quantile(q, 0.25),
              quantile(q, 0.5),
              quantile(q, 0.75),
              `max(${q})`,
            ];
          });
          queries.push({ id: `${spec.id}:numeric`, sql: `SELECT ${parts.join(', ')} FROM ${from}` });
        }
        for (const c of columns.filter((x) => !isNumeric(x))) {
          const q = quoteIdent(c.identifier);
          queries.push({
            id: `${spec.id}:${c.name}`,
            sql:
              `SELECT sum(n) FILTER (WHERE v IS NOT NULL) AS count, sum(n) FILTER (WHERE v IS NULL) AS nulls, ` +
              `count(*) FILTER (WHERE v IS NOT NULL) AS distinct_values, ` +
              `(array_agg(v ORDER BY n DESC, v) FILTER (WHERE v IS NOT NULL))[1] AS top, max(n) FILTER (WHERE v IS NOT NULL) AS top_count ` +
              `FROM (SELECT ${q} AS v, count(*) AS n FROM ${from} GROUP BY 1) g`,
          });
        }
        break;
      }
      case 'nulls':
        queries.push({
          id: spec.id,
          sql: `SELECT count(*), ${columns.map((c) => `count(*) - count(${quoteIdent(c.identifier)})`).join(', ')} FROM ${from}`,
        });
        break;
      case 'null-drop':
        queries.push({
          id: spec.id,
          sql: `SELECT count(*) AS rows_before, count(*) FILTER (WHERE ${allPresent}) AS rows_after FROM ${from}`,
        });
        break;
      case 'duplicates':
        queries.push({
          id: spec.id,
          sql: `SELECT (SELECT count(*) FROM ${from}) AS rows, (SELECT count(*) FROM (SELECT DISTINCT * FROM ${from}) d) AS distinct_rows`,
        });
        break;
      case 'group-count': {
        const keys = op.dimensions.map((d, i) => `${dimensionExpr(d)} AS k${i}`);
        const keyNames = op.dimensions.map((_d, i) => `k${i}`);
        const topN = Number(params.topN ?? 0);
        const order = op.order === 'key' ? keyNames.join(', ') : `n DESC, ${keyNames.join(', ')}`;
        const grouped = `SELECT ${keys.join(', ')}, count(*) AS n FROM ${from} GROUP BY ${keyNames.map((_k, i) => i + 1).join(', ')}`;
        const ranked = `SELECT g.*, row_number() OVER (ORDER BY ${order}) AS rk, CAST(sum(n) OVER () AS ${DOUBLE}) AS total FROM (${grouped}) g`;
        const kept = `SELECT ${keyNames.join(', ')}, n, CAST(n AS ${DOUBLE}) / total AS share, FALSE AS other, rk FROM r WHERE ${topN > 0 ? `rk <= ${topN}` : 'TRUE'}`;
        // The long tail folds into one "other" row, last.
        const other = `SELECT ${keyNames.map(() => 'NULL').join(', ')}, sum(n), CAST(sum(n) AS ${DOUBLE}) / max(total), TRUE, max(rk) FROM r WHERE rk > ${topN} HAVING count(*) > 0`;
        const sql =
          topN > 0
            ? `WITH r AS (${ranked}) SELECT * FROM (${kept} UNION ALL ${other}) x ORDER BY other, rk`
            : `WITH r AS (${ranked}) ${kept} ORDER BY rk`;
        queries.push({ id: `${spec.id}:${op.dimensions.map(dimensionName).join(' × ')}`, sql });
        break;
      }
      default:
        throw new Error(`the SQL peers do not implement analysis kind "${op.kind}" (${spec.id})`);
    }
  }

  const prepare = [`CREATE TEMP TABLE ${CLEANED} AS SELECT * FROM ${table} WHERE ${allPresent}`];
  return { prepare, queries, cleanup: [`DROP TABLE IF EXISTS ${CLEANED}`] };
}
