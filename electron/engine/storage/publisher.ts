/**
 * Runs one queue entry: lock it, publish the run, and record the outcome. Storage down or
 * unreachable (after the per-request retries) puts the entry back in the queue with a growing
 * delay; a lasting problem (keys, bucket, a deleted run) fails it with the fix; a cancel removes it
 * and any half-written objects of a run that was never complete.
 */
import type { PublishResult } from '../../../shared/contract/storage';
import { StudioError, toErrorData } from '../../../shared/errors';
import type { EngineBase } from '../base';
import type { JobContext } from '../jobs/manager';
import { backoffDelay, type RetryPolicy } from '../retry';
import type { SettingsContext } from '../settings/service';
import { resolveStorageConfig } from './config';
import { keys, runPrefix } from './layout';
import { ObjectStore } from './object-store';
import { publishRun } from './publish';
import { withLockedEntry } from './queue';
import { datasetFacts, loadRun, type RunSourceContext } from './run-source';

/** How long a queued publish waits after its n-th failure: 15 s doubling up to 10 min, equal jitter. */
export type QueuePolicy = Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'jitter'>;

export function queuePolicy(env: NodeJS.ProcessEnv): QueuePolicy {
  const n = (name: string, fallback: number) => {
    const v = Number(env[name]);
    return env[name] && Number.isFinite(v) && v > 0 ? v : fallback;
  };
  return {
    baseDelayMs: n('SPARKPOLAR_PUBLISH_RETRY_BASE_MS', 15_000),
    maxDelayMs: n('SPARKPOLAR_PUBLISH_RETRY_MAX_MS', 10 * 60_000),
    jitter: 'equal',
  };
}

export type PublishMode = 'direct' | 'queued';

/** What publishing needs of the engine: its base, the configuration and where runs come from. */
export interface PublishContext extends EngineBase, SettingsContext, RunSourceContext {}

/**
 * Publishes entry `id`. `direct`: the user is waiting, non-transient errors are thrown and the entry
 * removed. `queued`: a background retry, errors are recorded on the entry. Answers null when
 * another publisher holds the entry.
 */
export async function publishEntry(ctx: PublishContext, id: number, job: JobContext, mode: PublishMode): Promise<PublishResult | null> {
  const started = performance.now();
  const outcome = await withLockedEntry(ctx.db, id, async (entry, update) => {
    let config;
    let run;
    try {
      config = await resolveStorageConfig(ctx);
      run = await loadRun(ctx, entry.dataset, entry.runId);
    } catch (err) {
      if (mode === 'direct') {
        await update.remove();
        throw err;
      }
      await update.failed(toErrorData(err));
      return null;
    }
    const store = new ObjectStore(config, ctx.log);
    const prefix = runPrefix({ dataset: run.dataset, version: run.version, runId: run.runId });
    const base = { queueId: entry.id, dataset: run.dataset, version: run.version, runId: run.runId, bucket: config.bucket, prefix };
    const attempts = await update.publishing({ endpoint: config.endpoint, bucket: config.bucket, prefix });
    try {
      const facts = await datasetFacts(ctx, run.dataset, run.version);
      const done = await publishRun(
        ctx,
        store,
        { run, facts, prefix, charts: entry.charts, includeDataset: entry.includeDataset, requestedAt: entry.createdAt },
        job,
      );
      const result: PublishResult = {
        status: 'published',
        ...base,
        objects: done.objects,
        bytes: done.bytes,
        uploaded: done.uploaded,
        skipped: done.skipped,
        manifestKey: done.manifestKey,
        durationMs: Math.round(performance.now() - started),
      };
      await update.done(result);
      ctx.log.info('run published', {
        dataset: run.dataset,
        runId: run.runId,
        objects: done.objects,
        uploaded: done.uploaded,
        skipped: done.skipped,
      });
      return result;
    } catch (err) {
      const error = toErrorData(err);
      if (error.code === 'CANCELLED') {
        await removeIncomplete(store, prefix).catch(() => undefined);
        await update.remove();
        throw err;
      }
      if (error.code === 'S3_UNAVAILABLE') {
        const policy = queuePolicy(ctx.env);
        const next = await update.requeue(error, backoffDelay(attempts - 1, policy));
        ctx.log.warn('storage unavailable; publish queued', { queueId: entry.id, attempts, next: next.toISOString() });
        return {
          status: 'queued',
          ...base,
          objects: 0,
          bytes: 0,
          uploaded: 0,
          skipped: 0,
          manifestKey: null,
          durationMs: Math.round(performance.now() - started),
          error,
        } satisfies PublishResult;
      }
      if (mode === 'direct') await update.remove();
      else await update.failed(error);
      throw err;
    }
  });
  if (!outcome.locked) {
    if (mode === 'direct')
      throw new StudioError(
        'INVALID_REQUEST',
        `This run is being published right now (queue entry ${id}).`,
        { queueId: id },
        'Wait for it to finish; the publish queue shows its progress.',
      );
    return null;
  }
  return outcome.value;
}

/** Removes a run's objects when it has no manifest (never touches a complete, earlier publish). */
async function removeIncomplete(store: ObjectStore, prefix: string): Promise<void> {
  if (await store.stat(keys.manifest(prefix))) return;
  const found = await store.list(prefix);
  if (found.length) await store.remove(found.map((o) => o.key));
}
