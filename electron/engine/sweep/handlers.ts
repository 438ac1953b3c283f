import type { sweepMethods } from '../../../shared/contract/sweep';
import type { DomainHandlers } from '../rpc/handlers';
import type { SparkContext } from '../spark/run';
import { runSweep } from './run';
import { SweepStore } from './store';

export function sweepHandlers(ctx: SparkContext): DomainHandlers<typeof sweepMethods> {
  const store = () => new SweepStore(ctx.db);
  return {
    'sweep/run': (params, job) => runSweep(ctx, params, job),
    'sweep/list': (params) => store().list(params.dataset, params.limit),
    'sweep/get': (params) => store().get(params.sweepId),
  };
}
