/**
 * Where a publish gets its material: the persisted analysis run (through the analyses domain's own
 * handlers, i.e. the `analysis/runs` and `analysis/get-run` contract) and the dataset's catalog facts.
 */
import type { AnalysisRun } from '../../../shared/contract/analysis';
import { StudioError } from '../../../shared/errors';
import type { DatasetVersionInfo } from '../../../shared/types';
import { analysisHandlers } from '../analysis/handlers';
import { Catalog } from '../datasets/catalog';
import type { EngineContext } from '../engine';

const analysesOf = new WeakMap<EngineContext, ReturnType<typeof analysisHandlers>>();

function analyses(ctx: EngineContext) {
  let h = analysesOf.get(ctx);
  if (!h) {
    h = analysisHandlers(ctx);
    analysesOf.set(ctx, h);
  }
  return h;
}

/** The run by id, or the dataset's latest run; NOT_FOUND with the fix when there is none. */
export async function loadRun(ctx: EngineContext, dataset: string, runId?: string): Promise<AnalysisRun> {
  const h = analyses(ctx);
  if (runId) {
    const run = await h['analysis/get-run']({ runId });
    if (run.dataset !== dataset)
      throw new StudioError('INVALID_REQUEST', `Run ${runId} belongs to dataset "${run.dataset}", not "${dataset}".`, { runId, dataset });
    return run;
  }
  const latest = await h['analysis/runs']({ dataset, limit: 1 });
  const first = latest[0];
  if (!first) {
    throw new StudioError(
      'NOT_FOUND',
      `Dataset "${dataset}" has no analysis run to publish.`,
      { dataset },
      `Run the analyses first (Analyses page, or \`sparkpolar analyze ${dataset}\`).`,
    );
  }
  return h['analysis/get-run']({ runId: first.runId });
}

/** The catalog facts of the run's dataset version, or null when that version is gone. */
export async function datasetFacts(ctx: EngineContext, dataset: string, version: number): Promise<DatasetVersionInfo | null> {
  try {
    return await new Catalog(ctx.db).get(dataset, version);
  } catch (err) {
    if (err instanceof StudioError && err.code === 'DATASET_NOT_FOUND') return null;
    throw err;
  }
}
