/**
 * catalog: the whole catalog on the bench dataset, compute only (the run's own load from the
 * snapshot or PostgreSQL is taken out), and the engine's peak memory doing it (`sparkpolar
 * analyze --fresh` as a child process). With `--rows 10000000` these are the 10 M-row targets.
 */
import type { AnalysisRun } from '../../../shared/contract/analysis';
import { ensureDataset, product, type BenchContext } from '../context';
import { runCliWithPeakRss } from '../peers/cli';
import { fromSamples, measureAll, unavailable, type Contender } from '../protocol';
import type { Measurement, SectionResult } from '../types';
import { sectionStatus } from './import';

export async function catalogSection(ctx: BenchContext): Promise<SectionResult> {
  let dataset;
  try {
    dataset = await ensureDataset(ctx);
  } catch (err) {
    const ids = ['catalog.compute', 'catalog.engine_peak_rss'];
    return {
      name: 'catalog',
      status: 'not available',
      reason: err instanceof Error ? err.message : String(err),
      measurements: ids.map((id) => unavailable(id, id, err)),
    };
  }
  const runs: Array<
    Pick<AnalysisRun, 'loadMs' | 'loadSource' | 'prepareMs' | 'totalMs'> & { analysesMs: number; slowest: string[]; failed: string[] }
  > = [];
  const compute: Contender = {
    id: 'catalog.compute',
    label: 'whole catalog through the runner (analysis/run, fresh), load excluded',
    rows: dataset.rows,
    run: async () => {
      const started = process.hrtime.bigint();
      const run = await product('analysis/run', () =>
        ctx.client.run('analysis/run', { dataset: dataset.dataset, version: dataset.version, fresh: true }, { signal: ctx.signal }),
      );
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      const ok = run.results.filter((r) => r.status === 'ok');
      runs.push({
        loadMs: run.loadMs,
        loadSource: run.loadSource,
        prepareMs: run.prepareMs,
        totalMs: run.totalMs,
        // The sum of the analyses' own compute: what the run spent beyond it and the load and
        // prepare steps (a first run's snapshot write, cache writes) is totalMs minus the three.
        analysesMs: ok.reduce((sum, r) => sum + r.timings.computeMs, 0),
        slowest: [...ok]
          .sort((a, b) => b.timings.computeMs - a.timings.computeMs)
          .slice(0, 8)
          .map((r) => `${r.id} ${(r.timings.computeMs / 1000).toFixed(2)} s`),
        failed: run.results.filter((r) => r.status === 'failed').map((r) => `${r.id}: ${r.reason ?? ''}`),
      });
      if (!ok.length) throw new Error('every analysis failed');
      return wall - run.loadMs / 1000;
    },
    notes: () => ({ runs }),
  };
  const measurements: Measurement[] = await measureAll(ctx.options.protocol, [compute], {
    signal: ctx.signal,
    onSample: (c, s, round, warm) =>
      ctx.log(`  ${c.id}${warm ? ' (warm-up)' : ` #${round - ctx.options.protocol.warmup + 1}`}: ${s.toFixed(2)} s`),
  });
  const id = 'catalog.engine_peak_rss';
  const label = 'peak RSS of `sparkpolar analyze <dataset> --fresh` (whole catalog, child process)';
  try {
    ctx.log('  engine peak memory: the whole catalog in `sparkpolar analyze` as a child process');
    const result = await runCliWithPeakRss(ctx, 'analyze', [dataset.dataset, '--fresh', '--json']);
    measurements.push(fromSamples(id, label, [result.peakRssMB], { unit: 'MB', rows: dataset.rows, notes: { seconds: result.seconds } }));
  } catch (err) {
    measurements.push(unavailable(id, label, err));
  }
  return {
    name: 'catalog',
    status: sectionStatus(measurements),
    measurements,
    facts: { dataset: dataset.dataset, version: dataset.version },
  };
}
