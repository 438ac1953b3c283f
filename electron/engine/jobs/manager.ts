/**
 * Long operations run as jobs: started at once with an id, reporting progress (throttled within
 * a phase; every phase change is sent),
 * ending in done/failed, and cancellable through an AbortSignal the work must honour.
 */
import { randomUUID } from 'node:crypto';
import { cancelledError, StudioError, throwIfCancelled, toErrorData } from '../../../shared/errors';
import type { EngineEvent, JobProgress, JobState, JobSummary } from '../../../shared/contract/jobs';
import type { Logger } from '../log';

export interface JobContext {
  jobId: string;
  signal: AbortSignal;
  /** Reports progress; calls are throttled to ~10 per second (the last one always goes out). */
  progress(progress: JobProgress): void;
  /** Throws CANCELLED when the job was cancelled; call it between steps. */
  throwIfCancelled(): void;
}

interface JobRecord {
  summary: JobSummary;
  controller: AbortController;
  done: Promise<void>;
}

const PROGRESS_INTERVAL_MS = 100;

export class JobManager {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly listeners = new Set<(event: EngineEvent) => void>();

  constructor(private readonly log: Logger) {}

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: EngineEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        this.log.warn('event listener failed', { error: String(err) });
      }
    }
  }

  start(method: string, work: (ctx: JobContext) => Promise<unknown>): string {
    const jobId = randomUUID();
    const controller = new AbortController();
    const summary: JobSummary = { jobId, method, state: 'running', startedAt: new Date().toISOString(), progress: {} };
    let lastSent = 0;
    let timer: NodeJS.Timeout | null = null;
    const flush = () => {
      timer = null;
      lastSent = Date.now();
      if (summary.state === 'running') this.emit({ type: 'job/progress', jobId, method, progress: summary.progress });
    };
    const ctx: JobContext = {
      jobId,
      signal: controller.signal,
      progress(progress) {
        const phaseChanged = progress.phase !== summary.progress.phase;
        summary.progress = progress;
        const wait = PROGRESS_INTERVAL_MS - (Date.now() - lastSent);
        // A new phase always goes out at once, so no step of a job is invisible however short.
        if (wait <= 0 || phaseChanged) {
          if (timer) clearTimeout(timer);
          flush();
        } else timer ??= setTimeout(flush, wait);
      },
      throwIfCancelled() {
        throwIfCancelled(controller.signal);
      },
    };
    const finish = (state: JobState) => {
      // A throttled report still waiting goes out before the end, as promised ("the last one always goes out").
      if (timer) {
        clearTimeout(timer);
        flush();
      }
      summary.state = state;
      // Keep finished jobs briefly for `job/list`, then forget them.
      setTimeout(() => this.jobs.delete(jobId), 60_000).unref?.();
    };
    // Start on the next turn so the caller can send `{ jobId }` before any event.
    const done = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => work(ctx))
      .then(
        (result) => {
          finish('done');
          this.emit({ type: 'job/done', jobId, method, result });
        },
        (err: unknown) => {
          const cancelled = controller.signal.aborted;
          const error =
            cancelled && !(err instanceof StudioError && err.code !== 'CANCELLED')
              ? { code: 'CANCELLED' as const, message: 'Cancelled by the user.' }
              : toErrorData(err);
          finish(error.code === 'CANCELLED' ? 'cancelled' : 'failed');
          if (error.code === 'INTERNAL') this.log.error('job failed', { method, error: err instanceof Error ? err.stack : String(err) });
          this.emit({ type: 'job/failed', jobId, method, error });
        },
      );
    this.jobs.set(jobId, { summary, controller, done });
    return jobId;
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.summary.state !== 'running') return false;
    job.controller.abort(cancelledError());
    return true;
  }

  list(): JobSummary[] {
    return [...this.jobs.values()].map((j) => ({ ...j.summary }));
  }

  /** Cancels every running job and waits for all of them to settle. */
  async shutdown(): Promise<void> {
    for (const job of this.jobs.values()) job.controller.abort();
    await Promise.all([...this.jobs.values()].map((j) => j.done));
  }
}
