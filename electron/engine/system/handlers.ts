import os from 'node:os';
import type { SystemInfo, systemMethods } from '../../../shared/contract/system';
import type { EngineBase } from '../base';
import type { DomainHandlers } from '../rpc/handlers';
import { versions } from './versions';

export interface SystemHandlerContext extends EngineBase {
  /** Whether object storage and Databricks are configured (doctor). */
  connections: { summary(): Promise<Pick<SystemInfo, 'storage' | 'databricks'>> };
}

export function systemHandlers(ctx: SystemHandlerContext): DomainHandlers<typeof systemMethods> {
  return {
    'system/ping': async () => ({ pong: true, at: new Date().toISOString() }),
    'system/info': async () => {
      const v = versions();
      const services = await ctx.connections.summary();
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
