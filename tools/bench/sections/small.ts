/**
 * small: the whole catalog on the 4,401 real rows, as a user of small data lives it: a fresh run
 * (no cached result), the same run served from the result cache, and a cleaning toggle (which
 * re-runs only what it affects), against DuckDB running the oracle's queries for the whole
 * catalog on the same rows. Then the same toggle on the bench dataset (its size is the run's).
 */
import type { AnalysisRun, CleaningOptions } from '../../../shared/contract/analysis';
import { REAL_4401 } from '../../../test/support/real-data';
import { OracleSession, oracleRunOn } from '../../../test/support/oracle';
import { deleteDataset, ensureDataset, product, type BenchContext } from '../context';
import { measureAll, unavailable, type Contender } from '../protocol';
import type { Measurement, SectionResult } from '../types';
import { sectionStatus } from './import';

const SMALL_DATASET = 'bench-small-4401';
const ORIGINAL: CleaningOptions = { sentinelsAsNull: false, mergeMakes: false, dropOriginalNulls: true };
/** The toggle that touches the most analyses: sentinels are read wherever text is. */
const TOGGLED: CleaningOptions = { ...ORIGINAL, sentinelsAsNull: true };

interface RunNote {
  totalMs: number;
  loadMs: number;
  computed: number;
  cached: number;
  failed: string[];
}

function note(run: AnalysisRun): RunNote {
  return {
    totalMs: run.totalMs,
    loadMs: run.loadMs,
    computed: run.results.filter((r) => r.status === 'ok' && !r.cached).length,
    cached: run.results.filter((r) => r.cached).length,
    failed: run.results.filter((r) => r.status === 'failed').map((r) => `${r.id}: ${r.reason ?? ''}`),
  };
}

/** `analysis/run` of the whole catalog, timed from the client (what a window waits for). */
function catalogRun(ctx: BenchContext, dataset: string, cleaning: CleaningOptions, fresh: boolean): Promise<AnalysisRun> {
  return product('analysis/run', () => ctx.client.run('analysis/run', { dataset, cleaning, fresh }, { signal: ctx.signal }));
}

/** Untimed: forget the dataset's cached results and cache the original cleaning's again, so the toggle has work to do. */
async function primeForToggle(ctx: BenchContext, dataset: string, table: string): Promise<void> {
  await ctx.engine.ctx.db.query('DELETE FROM studio.analysis_cache WHERE table_name = $1', [table]);
  await catalogRun(ctx, dataset, ORIGINAL, false);
}

function toggleContender(ctx: BenchContext, id: string, label: string, dataset: string, table: string, rows: number): Contender {
  const runs: RunNote[] = [];
  return {
    id,
    label,
    rows,
    before: () => primeForToggle(ctx, dataset, table),
    run: async () => void runs.push(note(await catalogRun(ctx, dataset, TOGGLED, false))),
    notes: () => ({ from: ORIGINAL, to: TOGGLED, runs }),
  };
}

export async function smallSection(ctx: BenchContext): Promise<SectionResult> {
  const measurements: Measurement[] = [];
  let small;
  try {
    await deleteDataset(ctx, SMALL_DATASET);
    const imported = await product('dataset/import', () =>
      ctx.client.run('dataset/import', { path: REAL_4401, name: SMALL_DATASET }, { signal: ctx.signal }),
    );
    small = await ctx.client.call('dataset/get', { dataset: imported.dataset, version: imported.version });
  } catch (err) {
    const ids = ['small.catalog_fresh', 'small.catalog_cached', 'small.duckdb', 'small.toggle'];
    return {
      name: 'small',
      status: 'not available',
      reason: err instanceof Error ? err.message : String(err),
      measurements: ids.map((id) => unavailable(id, id, err)),
    };
  }
  const freshRuns: RunNote[] = [];
  const cachedRuns: RunNote[] = [];
  let oracle: OracleSession | null = null;
  let oracleError: unknown = null;
  try {
    oracle = await OracleSession.open({ file: REAL_4401, columns: small.columns });
  } catch (err) {
    oracleError = err;
  }
  const contenders: Contender[] = [
    {
      id: 'small.catalog_fresh',
      label: 'whole catalog on the 4,401 real rows (analysis/run, fresh: no cached result)',
      rows: small.rows,
      run: async () => void freshRuns.push(note(await catalogRun(ctx, SMALL_DATASET, ORIGINAL, true))),
      notes: () => ({ runs: freshRuns }),
    },
    {
      id: 'small.catalog_cached',
      label: 'the same run, unchanged, served from the result cache',
      rows: small.rows,
      run: async () => {
        const run = await catalogRun(ctx, SMALL_DATASET, ORIGINAL, false);
        cachedRuns.push(note(run));
        if (run.loadSource !== 'cache') throw new Error(`the unchanged re-run was not served from the cache (${run.loadSource})`);
      },
      notes: () => ({ runs: cachedRuns }),
    },
    {
      id: 'small.duckdb',
      label: 'DuckDB, the oracle queries of the whole catalog (test/support/oracle) on the same rows in memory',
      rows: small.rows,
      run: async () => {
        if (!oracle) throw oracleError;
        await oracleRunOn(oracle, { cleaning: ORIGINAL });
      },
    },
    toggleContender(
      ctx,
      'small.toggle',
      'cleaning toggle (sentinels as nulls) on the 4,401 real rows',
      SMALL_DATASET,
      small.table,
      small.rows,
    ),
  ];
  try {
    measurements.push(
      ...(await measureAll(ctx.options.protocol, contenders, {
        signal: ctx.signal,
        onSample: (c, s, round, warm) =>
          ctx.log(`  ${c.id}${warm ? ' (warm-up)' : ` #${round - ctx.options.protocol.warmup + 1}`}: ${(s * 1000).toFixed(0)} ms`),
      })),
    );
  } finally {
    oracle?.close();
    await deleteDataset(ctx, SMALL_DATASET);
  }

  // The same toggle at the bench size.
  try {
    const dataset = await ensureDataset(ctx);
    const label = `cleaning toggle (sentinels as nulls) on the bench dataset (${dataset.rows.toLocaleString('en-US')} rows)`;
    measurements.push(
      ...(await measureAll(
        ctx.options.protocol,
        [toggleContender(ctx, 'small.toggle_bench_size', label, dataset.dataset, dataset.table, dataset.rows)],
        {
          signal: ctx.signal,
          onSample: (c, s, round, warm) =>
            ctx.log(`  ${c.id}${warm ? ' (warm-up)' : ` #${round - ctx.options.protocol.warmup + 1}`}: ${s.toFixed(2)} s`),
        },
      )),
    );
  } catch (err) {
    measurements.push(unavailable('small.toggle_bench_size', 'cleaning toggle on the bench dataset', err));
  }
  return {
    name: 'small',
    status: sectionStatus(measurements),
    measurements,
    facts: { rows: small.rows, file: REAL_4401, toggle: { from: ORIGINAL, to: TOGGLED } },
  };
}
