/** The job methods (`job/cancel`, `job/list`): the server's control over the jobs it started. */
import type { jobMethods } from '../../../shared/contract/jobs';
import type { JobManager } from '../jobs/manager';
import type { DomainHandlers } from './handlers';

export function jobHandlers(ctx: { jobs: JobManager }): DomainHandlers<typeof jobMethods> {
  return {
    'job/cancel': async ({ jobId }) => ({ cancelled: ctx.jobs.cancel(jobId) }),
    'job/list': async () => ctx.jobs.list(),
  };
}
