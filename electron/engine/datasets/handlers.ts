import type { datasetMethods } from '../../../shared/contract/dataset';
import { StudioError } from '../../../shared/errors';
import type { EngineContext } from '../engine';
import type { DomainHandlers } from '../rpc/handlers';
import { Catalog } from './catalog';

const notYetBuilt = (method: string) => async (): Promise<never> => {
  throw new StudioError('INTERNAL', `${method} is being built in this session.`);
};

export function datasetHandlers(ctx: EngineContext): DomainHandlers<typeof datasetMethods> {
  const catalog = new Catalog(ctx.db);
  return {
    'dataset/import': notYetBuilt('dataset/import'),
    'dataset/list': async () => catalog.list(),
    'dataset/get': async ({ dataset, version }) => catalog.get(dataset, version),
    'dataset/versions': async ({ dataset }) => catalog.versions(dataset),
    'dataset/rename': async ({ dataset, to }) => {
      await catalog.rename(dataset, to);
      return { dataset: to };
    },
    'dataset/delete': async ({ dataset }) => ({ deleted: await catalog.delete(dataset) }),
    'dataset/page': notYetBuilt('dataset/page'),
    'dataset/rejects': notYetBuilt('dataset/rejects'),
  };
}
