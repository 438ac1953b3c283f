import type { sweepMethods } from '../../../shared/contract/sweep';
import type { EngineContext } from '../engine';
import type { DomainHandlers } from '../rpc/handlers';
import { runSweep } from './run';
import { SweepStore } from './store';

export function sweepHandlers(ctx: EngineContext): DomainHandlers<typeof sweepMethods> {
  const store = () => new SweepStore(ctx.db);
  return {
    'sweep/run': (params, job) => runSweep(ctx, params, job),
    'sweep/list': (params) => store().list(params.dataset, params.limit),
    'sweep/get': (params) => store().get(params.sweepId),
  };
}
