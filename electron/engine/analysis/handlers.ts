import { ANALYSES, missingRequirements } from '../../../shared/analyses';
import type { analysisMethods } from '../../../shared/contract/analysis';
import type { EngineContext } from '../engine';
import { Catalog } from '../datasets/catalog';
import type { DomainHandlers } from '../rpc/handlers';
import { runAnalysisJob } from './service';
import { getRun, listRuns } from './store';

export function analysisHandlers(ctx: EngineContext): DomainHandlers<typeof analysisMethods> {
  return {
    'analysis/applicable': async ({ dataset, version }) => {
      const info = await new Catalog(ctx.db).get(dataset, version);
      return ANALYSES.map((spec) => {
        const missing = missingRequirements(spec, info.columns);
        return { id: spec.id, applicable: missing.length === 0, missing };
      });
    },
    'analysis/run': (params, job) => runAnalysisJob({ db: ctx.db, home: ctx.home }, params, job),
    'analysis/runs': ({ dataset, limit }) => listRuns(ctx.db, dataset, limit),
    'analysis/get-run': ({ runId }) => getRun(ctx.db, runId),
  };
}
