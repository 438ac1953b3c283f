/**
 * The engine context: the base every domain may use plus the services, each built once when the
 * engine starts. Handlers are thin adapters over these; a domain reaches another domain's logic
 * through a service here, never through that domain's handler map.
 *
 * Dependencies point one way: this module imports the domains, and no domain imports it. A domain
 * declares what it needs (`SparkContext`, `StorageHandlerContext`, …) as `EngineBase` plus the
 * services it uses; `EngineContext` fits every one of them.
 */
import { AnalysisRuns } from './analysis/runs';
import type { EngineBase } from './base';
import { Browser } from './browse/page';
import { connectionsOf, type Connections } from './connections';
import { Catalog } from './catalog/catalog';
import { createFileAccess, type FileAccess, type FilePolicy } from './files/access';
import { ArrivingFiles } from './ingest/arriving';
import type { SecretStore } from './settings/secrets';
import { SettingsService } from './settings/service';
import { PublishQueueRunner } from './storage/queue-runner';

export interface EngineServices {
  /** The settings file and the secret store the host gave the engine. */
  settings: SettingsService;
  /** Datasets and their versions. */
  catalog: Catalog;
  /** Run, list and read analysis runs (storage, export and spark use them too). */
  analysisRuns: AnalysisRuns;
  /** The background loop that retries queued publishes. */
  publishQueue: PublishQueueRunner;
  /** Sorted and filtered pages for the grid and dataset exports, with their caches. */
  browse: Browser;
  /** Which files a request may read or write on this host. */
  files: FileAccess;
  /** Whether object storage and Databricks are configured, for the settings view and doctor. */
  connections: Connections;
  /** Uploads still being written, which an import may already read (browser mode). */
  arriving: ArrivingFiles;
}

export interface EngineContext extends EngineBase, EngineServices {}

/** What the host decides about the services (from `EngineOptions`); no service reads `host`. */
export interface ServiceOptions {
  secrets: SecretStore;
  files: FilePolicy;
  retryQueueInBackground: boolean;
}

export function createContext(base: EngineBase, options: ServiceOptions): EngineContext {
  const settings = new SettingsService(base, options.secrets);
  const catalog = new Catalog(base.db);
  const analysisRuns = new AnalysisRuns({ ...base, catalog });
  const publishing = { ...base, settings, catalog, analysisRuns };
  return {
    ...publishing,
    publishQueue: new PublishQueueRunner(publishing, options.retryQueueInBackground),
    browse: new Browser(base.db, catalog, base.home),
    files: createFileAccess(base, options.files),
    connections: connectionsOf(publishing),
    arriving: new ArrivingFiles(),
  };
}
