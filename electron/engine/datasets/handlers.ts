import type { datasetMethods } from '../../../shared/contract/dataset';
import type { EngineBase } from '../base';
import type { Browser } from '../browse/page';
import type { FileAccess } from '../files/access';
import type { DomainHandlers } from '../rpc/handlers';
import type { ArrivingFiles } from '../ingest/arriving';
import { importCsv } from '../ingest/import';
import type { Catalog } from '../catalog/catalog';
import { dropRowMaps } from '../browse/row-maps';
import { versionRejects } from '../ingest/rejects';

export interface DatasetHandlerContext extends EngineBase {
  catalog: Catalog;
  browse: Browser;
  files: FileAccess;
  arriving: ArrivingFiles;
  /** Drops the analysis snapshots of deleted version tables. */
  analysisRuns: { dropSnapshots(tables: readonly string[]): Promise<void> };
}

export function datasetHandlers(ctx: DatasetHandlerContext): DomainHandlers<typeof datasetMethods> {
  const catalog = ctx.catalog;
  return {
    'dataset/import': async (request, job) =>
      importCsv({ db: ctx.db, home: ctx.home, log: ctx.log, catalog: ctx.catalog, files: ctx.files, arriving: ctx.arriving }, request, job),
    'dataset/list': async () => catalog.list(),
    'dataset/get': async ({ dataset, version }) => catalog.get(dataset, version),
    'dataset/versions': async ({ dataset }) => catalog.versions(dataset),
    'dataset/rename': async ({ dataset, to }) => {
      await catalog.rename(dataset, to);
      return { dataset: to };
    },
    'dataset/delete': async ({ dataset }) => {
      const deleted = await catalog.delete(dataset, dropRowMaps);
      if (deleted?.tables.length) await ctx.analysisRuns.dropSnapshots(deleted.tables);
      return { deleted: deleted !== null };
    },
    'dataset/page': async ({ offset, limit, ...view }, signal) => ctx.browse.page(view, offset, limit, signal),
    'dataset/rejects': async ({ dataset, version, limit }) => versionRejects(catalog, dataset, version, limit),
  };
}
