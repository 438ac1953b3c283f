/**
 * The settings service of an engine: the settings file of its data folder and the secret store its
 * host gives the engine when it is built (the desktop app's safeStorage through main; environment
 * variables plus an in-memory store for the CLI, browser mode and tests).
 */
import type { SecretName, SecretPersistence } from '../../../shared/contract/settings';
import type { Logger } from '../log';
import type { SecretStore } from './secrets';
import type { Settings } from './schema';
import { SettingsStore, type LoadedSettings } from './store';

/** What code that reads the configuration needs of the engine (an `EngineContext` fits). */
export interface SettingsContext {
  env: NodeJS.ProcessEnv;
  settings: SettingsService;
}

export class SettingsService {
  readonly store: SettingsStore;

  constructor(
    where: { home: string; log: Logger },
    readonly secrets: SecretStore,
  ) {
    this.store = new SettingsStore(where.home, where.log);
  }

  /** The saved settings; secrets an old file carried are moved into the secret store first. */
  async load(): Promise<LoadedSettings> {
    const loaded = await this.store.load();
    for (const [name, value] of Object.entries(loaded.migratedSecrets) as [SecretName, string][]) await this.secrets.set(name, value);
    return loaded;
  }

  async settings(): Promise<Settings> {
    return (await this.load()).settings;
  }

  persistence(): Promise<SecretPersistence> {
    return this.secrets.persistence();
  }
}
