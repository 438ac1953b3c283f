/**
 * One settings service per engine: the settings file of its data folder and the secret store its
 * host provides. The desktop entry installs a host-backed store with `useSecretStore`; every other
 * host (CLI, browser mode, tests) gets environment variables plus an in-memory store.
 */
import type { SecretName, SecretPersistence } from '../../../shared/contract/settings';
import type { Logger } from '../log';
import { EnvBackedSecretStore, type SecretStore } from './secrets';
import type { Settings } from './schema';
import { SettingsStore, type LoadedSettings } from './store';

/** The part of the engine context settings need (an `EngineContext` fits). */
export interface SettingsContext {
  home: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
}

export class SettingsService {
  readonly store: SettingsStore;

  constructor(
    ctx: SettingsContext,
    readonly secrets: SecretStore,
  ) {
    this.store = new SettingsStore(ctx.home, ctx.log);
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

const services = new WeakMap<object, SettingsService>();

export function settingsFor(ctx: SettingsContext): SettingsService {
  let service = services.get(ctx);
  if (!service) {
    service = new SettingsService(ctx, new EnvBackedSecretStore(ctx.env));
    services.set(ctx, service);
  }
  return service;
}

/** Gives an engine the secret store of its host (the desktop app's safeStorage through main). */
export function useSecretStore(ctx: SettingsContext, store: SecretStore): void {
  services.set(ctx, new SettingsService(ctx, store));
}
