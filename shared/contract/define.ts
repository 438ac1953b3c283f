import type { z } from 'zod';

/**
 * Building blocks of the contract. A method pairs a zod schema for its request (checked where it
 * enters the engine) with the TypeScript type of its answer. A job method answers `{ jobId }` at
 * once; its final result and progress arrive later as job events.
 */
export interface RequestMethod<Req extends z.ZodType, Res> {
  kind: 'request';
  request: Req;
  /** Phantom: only its type is used. */
  response: Res;
}

export interface JobMethod<Req extends z.ZodType, Res> {
  kind: 'job';
  request: Req;
  /** Phantom: the type of the job's final result. */
  response: Res;
}

export type AnyMethod = RequestMethod<z.ZodType, unknown> | JobMethod<z.ZodType, unknown>;

export function request<Res>() {
  return <Req extends z.ZodType>(schema: Req): RequestMethod<Req, Res> => ({
    kind: 'request',
    request: schema,
    response: undefined as Res,
  });
}

export function job<Res>() {
  return <Req extends z.ZodType>(schema: Req): JobMethod<Req, Res> => ({
    kind: 'job',
    request: schema,
    response: undefined as Res,
  });
}
