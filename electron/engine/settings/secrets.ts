/**
 * How the engine reaches secrets. It never stores one itself: it asks its host.
 * - Desktop app: main keeps them with Electron's safeStorage (see host-secrets.ts), or only in
 *   memory when the OS offers no encryption.
 * - CLI and browser mode: environment variables, plus values entered this session, kept in memory
 *   only and never written to disk.
 */
import { SECRET_NAMES, type SecretName, type SecretPersistence, type SecretSource } from '../../../shared/contract/settings';

export interface SecretStore {
  /** `encrypted`: survives a restart; `session`: forgotten when the process ends. */
  persistence(): Promise<SecretPersistence>;
  get(name: SecretName): Promise<string | null>;
  set(name: SecretName, value: string): Promise<void>;
  has(name: SecretName): Promise<boolean>;
  delete(name: SecretName): Promise<void>;
  /** Where a secret comes from, when it exists. */
  source?(name: SecretName): Promise<SecretSource | null>;
  /**
   * Only a value saved or entered in the app, for a store that also answers from elsewhere (the
   * environment); a store without it answers `get` from its own values only.
   */
  own?(name: SecretName): Promise<string | null>;
}

export function isSecretName(name: unknown): name is SecretName {
  return typeof name === 'string' && (SECRET_NAMES as readonly string[]).includes(name);
}

/** Secrets for the session only. */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<SecretName, string>();
  async persistence(): Promise<SecretPersistence> {
    return 'session';
  }
  async get(name: SecretName) {
    return this.values.get(name) ?? null;
  }
  async set(name: SecretName, value: string) {
    this.values.set(name, value);
  }
  async has(name: SecretName) {
    return this.values.has(name);
  }
  async delete(name: SecretName) {
    this.values.delete(name);
  }
  async source(name: SecretName): Promise<SecretSource | null> {
    return this.values.has(name) ? 'session' : null;
  }
}

/** The conventional variable for each secret (the same names docker-compose and the SDKs use). */
export const SECRET_ENV: Record<SecretName, string> = {
  'database.password': 'PGPASSWORD',
  'storage.secretKey': 'MINIO_SECRET_KEY',
  'databricks.token': 'DATABRICKS_TOKEN',
  'databricks.clientSecret': 'DATABRICKS_CLIENT_SECRET',
};

/**
 * The secret for an endpoint the settings name: one saved or entered in the app, never an
 * environment variable's. A secret from the environment belongs to the endpoint that same
 * environment names (`DATABRICKS_HOST` or `DATABRICKS_CONFIG_PROFILE`, `MINIO_ENDPOINT`,
 * `DATABASE_URL`); lent to a host typed in the settings, it would go wherever that host points.
 * spark/config.ts, storage/config.ts and database-url.ts read settings' secrets only through this.
 */
export function settingsSecret(store: SecretStore, name: SecretName): Promise<string | null> {
  return store.own ? store.own(name) : store.get(name);
}

/** The environment variable holding `name`'s secret, when it is set (said in the status, never the value). */
export function secretInEnvironment(env: NodeJS.ProcessEnv, name: SecretName): string | null {
  return env[SECRET_ENV[name]] ? SECRET_ENV[name] : null;
}

/**
 * A store in front of the environment: a value set in the store wins; otherwise the environment
 * variable answers `get` (what the settings view marks as `environment`). Deleting only forgets
 * the stored value (the environment is not ours to change). What connects to an endpoint from
 * the settings asks `own` through `settingsSecret`, never `get`.
 */
export class EnvBackedSecretStore implements SecretStore {
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly inner: SecretStore = new MemorySecretStore(),
  ) {}
  persistence() {
    return this.inner.persistence();
  }
  private fromEnv(name: SecretName): string | null {
    const value = this.env[SECRET_ENV[name]];
    return value ? value : null;
  }
  async get(name: SecretName) {
    return (await this.inner.get(name)) ?? this.fromEnv(name);
  }
  own(name: SecretName) {
    return settingsSecret(this.inner, name);
  }
  set(name: SecretName, value: string) {
    return this.inner.set(name, value);
  }
  async has(name: SecretName) {
    return (await this.inner.has(name)) || this.fromEnv(name) !== null;
  }
  delete(name: SecretName) {
    return this.inner.delete(name);
  }
  async source(name: SecretName): Promise<SecretSource | null> {
    if (await this.inner.has(name))
      return (await this.inner.source?.(name)) ?? ((await this.inner.persistence()) === 'encrypted' ? 'stored' : 'session');
    return this.fromEnv(name) !== null ? 'environment' : null;
  }
}
