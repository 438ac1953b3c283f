/**
 * analyze: the original analysis set (catalog entries with `original: true`) in Polars through the
 * product's runner, vs the same queries in DuckDB (in-memory table from the same CSV) and in
 * PostgreSQL SQL on the imported table. Each side is timed on data already in its engine: the
 * runner's own load time (snapshot or PostgreSQL) is taken out of its wall time, DuckDB's CSV
 * load is measured on its own, PostgreSQL's table is already there.
 */
import type { AnalysisRun } from '../../../shared/contract/analysis';
import { qualifiedTable } from '../../../electron/engine/catalog/catalog';
import { ensureDataset, product, type BenchContext } from '../context';
import { DUCK_TABLE, DuckPeer } from '../peers/duckdb';
import { buildOriginalPlan, ORIGINAL_IDS } from '../peers/original-sql';
import { fromSamples, measureAll, unavailable, type Contender } from '../protocol';
import type { Measurement, SectionResult } from '../types';
import { sectionStatus } from './import';

export async function analyzeSection(ctx: BenchContext): Promise<SectionResult> {
  let dataset;
  try {
    dataset = await ensureDataset(ctx);
  } catch (err) {
    const ids = ['analyze.polars', 'analyze.duckdb', 'analyze.postgres'];
    return {
      name: 'analyze',
      status: 'not available',
      reason: err instanceof Error ? err.message : String(err),
      measurements: ids.map((id) => unavailable(id, id, err)),
    };
  }
  const measurements: Measurement[] = [];
  const runs: Array<Pick<AnalysisRun, 'loadMs' | 'loadSource' | 'totalMs'> & { failed: string[] }> = [];

  const polars: Contender = {
    id: 'analyze.polars',
    label: 'SparkPolar analyses in Polars (analysis/run, fresh), load excluded',
    rows: dataset.rows,
    run: async () => {
      const started = process.hrtime.bigint();
      const run = await product('analysis/run', () =>
        ctx.client.run(
          'analysis/run',
          { dataset: dataset.dataset, version: dataset.version, analyses: ORIGINAL_IDS, fresh: true },
          { signal: ctx.signal },
        ),
      );
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      const failed = run.results.filter((r) => r.status !== 'ok').map((r) => `${r.id}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`);
      runs.push({ loadMs: run.loadMs, loadSource: run.loadSource, totalMs: run.totalMs, failed });
      if (failed.length === run.results.length) throw new Error(`every analysis failed: ${failed[0]}`);
      return wall - run.loadMs / 1000;
    },
    notes: () => ({ analyses: ORIGINAL_IDS, runs }),
  };

  let duck: DuckPeer | null = null;
  let duckError: unknown = null;
  const duckPlan = buildOriginalPlan(
    { sql: DUCK_TABLE, name: DUCK_TABLE },
    dataset.columns.map((c) => ({ ...c, identifier: c.name })),
    'duckdb',
  );
  try {
    ctx.log('  loading the CSV into DuckDB (in-memory)');
    const started = process.hrtime.bigint();
    duck = await DuckPeer.open();
    const rows = await duck.loadCsv(ctx.file, dataset.columns);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (rows !== dataset.rows) throw new Error(`DuckDB read ${rows} rows, the product imported ${dataset.rows}`);
    measurements.push(
      fromSamples('analyze.duckdb_load', 'DuckDB read_csv into an in-memory table (once, context)', [seconds], { rows, bytes: ctx.bytes }),
    );
  } catch (err) {
    duck?.close();
    duck = null;
    duckError = err;
    measurements.push(unavailable('analyze.duckdb_load', 'DuckDB read_csv into an in-memory table', err));
  }
  const duckdb: Contender = {
    id: 'analyze.duckdb',
    label: `DuckDB ${duck?.version ?? ''} on an in-memory table, same queries`.replace('  ', ' '),
    rows: dataset.rows,
    run: async () => {
      if (!duck) throw duckError;
      await duck.runPlan(duckPlan);
    },
    after: async () => duck?.cleanup(duckPlan),
    notes: () => ({ queries: duckPlan.queries.length, sql: 'tools/bench/peers/original-sql.ts (built from the catalog specs)' }),
  };

  const pgPlan = buildOriginalPlan({ sql: qualifiedTable(dataset.table), name: dataset.table }, dataset.columns, 'postgres');
  const postgres: Contender = {
    id: 'analyze.postgres',
    label: 'PostgreSQL SQL on the imported table, same queries',
    rows: dataset.rows,
    run: async () => {
      await ctx.engine.ctx.db.withClient(async (client) => {
        try {
          for (const sql of pgPlan.prepare) await client.query(sql);
          for (const q of pgPlan.queries) await client.query(q.sql);
        } finally {
          for (const sql of pgPlan.cleanup) await client.query(sql).catch(() => undefined);
        }
      });
    },
    notes: () => ({ queries: pgPlan.queries.length }),
  };

  try {
    measurements.unshift(
      ...(await measureAll(ctx.options.protocol, [polars, duckdb, postgres], {
        signal: ctx.signal,
        onSample: (c, s, round, warm) =>
          ctx.log(`  ${c.id}${warm ? ' (warm-up)' : ` #${round - ctx.options.protocol.warmup + 1}`}: ${s.toFixed(2)} s`),
      })),
    );
  } finally {
    duck?.close();
  }
  return {
    name: 'analyze',
    status: sectionStatus(measurements),
    measurements,
    facts: { dataset: dataset.dataset, version: dataset.version, analyses: ORIGINAL_IDS },
  };
}
