/** The run an export reads: given whole in the request, or fetched by id through `analysis/get-run`. */
import type { AnalysisRun } from '../../../shared/contract/analysis';
import { StudioError } from '../../../shared/errors';
import { analysisHandlers } from '../analysis/handlers';
import type { EngineContext } from '../engine';

export async function runFor(
  ctx: EngineContext,
  request: { runId?: string | undefined; run?: AnalysisRun | undefined },
): Promise<AnalysisRun> {
  if (request.run) return request.run;
  if (!request.runId) throw new StudioError('INVALID_REQUEST', 'Give the run to export: runId or run.');
  return analysisHandlers(ctx)['analysis/get-run']({ runId: request.runId });
}
