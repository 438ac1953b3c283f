/**
 * import: the product's importer as `sparkpolar import` runs it (the `dataset/import` job, type
 * inference and catalog entry included, CSV → PostgreSQL only: the desktop's frame and early
 * analyses are timed by the drop section) vs psql `\copy` into an equivalent typed table vs pandas `read_csv` + `to_sql`,
 * interleaved on the same file; then the importer's peak memory in a child `sparkpolar import`.
 */
import type { ImportResult } from '../../../shared/contract/dataset';
import type { DatasetColumn } from '../../../shared/types';
import { quoteIdent } from '../../../electron/engine/db/sql';
import { checkpoint, connection, deleteDataset, headerColumns, product, type BenchContext } from '../context';
import { findPandas, pandasToSql, type PandasPeer } from '../peers/pandas';
import { runCliWithPeakRss } from '../peers/cli';
import { NotAvailable, fromSamples, measureAll, unavailable, type Contender } from '../protocol';
import { copyInCommand, createTableSql, Psql } from '../peers/psql';
import type { Measurement, SectionResult } from '../types';

const PEER_SCHEMA = 'bench';
const PSQL_TABLE = `${PEER_SCHEMA}.${quoteIdent('psql_import')}`;
const PANDAS_TABLE = 'pandas_import';

export async function importSection(ctx: BenchContext): Promise<SectionResult> {
  const db = ctx.engine.ctx.db;
  const conn = await connection(ctx);
  await db.query(`CREATE SCHEMA IF NOT EXISTS ${PEER_SCHEMA}`);
  const psql = new Psql(ctx.options.psql, conn);

  let lastImport: ImportResult | null = null;
  const productColumns = (): DatasetColumn[] | null => lastImport?.columns ?? null;
  const productNotes: Array<{ seconds: number; rejected: number; widened: number }> = [];

  const contenders: Contender[] = [
    {
      id: 'import.product',
      label: 'SparkPolar import (dataset/import)',
      rows: () => lastImport?.rows,
      bytes: ctx.bytes,
      before: async () => {
        await deleteDataset(ctx, ctx.datasetName);
        ctx.state.dataset = undefined;
        await checkpoint(ctx);
      },
      run: async () => {
        lastImport = await product('dataset/import', () =>
          ctx.client.run('dataset/import', { path: ctx.file, name: ctx.datasetName, analysisFrame: false }, { signal: ctx.signal }),
        );
        productNotes.push({ seconds: lastImport.seconds, rejected: lastImport.rejected, widened: lastImport.widened.length });
      },
      notes: () => ({ productReported: productNotes, rejected: lastImport?.rejected ?? null }),
    },
    {
      id: 'import.psql_copy',
      label: 'psql \\copy (format csv, header) into a typed table',
      rows: ctx.rows,
      bytes: ctx.bytes,
      before: async () => {
        await psql.version();
        await db.query(`DROP TABLE IF EXISTS ${PSQL_TABLE}`);
        await checkpoint(ctx);
      },
      run: async () => {
        const columns = productColumns() ?? headerColumns(ctx.file);
        await psql.run([createTableSql(PSQL_TABLE, columns), copyInCommand(PSQL_TABLE, ctx.file)], {
          singleTransaction: true,
          signal: ctx.signal,
        });
      },
      after: async () => {
        const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int8 AS n FROM ${PSQL_TABLE}`);
        if (rows[0]?.n !== ctx.rows) throw new Error(`psql loaded ${rows[0]?.n} rows, expected ${ctx.rows}`);
      },
      notes: () => ({
        table: productColumns()
          ? 'same identifiers and PostgreSQL types as the product table'
          : 'all-text table (the product importer did not run, so its types are unknown)',
        bom: 'the UTF-8 BOM is at the start of the header line, which HEADER skips: psql reads the same bytes unchanged',
        transaction: 'CREATE TABLE and \\copy in one transaction (psql -1), like the importer',
      }),
    },
  ];

  let pandas: PandasPeer | null = null;
  let pandasRows = 0;
  const pandasProbe = await findPandas(ctx.options.pythonCandidates).then(
    (p) => (pandas = p),
    (err: unknown) => err,
  );
  const cap = ctx.options.pandasRowCap > 0 ? Math.min(ctx.options.pandasRowCap, ctx.rows) : ctx.rows;
  contenders.push({
    id: 'import.pandas_to_sql',
    label: 'pandas read_csv + to_sql (SQLAlchemy, psycopg2, chunksize 10000)',
    rows: () => pandasRows || undefined,
    before: async () => {
      if (!pandas) throw pandasProbe instanceof Error ? pandasProbe : new NotAvailable(String(pandasProbe));
      await db.query(`DROP TABLE IF EXISTS ${PEER_SCHEMA}.${quoteIdent(PANDAS_TABLE)}`);
      await checkpoint(ctx);
    },
    run: async () => {
      const result = await pandasToSql(pandas!, conn, ctx.file, PEER_SCHEMA, PANDAS_TABLE, cap < ctx.rows ? cap : 0);
      pandasRows = result.rows;
      return result.seconds;
    },
    notes: () => ({
      versions: pandas?.versions,
      python: pandas?.python,
      rows:
        cap < ctx.rows
          ? `first ${cap} rows of the file (pandas at ~30 k rows/s would take minutes per run): the ratio compares throughputs`
          : 'whole file',
      timing: 'measured inside Python around read_csv + to_sql (interpreter start-up and imports excluded)',
    }),
  });

  const measurements = await measureAll(ctx.options.protocol, contenders, {
    signal: ctx.signal,
    onSample: (c, s, round, warm) =>
      ctx.log(`  ${c.id}${warm ? ' (warm-up)' : ` #${round - ctx.options.protocol.warmup + 1}`}: ${s.toFixed(2)} s`),
  });
  await db.query(`DROP TABLE IF EXISTS ${PSQL_TABLE}`).catch(() => undefined);
  await db.query(`DROP TABLE IF EXISTS ${PEER_SCHEMA}.${quoteIdent(PANDAS_TABLE)}`).catch(() => undefined);
  if (lastImport) {
    const done: ImportResult = lastImport;
    ctx.state.dataset = await ctx.client.call('dataset/get', { dataset: done.dataset, version: done.version });
  }

  measurements.push(await importerPeakMemory(ctx));
  const facts: Record<string, unknown> = {};
  if (lastImport) {
    const r: ImportResult = lastImport;
    facts.product = {
      dataset: r.dataset,
      version: r.version,
      table: r.table,
      rows: r.rows,
      rejected: r.rejected,
      encoding: r.encoding,
      columns: r.columns,
    };
  }
  return { name: 'import', status: sectionStatus(measurements), measurements, facts };
}

/** Peak resident memory of `sparkpolar import <file>` run as its own process (once: memory is not noisy like time). */
async function importerPeakMemory(ctx: BenchContext): Promise<Measurement> {
  const id = 'memory.importer_peak_rss';
  const label = 'peak RSS of `sparkpolar import` (child process)';
  const name = `${ctx.datasetName}-memory`;
  try {
    ctx.log('  importer peak memory: running `sparkpolar import` as a child process');
    const result = await runCliWithPeakRss(ctx, 'import', [ctx.file, '--name', name, '--json']);
    await deleteDataset(ctx, name);
    return fromSamples(id, label, [result.peakRssMB], {
      unit: 'MB',
      rows: ctx.rows,
      notes: { command: 'sparkpolar import <file> --json', seconds: result.seconds },
    });
  } catch (err) {
    await deleteDataset(ctx, name);
    return unavailable(id, label, err);
  }
}

export function sectionStatus(measurements: Measurement[]): SectionResult['status'] {
  const available = measurements.filter((m) => m.available).length;
  if (available === measurements.length) return 'ok';
  return available ? 'partial' : 'not available';
}
