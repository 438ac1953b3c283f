import type { analysisMethods } from '../../../shared/contract/analysis';
import { StudioError } from '../../../shared/errors';
import type { EngineContext } from '../engine';
import type { DomainHandlers } from '../rpc/handlers';

const notYetBuilt = (method: string) => async (): Promise<never> => {
  throw new StudioError('INTERNAL', `${method} is being built in this session.`);
};

export function analysisHandlers(_ctx: EngineContext): DomainHandlers<typeof analysisMethods> {
  return {
    'analysis/applicable': notYetBuilt('analysis/applicable'),
    'analysis/run': notYetBuilt('analysis/run'),
    'analysis/runs': notYetBuilt('analysis/runs'),
    'analysis/get-run': notYetBuilt('analysis/get-run'),
  };
}
