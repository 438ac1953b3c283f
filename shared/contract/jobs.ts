import { z } from 'zod';
import type { ErrorData } from '../errors';
import { request } from './define';

/** Progress of a long operation. Every field is optional: a job reports what it knows. */
export interface JobProgress {
  /** A short machine name of the current step, e.g. `read`, `load`, `upload`, `RUNNING`. */
  phase?: string;
  /** Human label of the step, already in English; the UI may translate by `phase`. */
  message?: string;
  /** Units done and the total, in `unit`s. */
  done?: number;
  total?: number;
  unit?: 'bytes' | 'rows' | 'items' | 'analyses';
  rows?: number;
  rowsPerSecond?: number;
  etaSeconds?: number;
  /** Free-form extra facts for specialised views (e.g. Spark phase durations). */
  details?: Record<string, unknown>;
}

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface JobSummary {
  jobId: string;
  method: string;
  state: JobState;
  startedAt: string;
  progress: JobProgress;
}

export type JobEvent =
  | { type: 'job/progress'; jobId: string; method: string; progress: JobProgress }
  | { type: 'job/done'; jobId: string; method: string; result: unknown }
  | { type: 'job/failed'; jobId: string; method: string; error: ErrorData };

/** Everything the engine pushes without being asked. */
export type EngineEvent = JobEvent | { type: 'engine/log'; level: 'info' | 'warn' | 'error'; message: string };

export const jobMethods = {
  'job/cancel': request<{ cancelled: boolean }>()(z.object({ jobId: z.string().min(1) })),
  'job/list': request<JobSummary[]>()(z.object({}).default({})),
};
