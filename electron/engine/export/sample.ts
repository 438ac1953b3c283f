/**
 * "Load sample dataset" and `sparkpolar demo`: generate calibrated crash rows into the data
 * folder's samples/ (kept: the same seed and size give the same file, so a second load skips the
 * generation) and import them with the regular importer under one dataset name.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { datasetMethods } from '../../../shared/contract/dataset';
import type { exportMethods, SampleResult } from '../../../shared/contract/export';
import { DEFAULT_SEED, generateCrashCsv } from '../generate';
import { importCsv, type ImportDeps } from '../ingest/import';
import type { JobContext } from '../jobs/manager';

export type SampleRequest = z.output<(typeof exportMethods)['dataset/sample']['request']>;

export function samplePath(home: string, rows: number, seed: number): string {
  return path.join(home, 'samples', `ny-crash-sample-${rows}-seed${seed}.csv`);
}

export async function loadSample(deps: ImportDeps, request: SampleRequest, job: JobContext): Promise<SampleResult> {
  const seed = request.seed ?? DEFAULT_SEED;
  const file = samplePath(deps.home, request.rows, seed);
  let generateSeconds = 0;
  if (!fs.existsSync(file)) {
    const started = performance.now();
    await generateCrashCsv(
      { rows: request.rows, seed, out: file },
      (p) =>
        job.progress({
          phase: 'generate',
          message: 'Generating sample rows',
          done: p.rows,
          total: p.totalRows,
          unit: 'rows',
          rows: p.rows,
        }),
      job.signal,
    );
    generateSeconds = (performance.now() - started) / 1000;
  }
  job.throwIfCancelled();
  const imported = await importCsv(deps, datasetMethods['dataset/import'].request.parse({ path: file, name: request.name }), job);
  return {
    dataset: imported.dataset,
    version: imported.version,
    table: imported.table,
    rows: imported.rows,
    file,
    bytes: fs.statSync(file).size,
    seed,
    generateSeconds,
    importSeconds: imported.seconds,
  };
}
