/**
 * The Polars side of the comparison: the latest Polars run of the same dataset version with the
 * same cleaning and parameters that holds every analysis, or a fresh one from the analysis runs.
 */
import type { AnalysisRun, CleaningOptions } from '../../../shared/contract/analysis';
import type { AnalysisRuns } from '../analysis/runs';
import type { JobContext } from '../jobs/manager';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sameCleaning = (a: CleaningOptions, b: CleaningOptions) =>
  a.sentinelsAsNull === b.sentinelsAsNull && a.mergeMakes === b.mergeMakes && a.dropOriginalNulls === b.dropOriginalNulls;

export interface PolarsRequest {
  dataset: string;
  version: number;
  /** Analysis ids with their resolved parameters. */
  analyses: Array<{ id: string; params: Record<string, unknown> }>;
  params: Record<string, Record<string, unknown>>;
  cleaning: CleaningOptions;
}

export async function findPolarsRun(runs: AnalysisRuns, request: PolarsRequest): Promise<AnalysisRun | null> {
  const summaries = await runs.list(request.dataset, 30);
  for (const s of summaries.filter((r) => r.version === request.version)) {
    const run = await runs.get(s.runId);
    if (!sameCleaning(run.cleaning, request.cleaning)) continue;
    const covers = request.analyses.every((a) =>
      run.results.some((r) => r.id === a.id && r.status === 'ok' && !r.cached && same(r.params, a.params)),
    );
    if (covers) return run;
  }
  return null;
}

export async function runPolars(
  runs: AnalysisRuns,
  request: PolarsRequest,
  job: JobContext,
  onProgress: (message: string) => void,
): Promise<AnalysisRun> {
  const sub: JobContext = {
    jobId: job.jobId,
    signal: job.signal,
    throwIfCancelled: () => job.throwIfCancelled(),
    progress: (p) => onProgress(p.message ?? p.phase ?? 'Polars'),
  };
  return runs.run(
    {
      dataset: request.dataset,
      version: request.version,
      analyses: request.analyses.map((a) => a.id),
      params: request.params,
      cleaning: request.cleaning,
      fresh: true,
    },
    sub,
  );
}
