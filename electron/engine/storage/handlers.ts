/** The storage domain's slice of the contract (shared/contract/storage.ts). */
import type { storageMethods } from '../../../shared/contract/storage';
import type { FileAccess } from '../files/access';
import type { DomainHandlers } from '../rpc/handlers';
import { configFromFields, describeStorageConfig, fieldsToTest, resolveStorageConfig, storageFields } from './config';
import { ObjectStore } from './object-store';
import { publishEntry, type PublishContext } from './publisher';
import { PublishQueue } from './queue';
import type { PublishQueueRunner } from './queue-runner';
import { deleteRemoteRun, downloadRemoteRun, listRemoteRuns, openRemoteRun } from './remote-runs';
import { loadRun } from './run-source';

export interface StorageHandlerContext extends PublishContext {
  files: FileAccess;
  publishQueue: PublishQueueRunner;
}

export function storageHandlers(ctx: StorageHandlerContext): DomainHandlers<typeof storageMethods> {
  const queue = new PublishQueue(ctx.db);
  const store = async () => new ObjectStore(await resolveStorageConfig(ctx), ctx.log);

  return {
    'storage/publish': async (params, job) => {
      await resolveStorageConfig(ctx); // S3_NOT_CONFIGURED before anything is queued
      const run = await loadRun(ctx, params.dataset, params.runId);
      const id = await queue.enqueue({
        dataset: run.dataset,
        version: run.version,
        runId: run.runId,
        includeDataset: params.includeDataset,
        charts: params.charts,
      });
      const result = (await publishEntry(ctx, id, job, 'direct'))!;
      // Retried in the background where the host runs the loop (not the CLI, which exits right after).
      if (result.status === 'queued') ctx.publishQueue.kick();
      return result;
    },
    'storage/runs': async ({ dataset }) => listRemoteRuns(await store(), dataset),
    'storage/open': async ({ verifyDataset, ...run }, job) => openRemoteRun(await store(), run, job, verifyDataset),
    'storage/download': async ({ folder, ...run }, job) => downloadRemoteRun(await store(), run, ctx.files.forWriting(folder), job),
    'storage/delete': async (run) => ({ deleted: await deleteRemoteRun(await store(), run) }),
    'storage/queue': async ({ includeDone }) => queue.list(includeDone),
    'storage/queue-retry': async ({ id }) => {
      const scheduled = await queue.retryNow(id);
      if (scheduled) ctx.publishQueue.kick();
      return { scheduled };
    },
    'storage/queue-remove': async ({ id }) => ({ removed: await queue.remove(id) }),
    'storage/config': async () => describeStorageConfig(ctx),
    'storage/test': async (given) => {
      const saved = (await storageFields(ctx))?.fields ?? {};
      const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined && v !== ''));
      const config = configFromFields(fieldsToTest(saved, defined), ctx.env);
      const probe = await new ObjectStore({ ...config, retry: { ...config.retry, attempts: 1 } }, ctx.log).probe();
      return { ok: true as const, endpoint: config.endpoint, bucket: config.bucket, ...probe };
    },
  };
}
