/**
 * drop: the loop a user lives with, from a CSV file to every original result ready. The product
 * imports the file (committed in PostgreSQL, rejects kept; the import starts the original
 * analyses on the frame it built before its COMMIT and proves that frame equal to the table), then
 * runs the original analyses, which takes those results once the frame is proven. Peers, each from the
 * same file: DuckDB straight on the CSV (`read_csv` into a table typed like the product's, then
 * the same queries), and nodejs-polars straight on the CSV (`readCSV` with the same types, then
 * the product's own ops through `runAnalyses`, no PostgreSQL).
 */
import pl from 'nodejs-polars';
import type { AnalysisRun } from '../../../shared/contract/analysis';
import type { DatasetColumn } from '../../../shared/types';
import { wireColumn } from '../../../electron/engine/analysis/columns';
import { planAnalyses, runAnalyses } from '../../../electron/engine/analysis/runner';
import { checkpoint, deleteDataset, product, type BenchContext } from '../context';
import { DUCK_TABLE, DuckPeer } from '../peers/duckdb';
import { buildOriginalPlan, ORIGINAL_IDS } from '../peers/original-sql';
import { measureAll, type Contender } from '../protocol';
import type { SectionResult } from '../types';
import { sectionStatus } from './import';

export async function dropSection(ctx: BenchContext): Promise<SectionResult> {
  const name = `${ctx.datasetName}-drop`;
  /** The columns the product inferred (its first run); the peers read the file with the same types. */
  let columns: DatasetColumn[] | null = null;
  const runs: Array<{
    importSeconds: number;
    loadSource: AnalysisRun['loadSource'];
    loadMs: number;
    runMs: number;
    failed: string[];
    /** Milliseconds from the start to the first progress of each import phase, and to each job's end. */
    breakdown: Record<string, number>;
  }> = [];

  const productContender: Contender = {
    id: 'drop.product',
    label: 'SparkPolar: import (committed) → every original result ready',
    rows: ctx.rows,
    bytes: ctx.bytes,
    before: async () => {
      await deleteDataset(ctx, name);
      await checkpoint(ctx);
    },
    run: async () => {
      const t0 = process.hrtime.bigint();
      const breakdown: Record<string, number> = {};
      const seen = (step: string) => (breakdown[step] ??= Math.round(Number(process.hrtime.bigint() - t0) / 1e6));
      const imported = await product('dataset/import', () =>
        ctx.client.run(
          'dataset/import',
          { path: ctx.file, name },
          { signal: ctx.signal, onProgress: (p) => seen(`import ${p.phase ?? 'progress'}`) },
        ),
      );
      const importSeconds = seen('import done') / 1e3;
      const run = await ctx.client.run(
        'analysis/run',
        { dataset: name, version: imported.version, analyses: ORIGINAL_IDS, fresh: true },
        { signal: ctx.signal },
      );
      seen('analysis/run done');
      columns ??= imported.columns;
      const failed = run.results.filter((r) => r.status !== 'ok').map((r) => `${r.id}: ${r.status}`);
      runs.push({ importSeconds, loadSource: run.loadSource, loadMs: run.loadMs, runMs: run.totalMs, failed, breakdown });
      if (failed.length === run.results.length) throw new Error(`every analysis failed: ${failed[0]}`);
    },
    notes: () => ({ analyses: ORIGINAL_IDS, runs }),
  };

  let duckVersion = '';
  const duckdb: Contender = {
    id: 'drop.duckdb_csv',
    label: 'DuckDB straight on the CSV: read_csv into a typed table + the same queries',
    rows: ctx.rows,
    bytes: ctx.bytes,
    run: async () => {
      if (!columns) throw new Error('the product run did not give the column types');
      const duck = await DuckPeer.open();
      duckVersion = duck.version;
      try {
        const rows = await duck.loadCsv(ctx.file, columns);
        if (rows !== ctx.rows) throw new Error(`DuckDB read ${rows} rows where the file has ${ctx.rows}`);
        const plan = buildOriginalPlan(
          { sql: DUCK_TABLE, name: DUCK_TABLE },
          columns.map((c) => ({ ...c, identifier: c.name })),
          'duckdb',
        );
        await duck.runPlan(plan);
      } finally {
        duck.close();
      }
    },
    notes: () => ({ duckdb: duckVersion, sql: 'tools/bench/peers/original-sql.ts' }),
  };

  const polarsCsv: Contender = {
    id: 'drop.polars_csv',
    label: 'nodejs-polars straight on the CSV: readCSV with the same types + the product’s ops, no PostgreSQL',
    rows: ctx.rows,
    bytes: ctx.bytes,
    run: async () => {
      if (!columns) throw new Error('the product run did not give the column types');
      const cols = columns;
      const dtypes = Object.fromEntries(cols.map((c) => [c.name, wireColumn(c).wire]));
      const read = pl.readCSV(ctx.file, { hasHeader: true, dtypes, quoteChar: '"', sep: ',' });
      const frame = read.rename(Object.fromEntries(cols.map((c) => [c.name, c.identifier])));
      if (frame.height !== ctx.rows) throw new Error(`Polars read ${frame.height} rows where the file has ${ctx.rows}`);
      const ran = await runAnalyses({ columns: cols, frame, plan: planAnalyses(cols, ORIGINAL_IDS), signal: ctx.signal });
      if (ran.results.every((r) => r.status !== 'ok')) throw new Error('every analysis failed');
    },
  };

  try {
    // The product first in each round: its import gives the column types the peers read the file with.
    const measurements = await measureAll(ctx.options.protocol, [productContender, duckdb, polarsCsv], {
      signal: ctx.signal,
      onSample: (c, s, round, warm) =>
        ctx.log(`  ${c.id}${warm ? ' (warm-up)' : ` #${round - ctx.options.protocol.warmup + 1}`}: ${s.toFixed(2)} s`),
    });
    return { name: 'drop', status: sectionStatus(measurements), measurements, facts: { dataset: name, analyses: ORIGINAL_IDS } };
  } finally {
    await deleteDataset(ctx, name);
  }
}
