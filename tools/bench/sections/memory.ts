/**
 * memory: peak resident memory of the engine doing its heaviest routine work (loading the dataset
 * and running the original analyses: `sparkpolar analyze` as a child process, which hosts the
 * engine in-process like the app's utility process does). The importer's peak is measured in the
 * import section; this process's own peak (engine + in-process DuckDB peer) is kept as context.
 */
import { ensureDataset, type BenchContext } from '../context';
import { runCliWithPeakRss } from '../peers/cli';
import { ORIGINAL_IDS } from '../peers/original-sql';
import { fromSamples, unavailable } from '../protocol';
import type { Measurement, SectionResult } from '../types';
import { sectionStatus } from './import';

export async function memorySection(ctx: BenchContext): Promise<SectionResult> {
  const id = 'memory.engine_peak_rss';
  const label = 'peak RSS of `sparkpolar analyze <dataset> --analyses <original set> --fresh` (child process)';
  const measurements: Measurement[] = [];
  try {
    const dataset = await ensureDataset(ctx);
    ctx.log('  engine peak memory: running `sparkpolar analyze` as a child process');
    const result = await runCliWithPeakRss(ctx, 'analyze', [dataset.dataset, '--analyses', ORIGINAL_IDS.join(','), '--fresh', '--json']);
    measurements.push(fromSamples(id, label, [result.peakRssMB], { unit: 'MB', rows: dataset.rows, notes: { seconds: result.seconds } }));
  } catch (err) {
    measurements.push(unavailable(id, label, err));
  }
  const ownKB = process.resourceUsage().maxRSS;
  measurements.push(
    fromSamples(
      'memory.bench_process_peak_rss',
      'peak RSS of this benchmark process so far (engine + DuckDB peer, context)',
      [ownKB / 1024],
      { unit: 'MB' },
    ),
  );
  return { name: 'memory', status: sectionStatus(measurements), measurements };
}
