/** The run an export reads: given whole in the request, or fetched by id from the analysis runs. */
import type { AnalysisRun } from '../../../shared/contract/analysis';
import { StudioError } from '../../../shared/errors';
import type { AnalysisRuns } from '../analysis/runs';

export async function runFor(
  ctx: { analysisRuns: AnalysisRuns },
  request: { runId?: string | undefined; run?: AnalysisRun | undefined },
): Promise<AnalysisRun> {
  if (request.run) return request.run;
  if (!request.runId) throw new StudioError('INVALID_REQUEST', 'Give the run to export: runId or run.');
  return ctx.analysisRuns.get(request.runId);
}
