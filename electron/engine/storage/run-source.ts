/**
 * Where a publish gets its material: the persisted analysis run (through the analysis runs
 * service) and the dataset's catalog facts.
 */
import type { AnalysisRun } from '../../../shared/contract/analysis';
import { StudioError } from '../../../shared/errors';
import type { DatasetVersionInfo } from '../../../shared/types';
import type { AnalysisRuns } from '../analysis/runs';
import type { Catalog } from '../catalog/catalog';

export interface RunSourceContext {
  analysisRuns: AnalysisRuns;
  catalog: Catalog;
}

/** The run by id, or the dataset's latest run; NOT_FOUND with the fix when there is none. */
export async function loadRun(ctx: RunSourceContext, dataset: string, runId?: string): Promise<AnalysisRun> {
  const runs = ctx.analysisRuns;
  if (runId) {
    const run = await runs.get(runId);
    if (run.dataset !== dataset)
      throw new StudioError('INVALID_REQUEST', `Run ${runId} belongs to dataset "${run.dataset}", not "${dataset}".`, { runId, dataset });
    return run;
  }
  const latest = await runs.list(dataset, 1);
  const first = latest[0];
  if (!first) {
    throw new StudioError(
      'NOT_FOUND',
      `Dataset "${dataset}" has no analysis run to publish.`,
      { dataset },
      `Run the analyses first (Analyses page, or \`sparkpolar analyze ${dataset}\`).`,
    );
  }
  return runs.get(first.runId);
}

/** The catalog facts of the run's dataset version, or null when that version is gone. */
export async function datasetFacts(ctx: RunSourceContext, dataset: string, version: number): Promise<DatasetVersionInfo | null> {
  try {
    return await ctx.catalog.get(dataset, version);
  } catch (err) {
    if (err instanceof StudioError && err.code === 'DATASET_NOT_FOUND') return null;
    throw err;
  }
}
