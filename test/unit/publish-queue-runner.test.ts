/**
 * The publish queue's background loop runs only on an engine whose host asked for it
 * (`retryQueueInBackground`): a kick starts the loop job once there, and does nothing on an engine
 * that exits after answering (the CLI).
 */
import { describe, expect, it } from 'vitest';
import type { PublishContext } from '../../electron/engine/storage/publisher';
import { PublishQueueRunner, QUEUE_JOB } from '../../electron/engine/storage/queue-runner';

/** A context whose job manager records the jobs started and never runs them. */
function recordingContext(): { ctx: PublishContext; started: string[] } {
  const started: string[] = [];
  const jobs = { start: (method: string) => started.push(method) };
  return { ctx: { jobs } as unknown as PublishContext, started };
}

describe('publish queue runner', () => {
  it('starts the loop once when the host asked for background retries', () => {
    const { ctx, started } = recordingContext();
    const runner = new PublishQueueRunner(ctx, true);
    runner.kick();
    runner.kick(); // the loop is running: re-check, not a second loop
    expect(started).toEqual([QUEUE_JOB]);
  });

  it('does nothing on an engine without background retries', () => {
    const { ctx, started } = recordingContext();
    new PublishQueueRunner(ctx, false).kick();
    expect(started).toEqual([]);
  });
});
