/**
 * The engine: plain Node, no Electron. One instance per process; hosts (utility process, CLI,
 * browser mode, tests) create it and attach channels to it.
 */
import fs from 'node:fs';
import type { Channel } from '../../shared/rpc';
import type { EngineHost } from './base';
import { createContext, type EngineContext } from './context';
import { Database, type DatabaseSource } from './db/database';
import { createHandlers } from './handlers';
import { JobManager } from './jobs/manager';
import { createLogger, type Logger } from './log';
import { RpcServer } from './rpc/server';
import type { FilePolicy } from './files/access';
import { EnvBackedSecretStore, type SecretStore } from './settings/secrets';

export interface EngineOptions {
  /** Data folder: embedded PostgreSQL, snapshots, rejects, settings. */
  home: string;
  /** External PostgreSQL; when absent the embedded server in `home` is used. */
  databaseUrl?: string | undefined;
  /**
   * The URL was read from the settings (`resolveDatabase`): without a password of its own it is
   * connected to with none, never with the process's PGPASSWORD (the environment's, for its database).
   */
  databaseUrlFromSettings?: boolean | undefined;
  /** Which host runs the engine: a label for `system/info` and the logs, never a decision (those are the options below). */
  host: EngineHost;
  log?: Logger;
  /** Environment to read service configuration from (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  /** Where secrets are kept (the desktop app's safeStorage); defaults to the environment plus memory. */
  secrets?: SecretStore;
  /**
   * Which files requests may name (`files/access.ts`): `signed` for the desktop (capabilities main
   * signed), `data-folder` for browser mode (uploads in, exports out), `any` where the user at a
   * shell names their own files (the CLI).
   */
  files: FilePolicy;
  /**
   * Retry queued publishes in a background loop, from the start and whenever a publish gets
   * queued: hosts that stay up (the desktop app, browser mode). The CLI exits right after answering.
   */
  retryQueueInBackground: boolean;
}

export class Engine {
  readonly ctx: EngineContext;
  readonly rpc: RpcServer;
  private closed = false;

  constructor(options: EngineOptions) {
    const log = options.log ?? createLogger((line) => process.stderr.write(line + '\n'), 'warn');
    fs.mkdirSync(options.home, { recursive: true });
    const source: DatabaseSource = options.databaseUrl
      ? { kind: 'external', url: options.databaseUrl, environmentPassword: options.databaseUrlFromSettings !== true }
      : { kind: 'embedded', home: options.home };
    const env = options.env ?? process.env;
    const jobs = new JobManager(log);
    const base = { home: options.home, host: options.host, env, db: new Database(source, log), jobs, log };
    this.ctx = createContext(base, {
      secrets: options.secrets ?? new EnvBackedSecretStore(env),
      files: options.files,
      retryQueueInBackground: options.retryQueueInBackground,
    });
    this.rpc = new RpcServer(createHandlers(this.ctx), jobs, log);
    // What an earlier session left queued (a no-op unless the host asked for background retries).
    this.ctx.publishQueue.kick();
  }

  attach(channel: Channel): () => void {
    return this.rpc.attach(channel);
  }

  /** Cancels running jobs, closes connections, and stops the embedded server if we started it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.ctx.jobs.shutdown();
    await this.ctx.db.close();
  }
}
