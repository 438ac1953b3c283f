/**
 * Which PostgreSQL the engine uses: `--database-url`, then `DATABASE_URL`, then the settings
 * (password from the secret store), else the embedded server.
 *
 * Object storage and Databricks are resolved by their own modules (storage/config.ts,
 * spark/config.ts), the only readers of their settings, secrets and environment variables, so what
 * the settings view and doctor report is what publishing and Spark runs will use.
 */
import type { Logger } from '../log';
import { EnvBackedSecretStore, settingsSecret, type SecretStore } from './secrets';
import { SettingsService } from './service';

/** The external database the settings name (password from the secret store), or undefined for the embedded one. */
export async function settingsDatabaseUrl(service: SettingsService): Promise<string | undefined> {
  const db = (await service.settings()).database;
  if (db.mode !== 'url') return undefined;
  const url = new URL(db.url);
  // Saved or entered in the app only: PGPASSWORD belongs to a database the environment names.
  const password = await settingsSecret(service.secrets, 'database.password');
  if (password && !url.password) url.password = encodeURIComponent(password);
  return url.toString();
}

/**
 * Hosts call this before constructing the Engine; undefined means the embedded server. It reads
 * the settings through a SettingsService of its own, the one service built outside `createContext`:
 * the engine's database depends on the answer, so no engine (and no context) exists yet.
 */
export async function resolveDatabaseUrl(options: {
  home: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
  commandLineUrl?: string | undefined;
  secrets?: SecretStore;
}): Promise<string | undefined> {
  if (options.commandLineUrl) return options.commandLineUrl;
  if (options.env.DATABASE_URL) return options.env.DATABASE_URL;
  return settingsDatabaseUrl(new SettingsService(options, options.secrets ?? new EnvBackedSecretStore(options.env)));
}
