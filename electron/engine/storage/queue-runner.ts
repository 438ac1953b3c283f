/**
 * Background retries of queued publishes, one loop per engine (the engine's `publishQueue`
 * service). The loop is an engine job (`storage/publish-queue`), so closing the engine cancels it
 * cleanly; it exists only while entries wait, sleeping until the next one is due. It runs only on
 * an engine whose host asks for background retries (`retryQueueInBackground`: the desktop app,
 * browser mode), starting with the engine and whenever a publish gets queued; the CLI exits right
 * after answering, so what it queues waits for the app or the next publish of that run.
 */
import type { JobContext } from '../jobs/manager';
import { storageFields } from './config';
import { publishEntry, type PublishContext } from './publisher';
import { PublishQueue } from './queue';
import { realClock } from '../clock';

const MAX_SLEEP_MS = 60_000;
/** Floor between passes, so an entry another process holds cannot make the loop spin. */
const MIN_SLEEP_MS = 500;
const STALLED_SLEEP_MS = 5_000;
export const QUEUE_JOB = 'storage/publish-queue';

export class PublishQueueRunner {
  private running = false;
  private again = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly ctx: PublishContext,
    /** Whether this engine retries queued publishes at all (its host's `retryQueueInBackground`). */
    readonly background: boolean,
  ) {}

  /** Makes sure the loop runs (and re-checks the queue now if it was sleeping); nothing without `background`. */
  kick(): void {
    if (!this.background) return;
    if (this.running) {
      this.again = true;
      this.wake?.();
      return;
    }
    this.running = true;
    this.ctx.jobs.start(QUEUE_JOB, (job) =>
      this.loop(job).finally(() => {
        this.running = false;
      }),
    );
  }

  private async loop(job: JobContext): Promise<{ published: number }> {
    let published = 0;
    if (job.signal.aborted) return { published };
    const queue = new PublishQueue(this.ctx.db);
    for (;;) {
      job.throwIfCancelled();
      this.again = false;
      if (!(await storageFields(this.ctx))) return { published };
      let progressed = false;
      for (const id of await queue.dueIds()) {
        job.throwIfCancelled();
        job.progress({ phase: 'publish', message: `Publishing queued entry ${id}`, details: { queueId: id } });
        try {
          const result = await publishEntry(this.ctx, id, job, 'queued');
          if (result) progressed = true;
          if (result?.status === 'published') published++;
        } catch (err) {
          if (job.signal.aborted) throw err;
          this.ctx.log.warn('queued publish failed', { queueId: id, error: err instanceof Error ? err.message : String(err) });
        }
      }
      if (this.again) continue;
      const next = await queue.nextDue();
      if (!next) return { published };
      // A pass where every due entry was busy elsewhere or broke waits longer before the next.
      const floor = progressed ? MIN_SLEEP_MS : STALLED_SLEEP_MS;
      const wait = Math.min(MAX_SLEEP_MS, Math.max(floor, next.getTime() - Date.now()));
      job.progress({ phase: 'waiting', message: `Next retry at ${next.toISOString()}`, details: { nextAttemptAt: next.toISOString() } });
      await this.sleepOrWake(wait, job.signal);
    }
  }

  private async sleepOrWake(ms: number, signal: AbortSignal): Promise<void> {
    const woken = new Promise<void>((resolve) => (this.wake = resolve));
    try {
      await Promise.race([realClock.sleep(ms, signal), woken]);
    } finally {
      this.wake = null;
    }
  }
}
