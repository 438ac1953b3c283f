import { ANALYSES, missingRequirements } from '../../../shared/analyses';
import type { analysisMethods } from '../../../shared/contract/analysis';
import type { Catalog } from '../catalog/catalog';
import type { DomainHandlers } from '../rpc/handlers';
import type { AnalysisRuns } from './runs';

export function analysisHandlers(ctx: { catalog: Catalog; analysisRuns: AnalysisRuns }): DomainHandlers<typeof analysisMethods> {
  const runs = ctx.analysisRuns;
  return {
    'analysis/applicable': async ({ dataset, version }) => {
      const info = await ctx.catalog.get(dataset, version);
      return ANALYSES.map((spec) => {
        const missing = missingRequirements(spec, info.columns);
        return { id: spec.id, applicable: missing.length === 0, missing };
      });
    },
    'analysis/run': (params, job) => runs.run(params, job),
    'analysis/runs': ({ dataset, limit }) => runs.list(dataset, limit),
    'analysis/get-run': ({ runId }) => runs.get(runId),
  };
}
