import type { jobMethods } from '../../../shared/contract/jobs';
import type { EngineContext } from '../engine';
import type { DomainHandlers } from '../rpc/handlers';

export function jobHandlers(ctx: EngineContext): DomainHandlers<typeof jobMethods> {
  return {
    'job/cancel': async ({ jobId }) => ({ cancelled: ctx.jobs.cancel(jobId) }),
    'job/list': async () => ctx.jobs.list(),
  };
}
