/**
 * Every domain's handlers, merged into the one map the RPC server serves. Adding a domain:
 * declare its methods in `shared/contract/<domain>.ts`, add them to `shared/api.ts`, implement
 * them in `electron/engine/<domain>/handlers.ts`, and spread them in here.
 */
import { analysisHandlers } from './analysis/handlers';
import { datasetHandlers } from './datasets/handlers';
import type { EngineContext } from './context';
import { exportHandlers } from './export/handlers';
import { jobHandlers } from './rpc/job-handlers';
import type { AllHandlers } from './rpc/server';
import { settingsHandlers } from './settings/handlers';
import { sparkHandlers } from './spark/handlers';
import { storageHandlers } from './storage/handlers';
import { sweepHandlers } from './sweep/handlers';
import { systemHandlers } from './system/handlers';

export function createHandlers(ctx: EngineContext): AllHandlers {
  return {
    ...systemHandlers(ctx),
    ...jobHandlers(ctx),
    ...datasetHandlers(ctx),
    ...analysisHandlers(ctx),
    ...settingsHandlers(ctx),
    ...sparkHandlers(ctx),
    ...storageHandlers(ctx),
    ...exportHandlers(ctx),
    ...sweepHandlers(ctx),
  };
}
