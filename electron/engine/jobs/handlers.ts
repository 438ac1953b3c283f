import type { jobMethods } from '../../../shared/contract/jobs';
import type { DomainHandlers } from '../rpc/handlers';
import type { JobManager } from './manager';

export function jobHandlers(ctx: { jobs: JobManager }): DomainHandlers<typeof jobMethods> {
  return {
    'job/cancel': async ({ jobId }) => ({ cancelled: ctx.jobs.cancel(jobId) }),
    'job/list': async () => ctx.jobs.list(),
  };
}
