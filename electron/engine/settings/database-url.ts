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

interface DatabaseUrlSources {
  home: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
  commandLineUrl?: string | undefined;
  secrets?: SecretStore;
}

/**
 * The external database to use and whether its URL came from the settings (the Engine's
 * `databaseUrlFromSettings`: node-postgres must then not complete a URL without a password with the
 * process's PGPASSWORD, which belongs to a database the environment names); undefined means the
 * embedded server. Hosts call this before constructing the Engine. It reads the settings through a
 * SettingsService of its own, the one service built outside `createContext`: the engine's database
 * depends on the answer, so no engine (and no context) exists yet.
 */
export async function resolveDatabase(options: DatabaseUrlSources): Promise<{ url: string; fromSettings: boolean } | undefined> {
  if (options.commandLineUrl) return { url: options.commandLineUrl, fromSettings: false };
  if (options.env.DATABASE_URL) return { url: options.env.DATABASE_URL, fromSettings: false };
  const url = await settingsDatabaseUrl(new SettingsService(options, options.secrets ?? new EnvBackedSecretStore(options.env)));
  return url === undefined ? undefined : { url, fromSettings: true };
}

/** The URL `resolveDatabase` chooses. */
export async function resolveDatabaseUrl(options: DatabaseUrlSources): Promise<string | undefined> {
  return (await resolveDatabase(options))?.url;
}
