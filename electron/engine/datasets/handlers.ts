import type { datasetMethods } from '../../../shared/contract/dataset';
import type { EngineContext } from '../engine';
import type { DomainHandlers } from '../rpc/handlers';
import { fileAccessFor } from '../files/access';
import { importCsv } from '../ingest/import';
import { Catalog } from './catalog';

export function datasetHandlers(ctx: EngineContext): DomainHandlers<typeof datasetMethods> {
  const catalog = new Catalog(ctx.db);
  return {
    'dataset/import': async (request, job) =>
      importCsv({ db: ctx.db, home: ctx.home, log: ctx.log, files: fileAccessFor(ctx) }, request, job),
    'dataset/list': async () => catalog.list(),
    'dataset/get': async ({ dataset, version }) => catalog.get(dataset, version),
    'dataset/versions': async ({ dataset }) => catalog.versions(dataset),
    'dataset/rename': async ({ dataset, to }) => {
      await catalog.rename(dataset, to);
      return { dataset: to };
    },
    'dataset/delete': async ({ dataset }) => {
      const deleted = await catalog.delete(dataset);
      if (deleted?.tables.length) {
        const { dropSnapshot } = await import('../analysis/snapshot'); // loads Polars: only when needed
        for (const table of deleted.tables) dropSnapshot(ctx.home, table);
      }
      return { deleted: deleted !== null };
    },
    'dataset/page': async ({ offset, limit, ...view }) => (await import('../browse/page')).browserFor(ctx.db).page(view, offset, limit),
    'dataset/rejects': async ({ dataset, version, limit }) => catalog.rejects(dataset, version, limit),
  };
}
