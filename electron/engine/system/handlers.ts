import os from 'node:os';
import type { systemMethods } from '../../../shared/contract/system';
import type { EngineContext } from '../engine';
import type { DomainHandlers } from '../rpc/handlers';
import { servicesStatus } from './services';
import { versions } from './versions';

export function systemHandlers(ctx: EngineContext): DomainHandlers<typeof systemMethods> {
  return {
    'system/ping': async () => ({ pong: true, at: new Date().toISOString() }),
    'system/info': async () => {
      const v = versions();
      const services = await servicesStatus(ctx);
      return {
        app: v.app,
        node: v.node,
        electron: { declared: v.electronDeclared, running: v.electronRunning },
        polars: v.polars,
        platform: { os: `${os.type()} ${os.release()}`, arch: os.arch(), cpus: os.cpus().length, memoryBytes: os.totalmem() },
        home: ctx.home,
        database: await ctx.db.info(),
        storage: services.storage,
        databricks: services.databricks,
        host: ctx.host,
      };
    },
  };
}
