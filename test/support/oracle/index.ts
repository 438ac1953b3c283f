/**
 * The independent oracle: every catalog analysis written again as DuckDB SQL over the CSV or
 * Parquet file (not over PostgreSQL, and not a port of the Polars code), following the
 * semantics in docs/analyses.md. Tests compare the engine with it; the Spark helper's Databricks
 * emulator "executes" runs with it.
 *
 *   const results = await oracleRun(file, columns, { analyses: [{ id: 'desc-body-type' }], cleaning });
 */
import {
  ANALYSES,
  analysisById,
  CRASH,
  dimensionName,
  MAKE_BRANDS,
  missingRequirements,
  resolveParams,
  SENTINELS,
  type AnalysisSpec,
  type Dimension,
  type GroupByFilter,
  type ResolvedParams,
} from '../../../shared/analyses';
import type { CleaningOptions, ResultCell, ResultCellType, ResultTable } from '../../../shared/contract/analysis';
import type { ColumnType, DatasetColumn } from '../../../shared/types';
import { lit, OracleSession, q, type OracleSource } from './duck';

export { OracleSession } from './duck';

export interface OraclePlan {
  /** Analyses with their parameters (defaults and run-time choices are resolved here); default: whole catalog. */
  analyses?: Array<{ id: string; params?: Record<string, unknown> }>;
  cleaning?: CleaningOptions;
  /** CSV delimiter when not a comma. */
  delimiter?: string;
}

export interface OracleResult {
  id: string;
  status: 'ok' | 'not-applicable' | 'failed';
  table: ResultTable | null;
  params: ResolvedParams;
  reason?: string;
}

const DEFAULT_CLEANING: CleaningOptions = { sentinelsAsNull: false, mergeMakes: false, dropOriginalNulls: true };

/** Runs a plan on a file with DuckDB; one fresh in-memory database per call. */
export async function oracleRun(file: string, columns: DatasetColumn[], plan: OraclePlan = {}): Promise<OracleResult[]> {
  const source: OracleSource = { file, columns };
  if (plan.delimiter) source.delimiter = plan.delimiter;
  const session = await OracleSession.open(source);
  try {
    return await oracleRunOn(session, plan);
  } finally {
    session.close();
  }
}

/** Runs a plan on an open session (reuse it across cleaning options). */
export async function oracleRunOn(session: OracleSession, plan: OraclePlan = {}): Promise<OracleResult[]> {
  await session.clean(plan.cleaning ?? DEFAULT_CLEANING);
  const items: Array<{ id: string; params?: Record<string, unknown> }> = plan.analyses ?? ANALYSES.map((a) => ({ id: a.id }));
  const out: OracleResult[] = [];
  for (const item of items) {
    const spec = analysisById(item.id);
    if (!spec) {
      out.push({ id: item.id, status: 'failed', table: null, params: {}, reason: `No analysis "${item.id}" in the catalog.` });
      continue;
    }
    const missing = missingRequirements(spec, session.columns);
    if (missing.length) {
      out.push({
        id: spec.id,
        status: 'not-applicable',
        table: null,
        params: {},
        reason: `Needs ${missing.map((m) => m.column).join(', ')}.`,
      });
      continue;
    }
    let params: ResolvedParams;
    try {
      params = resolveParams(spec, session.columns, item.params);
    } catch (err) {
      out.push({ id: spec.id, status: 'failed', table: null, params: item.params ?? {}, reason: String(err) });
      continue;
    }
    const table = await compute(new Ctx(session, spec, params));
    out.push({ id: spec.id, status: 'ok', table, params });
  }
  return out;
}

class Ctx {
  constructor(
    readonly s: OracleSession,
    readonly spec: AnalysisSpec,
    readonly params: ResolvedParams,
  ) {}
  get stage(): string {
    return this.spec.stage;
  }
  col(name: string): DatasetColumn {
    const c = this.s.columns.find((x) => x.name === name);
    if (!c) throw new Error(`no column ${name}`);
    return c;
  }
  id(name: string): string {
    return q(this.col(name).identifier);
  }
}

const isNum = (t: ColumnType) => t === 'integer' || t === 'bigint' || t === 'double' || t === 'numeric';
function cellType(t: ColumnType): ResultCellType {
  return t === 'integer' || t === 'bigint' ? 'integer' : t === 'double' || t === 'numeric' ? 'float' : t === 'boolean' ? 'boolean' : 'text';
}
/** A column as a result key: dates and timestamps as the ISO text the engine prints. */
function keySql(expr: string, t: ColumnType): string {
  if (t === 'date') return `strftime(${expr}, '%Y-%m-%d')`;
  if (t === 'timestamp') return `strftime(${expr}, '%Y-%m-%dT%H:%M:%S.%gZ')`;
  return expr;
}

function dimSql(ctx: Ctx, d: Dimension): { sql: string; name: string; type: ColumnType } {
  if ('column' in d) {
    const c = ctx.col(d.column);
    return { sql: keySql(q(c.identifier), c.type), name: dimensionName(d), type: c.type };
  }
  const vy = `CAST(${ctx.id(CRASH.vehicleYear)} AS BIGINT)`;
  const sql = d.derived === 'vehicle-age' ? `(CAST(${ctx.id(CRASH.year)} AS BIGINT) - ${vy})` : `(2025 - ${vy})`;
  return { sql, name: dimensionName(d), type: 'bigint' };
}

async function compute(ctx: Ctx): Promise<ResultTable> {
  const op = ctx.spec.op;
  switch (op.kind) {
    case 'counts':
      return table(
        [
          ['rows', 'integer'],
          ['columns', 'integer'],
        ],
        [[(await ctx.s.one(`SELECT count(*) FROM ${ctx.stage}`))[0]!, ctx.s.columns.length]],
      );
    case 'schema':
      return table(
        [
          ['position', 'integer'],
          ['column', 'text'],
          ['type', 'text'],
        ],
        ctx.s.columns.map((c, i) => [i + 1, c.name, c.type]),
      );
    case 'head': {
      const cols = ctx.s.columns;
      const rows = await ctx.s.rows(
        `SELECT ${cols.map((c) => keySql(q(c.identifier), c.type)).join(', ')} FROM ${ctx.stage} ORDER BY __row LIMIT ${Number(ctx.params.n)}`,
      );
      return { columns: cols.map((c) => ({ name: c.name, type: cellType(c.type) })), rows };
    }
    case 'describe':
      return describe(ctx);
    case 'profile':
      return profile(ctx);
    case 'nulls': {
      const cols = ctx.s.columns;
      const r = await ctx.s.one(`SELECT count(*), ${cols.map((c) => `count(*) - count(${q(c.identifier)})`).join(', ')} FROM ${ctx.stage}`);
      const total = r[0] as number;
      return table(
        [
          ['column', 'text'],
          ['nulls', 'integer'],
          ['share', 'float'],
        ],
        cols.map((c, i) => [c.name, r[i + 1]!, total ? (r[i + 1] as number) / total : null]),
      );
    }
    case 'sentinels': {
      const total = (await ctx.s.one(`SELECT count(*) FROM ${ctx.stage}`))[0] as number;
      const rows: ResultCell[][] = [];
      for (const c of ctx.s.columns.filter((x) => x.type === 'text')) {
        const v = q(c.identifier);
        const found = await ctx.s.rows(
          `SELECT ${v}, count(*) AS n FROM ${ctx.stage} WHERE ${v} IN (${SENTINELS.map(lit).join(', ')}) OR suffix(${v}, '*') GROUP BY ${v} ORDER BY n DESC, ${v} ASC`,
        );
        for (const [value, n] of found)
          rows.push([
            c.name,
            value!,
            SENTINELS.includes(value as string) ? 'sentinel' : 'footnote',
            n!,
            total ? (n as number) / total : null,
          ]);
      }
      return table(
        [
          ['column', 'text'],
          ['value', 'text'],
          ['kind', 'text'],
          ['count', 'integer'],
          ['share', 'float'],
        ],
        rows,
      );
    }
    case 'null-drop': {
      const cond = op.columns.map((n) => `${ctx.id(n)} IS NOT NULL`).join(' AND ');
      const [before, after] = await ctx.s.one(`SELECT count(*), count(*) FILTER (WHERE ${cond}) FROM ${ctx.stage}`);
      return table(
        [
          ['rows_before', 'integer'],
          ['rows_after', 'integer'],
          ['dropped', 'integer'],
        ],
        [[before!, after!, (before as number) - (after as number)]],
      );
    }
    case 'duplicates': {
      const all = ctx.s.columns.map((c) => q(c.identifier)).join(', ');
      const [rows, distinct] = await ctx.s.one(
        `SELECT (SELECT count(*) FROM ${ctx.stage}), (SELECT count(*) FROM (SELECT DISTINCT ${all} FROM ${ctx.stage}))`,
      );
      return table(
        [
          ['rows', 'integer'],
          ['distinct_rows', 'integer'],
          ['duplicate_rows', 'integer'],
        ],
        [[rows!, distinct!, (rows as number) - (distinct as number)]],
      );
    }
    case 'duplicate-values': {
      const v = ctx.id(op.column);
      const r = await ctx.s.one(
        `SELECT count(${v}), count(DISTINCT ${v}),
                (SELECT count(*) FROM (SELECT ${v} FROM ${ctx.stage} WHERE ${v} IS NOT NULL GROUP BY ${v} HAVING count(*) > 1)),
                (SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM ${ctx.stage} WHERE ${v} IS NOT NULL GROUP BY ${v} HAVING count(*) > 1))
         FROM ${ctx.stage}`,
      );
      return table(
        [
          ['rows_with_vin', 'integer'],
          ['distinct_vins', 'integer'],
          ['duplicated_vins', 'integer'],
          ['rows_with_duplicated_vin', 'integer'],
          ['excess_rows', 'integer'],
        ],
        [[r[0]!, r[1]!, r[2]!, r[3]!, (r[0] as number) - (r[1] as number)]],
      );
    }
    case 'out-of-range': {
      const limit = (l: number | string) => (typeof l === 'number' ? l : Number(ctx.params[l]));
      const conds = op.rules.map((r) => {
        const v = `CAST(${ctx.id(r.column)} AS DOUBLE)`;
        if (r.test === 'below') return `${v} < ${limit(r.limit)}`;
        if (r.test === 'above') return `${v} > ${limit(r.limit)}`;
        return `${v} > CAST(${ctx.id(r.otherColumn!)} AS DOUBLE) + ${limit(r.limit)}`;
      });
      const r = await ctx.s.one(`SELECT count(*), ${conds.map((c) => `count(*) FILTER (WHERE ${c})`).join(', ')} FROM ${ctx.stage}`);
      const total = r[0] as number;
      return table(
        [
          ['rule', 'text'],
          ['column', 'text'],
          ['limit', 'integer'],
          ['rows', 'integer'],
          ['share', 'float'],
        ],
        op.rules.map((rule, i) => [rule.id, rule.column, limit(rule.limit), r[i + 1]!, total ? (r[i + 1] as number) / total : null]),
      );
    }
    case 'make-merge': {
      const v = ctx.id(op.column);
      const map = Object.entries(MAKE_BRANDS)
        .map(([code, brand]) => `(${lit(code)}, ${lit(brand)})`)
        .join(', ');
      const rows = await ctx.s.rows(
        `SELECT m.brand, g.code, g.n FROM (SELECT ${v} AS code, count(*) AS n FROM ${ctx.stage} WHERE ${v} IS NOT NULL GROUP BY ${v}) g
         JOIN (VALUES ${map}) AS m(code, brand) ON m.code = g.code ORDER BY m.brand, g.n DESC, g.code`,
      );
      return table(
        [
          ['brand', 'text'],
          ['code', 'text'],
          ['rows', 'integer'],
        ],
        rows,
      );
    }
    case 'group-count': {
      const dims = op.dimensions.map((d) => dimSql(ctx, d));
      return groupCount(ctx, dims, op.order, Number(ctx.params.topN));
    }
    case 'value-counts': {
      const c = ctx.col(String(ctx.params.column));
      return groupCount(ctx, [{ sql: keySql(q(c.identifier), c.type), name: 'value', type: c.type }], 'count', Number(ctx.params.topN));
    }
    case 'trend':
      return trend(ctx, dimSql(ctx, { column: op.by }), dimSql(ctx, op.dimension), op.order, Number(ctx.params.topN));
    case 'correlation':
      return correlation(ctx, op.columns, op.method);
    case 'generic-correlation':
      return correlation(ctx, ctx.params.columns as string[], ctx.params.method as 'pearson' | 'spearman');
    case 'cramers-v':
      return cramersV(ctx, op.columns);
    case 'histogram':
      return histogram(ctx);
    case 'group-by':
      return groupBy(ctx);
  }
}

function table(cols: Array<[string, ResultCellType]>, rows: ResultCell[][]): ResultTable {
  return { columns: cols.map(([name, type]) => ({ name, type })), rows };
}

/** Group counts with SQL ranks: count desc then keys ascending (nulls last), or keys only; top N + other. */
async function groupCount(
  ctx: Ctx,
  dims: Array<{ sql: string; name: string; type: ColumnType }>,
  order: 'count' | 'key',
  topN: number,
): Promise<ResultTable> {
  const keys = dims.map((_, i) => `k${i}`);
  const orderBy = [...(order === 'count' ? ['n DESC'] : []), ...keys.map((k) => `${k} ASC NULLS LAST`)].join(', ');
  const limit = topN > 0 ? topN : 2 ** 53;
  const rows = await ctx.s.rows(`
    WITH g AS (SELECT ${dims.map((d, i) => `${d.sql} AS k${i}`).join(', ')}, count(*) AS n FROM ${ctx.stage} GROUP BY ALL),
         r AS (SELECT *, row_number() OVER (ORDER BY ${orderBy}) AS rk FROM g),
         t AS (SELECT count(*) AS total FROM ${ctx.stage})
    SELECT * EXCLUDE (o) FROM (
      SELECT ${keys.join(', ')}, n, n / total, false, rk AS o FROM r, t WHERE rk <= ${limit}
      UNION ALL
      SELECT ${keys.map(() => 'NULL').join(', ')}, sum(n), sum(n) / any_value(total), true, ${limit} + 1 FROM r, t WHERE rk > ${limit} HAVING count(*) > 0
    ) ORDER BY o`);
  return table(
    [
      ...dims.map((d) => [d.name, cellType(d.type)] as [string, ResultCellType]),
      ['count', 'integer'],
      ['share', 'float'],
      ['other', 'boolean'],
    ],
    rows,
  );
}

async function trend(
  ctx: Ctx,
  by: { sql: string; name: string; type: ColumnType },
  dim: { sql: string; name: string; type: ColumnType },
  order: 'overall-count' | 'key',
  topN: number,
): Promise<ResultTable> {
  const rank = order === 'key' ? 'd ASC NULLS LAST' : 'n DESC, d ASC NULLS LAST';
  const rows = await ctx.s.rows(`
    WITH base AS (SELECT ${by.sql} AS y, ${dim.sql} AS d FROM ${ctx.stage}),
         o AS (SELECT d, count(*) AS n FROM base GROUP BY d),
         ro AS (SELECT d, row_number() OVER (ORDER BY ${rank}) AS rk FROM o),
         j AS (SELECT b.y, b.d, ro.rk, (${topN} > 0 AND ro.rk > ${topN}) AS is_other FROM base b JOIN ro ON b.d IS NOT DISTINCT FROM ro.d),
         g AS (SELECT y, CASE WHEN is_other THEN NULL ELSE d END AS d2, is_other, min(rk) AS rk, count(*) AS n FROM j GROUP BY y, d2, is_other),
         yt AS (SELECT y, sum(n) AS t FROM g GROUP BY y)
    SELECT g.y, g.d2, g.n, g.n / yt.t, g.is_other FROM g JOIN yt ON g.y IS NOT DISTINCT FROM yt.y
    ORDER BY g.y ASC NULLS LAST, g.is_other, g.rk`);
  return table(
    [
      [by.name, cellType(by.type)],
      [dim.name, cellType(dim.type)],
      ['count', 'integer'],
      ['share', 'float'],
      ['other', 'boolean'],
    ],
    rows,
  );
}

const PAIRS: Array<[string, ResultCellType]> = [
  ['column_a', 'text'],
  ['column_b', 'text'],
  ['value', 'float'],
  ['n', 'integer'],
];

/** DuckDB's own corr() over pairwise-complete rows; Spearman on average ranks (rank + (ties − 1) / 2). */
async function correlation(ctx: Ctx, names: string[], method: 'pearson' | 'spearman'): Promise<ResultTable> {
  const rows: ResultCell[][] = [];
  for (const a of names) {
    for (const b of names) {
      const base = `SELECT * FROM (SELECT CAST(${ctx.id(a)} AS DOUBLE) AS x, CAST(${ctx.id(b)} AS DOUBLE) AS y FROM ${ctx.stage}) WHERE x IS NOT NULL AND y IS NOT NULL AND NOT isnan(x) AND NOT isnan(y)`;
      const src =
        method === 'pearson'
          ? base
          : `SELECT CAST(rank() OVER (ORDER BY x) AS DOUBLE) + (count(*) OVER (PARTITION BY x) - 1) / 2.0 AS x,
                    CAST(rank() OVER (ORDER BY y) AS DOUBLE) + (count(*) OVER (PARTITION BY y) - 1) / 2.0 AS y FROM (${base})`;
      const [n, r] = await ctx.s.one(
        `SELECT count(*), CASE WHEN count(*) >= 2 AND var_pop(x) > 0 AND var_pop(y) > 0 THEN corr(x, y) END FROM (${src})`,
      );
      rows.push([a, b, r ?? null, n!]);
    }
  }
  return table(PAIRS, rows);
}

/** χ² summed over every cell of the r × c table (zero cells included), V = sqrt(χ² / (n (min(r, c) − 1))). */
async function cramersV(ctx: Ctx, names: string[]): Promise<ResultTable> {
  const rows: ResultCell[][] = [];
  for (const a of names) {
    for (const b of names) {
      const [n, v] = await ctx.s.one(`
        WITH p AS (SELECT ${ctx.id(a)} AS a, ${ctx.id(b)} AS b FROM ${ctx.stage} WHERE ${ctx.id(a)} IS NOT NULL AND ${ctx.id(b)} IS NOT NULL),
             cells AS (SELECT a, b, count(*) AS o FROM p GROUP BY a, b),
             ra AS (SELECT a, count(*) AS na FROM p GROUP BY a),
             cb AS (SELECT b, count(*) AS nb FROM p GROUP BY b),
             tot AS (SELECT count(*) AS n, (SELECT count(*) FROM ra) AS r, (SELECT count(*) FROM cb) AS c FROM p),
             chi AS (
               SELECT sum(power(coalesce(cells.o, 0) - ra.na * cb.nb / tot.n, 2) / (ra.na * cb.nb / tot.n)) AS chi2
               FROM ra CROSS JOIN cb CROSS JOIN tot LEFT JOIN cells ON cells.a = ra.a AND cells.b = cb.b)
        SELECT tot.n, CASE WHEN tot.n > 0 AND least(tot.r, tot.c) >= 2 THEN sqrt(greatest(chi.chi2, 0) / (tot.n * (least(tot.r, tot.c) - 1))) END FROM tot, chi`);
      rows.push([a, b, v ?? null, n!]);
    }
  }
  return table(PAIRS, rows);
}

async function histogram(ctx: Ctx): Promise<ResultTable> {
  const v = `CAST(${ctx.id(String(ctx.params.column))} AS DOUBLE)`;
  const bins = Number(ctx.params.bins);
  const cols: Array<[string, ResultCellType]> = [
    ['bin', 'integer'],
    ['lower', 'float'],
    ['upper', 'float'],
    ['count', 'integer'],
  ];
  const [lo, hi, n] = (await ctx.s.one(`SELECT min(${v}), max(${v}), count(${v}) FROM ${ctx.stage} WHERE NOT isnan(${v})`)) as [
    number | null,
    number | null,
    number,
  ];
  if (!n || lo === null || hi === null) return table(cols, []);
  if (lo === hi) return table(cols, [[0, lo, hi, n]]);
  const rows = await ctx.s.rows(`
    WITH b AS (SELECT least(CAST(floor((${v} - ${lo}) * CAST(${bins} AS DOUBLE) / (CAST(${hi} AS DOUBLE) - ${lo})) AS BIGINT), ${bins - 1}) AS bin
               FROM ${ctx.stage} WHERE ${v} IS NOT NULL AND NOT isnan(${v})),
         c AS (SELECT bin, count(*) AS n FROM b GROUP BY bin)
    SELECT r.range AS bin, ${lo} + (CAST(${hi} AS DOUBLE) - ${lo}) * r.range / ${bins},
           CASE WHEN r.range = ${bins - 1} THEN CAST(${hi} AS DOUBLE) ELSE ${lo} + (CAST(${hi} AS DOUBLE) - ${lo}) * (r.range + 1) / ${bins} END,
           coalesce(c.n, 0)
    FROM range(${bins}) r LEFT JOIN c ON c.bin = r.range ORDER BY r.range`);
  return table(cols, rows);
}

function filterSql(ctx: Ctx, f: GroupByFilter): string {
  const c = ctx.col(f.column);
  const id = q(c.identifier);
  if (f.op !== 'isNull' && f.op !== 'notNull' && f.op !== 'in' && (f.value ?? null) === null) return 'false';
  if (f.op === 'in') f = { ...f, values: (f.values ?? []).filter((v) => v !== null && v !== undefined) };
  const value = (v: unknown) =>
    isNum(c.type) ? String(Number(v)) : c.type === 'boolean' ? String(v === true || v === 'true') : lit(String(v));
  switch (f.op) {
    case 'isNull':
      return `${id} IS NULL`;
    case 'notNull':
      return `${id} IS NOT NULL`;
    case 'in':
      return (f.values ?? []).length ? `${id} IN (${(f.values ?? []).map(value).join(', ')})` : 'false';
    case 'eq':
      return `${id} = ${value(f.value)}`;
    case 'ne':
      return `${id} <> ${value(f.value)}`;
    case 'gt':
      return `${id} > ${value(f.value)}`;
    case 'ge':
      return `${id} >= ${value(f.value)}`;
    case 'lt':
      return `${id} < ${value(f.value)}`;
    case 'le':
      return `${id} <= ${value(f.value)}`;
  }
}

async function groupBy(ctx: Ctx): Promise<ResultTable> {
  const dims = (ctx.params.dimensions as string[]).map((n) => dimSql(ctx, { column: n }));
  const agg = String(ctx.params.aggregate);
  const m = ctx.params.measure ? `CAST(${ctx.id(String(ctx.params.measure))} AS DOUBLE)` : null;
  const value =
    agg === 'count'
      ? m
        ? `count(${m})`
        : 'count(*)'
      : agg === 'mean'
        ? `avg(${m})`
        : agg === 'median'
          ? `quantile_cont(${m}, 0.5)`
          : `${agg}(${m})`;
  const f = ctx.params.filter as GroupByFilter | null;
  const topN = Number(ctx.params.topN);
  const limit = topN > 0 ? topN : 2 ** 53;
  const keys = dims.map((_, i) => `k${i}`);
  const rows = await ctx.s.rows(`
    WITH base AS (SELECT *, ${dims.map((d, i) => `${d.sql} AS k${i}`).join(', ')} FROM ${ctx.stage}${f ? ` WHERE ${filterSql(ctx, f)}` : ''}),
         g AS (SELECT ${keys.join(', ')}, CAST(${value} AS DOUBLE) AS v, count(*) AS n FROM base GROUP BY ALL),
         r AS (SELECT *, row_number() OVER (ORDER BY v DESC NULLS LAST, ${keys.map((k) => `${k} ASC NULLS LAST`).join(', ')}) AS rk FROM g)
    SELECT * EXCLUDE (o) FROM (
      SELECT ${keys.join(', ')}, v, n, false, rk AS o FROM r WHERE rk <= ${limit}
      UNION ALL
      SELECT ${keys.map(() => 'NULL').join(', ')}, (SELECT CAST(${value} AS DOUBLE) FROM base JOIN r ON ${keys.map((k) => `base.${k} IS NOT DISTINCT FROM r.${k}`).join(' AND ')} WHERE r.rk > ${limit}),
             sum(n), true, ${limit} + 1 FROM r WHERE rk > ${limit} HAVING count(*) > 0
    ) ORDER BY o`);
  return table(
    [
      ...dims.map((d) => [d.name, cellType(d.type)] as [string, ResultCellType]),
      ['value', 'float'],
      ['rows', 'integer'],
      ['other', 'boolean'],
    ],
    rows,
  );
}

/** Per-column statistics with SQL aggregates: sample std, linear-interpolated quantiles, distinct non-null values. */
async function columnStats(ctx: Ctx, quantiles: number[]) {
  const out: Array<{
    count: number;
    nulls: number;
    distinct: number;
    mean: ResultCell;
    std: ResultCell;
    min: ResultCell;
    max: ResultCell;
    qs: ResultCell[];
  }> = [];
  for (const c of ctx.s.columns) {
    const id = q(c.identifier);
    const num = isNum(c.type);
    const d = `CAST(${id} AS DOUBLE)`;
    const extra = num
      ? `avg(${d}), CASE WHEN count(${id}) > 1 THEN stddev_samp(${d}) END, CAST(min(${id}) AS DOUBLE), CAST(max(${id}) AS DOUBLE), ${quantiles.map((p) => `quantile_cont(${d}, ${p})`).join(', ')}`
      : `NULL, NULL, ${keySql(`min(${id})`, c.type)}, ${keySql(`max(${id})`, c.type)}, ${quantiles.map(() => 'NULL').join(', ')}`;
    const r = await ctx.s.one(`SELECT count(${id}), count(*) - count(${id}), count(DISTINCT ${id}), ${extra} FROM ${ctx.stage}`);
    out.push({
      count: r[0] as number,
      nulls: r[1] as number,
      distinct: r[2] as number,
      mean: r[3]!,
      std: r[4]!,
      min: r[5]!,
      max: r[6]!,
      qs: r.slice(7),
    });
  }
  return out;
}

async function topValues(ctx: Ctx, c: DatasetColumn, k: number): Promise<ResultCell[][]> {
  const id = q(c.identifier);
  return ctx.s.rows(
    `SELECT ${keySql(id, c.type)} AS v, count(*) AS n FROM ${ctx.stage} WHERE ${id} IS NOT NULL GROUP BY ${id} ORDER BY n DESC, ${id} ASC LIMIT ${k}`,
  );
}

async function describe(ctx: Ctx): Promise<ResultTable> {
  const stats = await columnStats(ctx, [0.25, 0.5, 0.75]);
  const rows: ResultCell[][] = [];
  for (const [i, c] of ctx.s.columns.entries()) {
    const s = stats[i]!;
    if (isNum(c.type))
      rows.push([c.name, c.type, s.count, s.nulls, s.mean, s.std, s.min, s.qs[0]!, s.qs[1]!, s.qs[2]!, s.max, s.distinct, null, null]);
    else {
      const top = c.type === 'text' ? (await topValues(ctx, c, 1))[0] : undefined;
      rows.push([
        c.name,
        c.type,
        s.count,
        s.nulls,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        s.distinct,
        top ? top[0]! : null,
        top ? top[1]! : null,
      ]);
    }
  }
  return table(
    [
      ['column', 'text'],
      ['type', 'text'],
      ['count', 'integer'],
      ['nulls', 'integer'],
      ['mean', 'float'],
      ['std', 'float'],
      ['min', 'float'],
      ['p25', 'float'],
      ['p50', 'float'],
      ['p75', 'float'],
      ['max', 'float'],
      ['distinct', 'integer'],
      ['top', 'text'],
      ['top_count', 'integer'],
    ],
    rows,
  );
}

async function profile(ctx: Ctx): Promise<ResultTable> {
  const k = Number(ctx.params.topValues);
  const stats = await columnStats(ctx, [0.05, 0.25, 0.5, 0.75, 0.95]);
  const total = (await ctx.s.one(`SELECT count(*) FROM ${ctx.stage}`))[0] as number;
  const text = (v: ResultCell) => (v === null ? null : String(v));
  const rows: ResultCell[][] = [];
  for (const [i, c] of ctx.s.columns.entries()) {
    const s = stats[i]!;
    const tops = (await topValues(ctx, c, k)).map(([v, n]) => `${text(v!)} (${n})`).join('; ');
    rows.push([
      c.name,
      c.type,
      total,
      s.nulls,
      total ? s.nulls / total : null,
      s.distinct,
      text(s.min),
      text(s.max),
      s.mean,
      s.std,
      ...s.qs,
      tops || null,
    ]);
  }
  return table(
    [
      ['column', 'text'],
      ['type', 'text'],
      ['rows', 'integer'],
      ['nulls', 'integer'],
      ['null_share', 'float'],
      ['distinct', 'integer'],
      ['min', 'text'],
      ['max', 'text'],
      ['mean', 'float'],
      ['std', 'float'],
      ['p05', 'float'],
      ['p25', 'float'],
      ['p50', 'float'],
      ['p75', 'float'],
      ['p95', 'float'],
      ['top_values', 'text'],
    ],
    rows,
  );
}
