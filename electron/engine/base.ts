/**
 * What every part of the engine may use: its data folder, host, environment, database, jobs and
 * log. Domains type what they need as this plus the services they use (declared where those
 * services live), so no domain imports the composition in `context.ts`.
 */
import type { Database } from './db/database';
import type { JobManager } from './jobs/manager';
import type { Logger } from './log';

export type EngineHost = 'electron' | 'browser' | 'cli' | 'test';

export interface EngineBase {
  home: string;
  host: EngineHost;
  env: NodeJS.ProcessEnv;
  db: Database;
  jobs: JobManager;
  log: Logger;
}
