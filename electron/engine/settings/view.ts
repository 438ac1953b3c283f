/**
 * What `settings/get` answers: the saved settings with every secret replaced by a marker, how
 * secrets are kept, and what configuration is in force (environment variables included).
 */
import type { SecretMarker, SecretName, SettingsView } from '../../../shared/contract/settings';
import { describeUrl } from '../db/database';
import type { EngineBase } from '../base';
import type { Settings } from './schema';
import type { SettingsService } from './service';

export const SESSION_ONLY_MESSAGE =
  'This system offers no encrypted storage for secrets: they are kept in memory for this session only and asked for again after a restart. Nothing secret is written to disk.';
export const ENCRYPTED_MESSAGE = 'Secrets are encrypted by the operating system (safeStorage) and never leave this computer in clear.';

async function marker(service: SettingsService, name: SecretName): Promise<SecretMarker> {
  const source = service.secrets.source ? await service.secrets.source(name) : (await service.secrets.has(name)) ? 'session' : null;
  return source ? { hasSecret: true, source } : { hasSecret: false };
}

function databaseSource(ctx: Pick<EngineBase, 'db' | 'env'>, settings: Settings): SettingsView['effective']['database'] {
  const source = ctx.db.source;
  if (source.kind === 'embedded') return { mode: 'embedded', source: 'default', location: source.home };
  const location = describeUrl(source.url);
  const withoutPassword = (u: string) => {
    try {
      const url = new URL(u);
      url.password = '';
      return url.toString();
    } catch {
      return u;
    }
  };
  let origin: 'settings' | 'environment' | 'command line' = 'command line';
  if (ctx.env.DATABASE_URL && ctx.env.DATABASE_URL === source.url) origin = 'environment';
  else if (settings.database.mode === 'url' && withoutPassword(settings.database.url) === withoutPassword(source.url)) origin = 'settings';
  return { mode: 'external', source: origin, location };
}

/** Object storage and Databricks as publishing and Spark runs will use them (asked of their own modules). */
export type ConnectionsInEffect = Pick<SettingsView['effective'], 'storage' | 'databricks'>;

export async function buildView(
  ctx: Pick<EngineBase, 'db' | 'env'>,
  service: SettingsService,
  connections: ConnectionsInEffect,
): Promise<SettingsView> {
  const settings = await service.settings();
  const persistence = await service.persistence();
  const auth = settings.databricks.auth;
  return {
    version: settings.version,
    database:
      settings.database.mode === 'url'
        ? { mode: 'url', url: settings.database.url, password: await marker(service, 'database.password') }
        : { mode: 'embedded' },
    storage: { ...settings.storage, secretKey: await marker(service, 'storage.secretKey') },
    databricks: {
      host: settings.databricks.host,
      auth:
        auth.kind === 'token'
          ? { kind: 'token', token: await marker(service, 'databricks.token') }
          : auth.kind === 'oauth'
            ? { kind: 'oauth', clientId: auth.clientId, clientSecret: await marker(service, 'databricks.clientSecret') }
            : { kind: 'profile', name: auth.name },
      compute: settings.databricks.compute,
      upload: settings.databricks.upload,
      allowInsecureHttp: settings.databricks.allowInsecureHttp,
    },
    secrets: { persistence, message: persistence === 'encrypted' ? ENCRYPTED_MESSAGE : SESSION_ONLY_MESSAGE },
    effective: {
      database: databaseSource(ctx, settings),
      ...connections,
    },
    file: service.store.file,
  };
}
