/**
 * Handler typing: for every contract method, a function from validated params to the result.
 * Job methods receive a JobContext and are started as jobs by the server automatically; request
 * methods receive the request's AbortSignal, aborted when the client cancels the request (a
 * handler that does long work stops it, e.g. cancels its PostgreSQL query; one that ignores it
 * just has its answer dropped).
 */
import type { z } from 'zod';
import type { AnyMethod, JobMethod } from '../../../shared/contract/define';
import type { JobContext } from '../jobs/manager';

export type HandlerFor<M extends AnyMethod> =
  M extends JobMethod<z.ZodType, infer R>
    ? (params: z.output<M['request']>, job: JobContext) => Promise<R>
    : (params: z.output<M['request']>, signal: AbortSignal) => Promise<M['response']>;

/** The handlers of one domain's method table. */
export type DomainHandlers<T extends Record<string, AnyMethod>> = { [K in keyof T]: HandlerFor<T[K]> };
