/**
 * The configuration the engine actually uses for each service, from the settings file, the secret
 * store and the environment. Environment variables win over settings (the convention of the
 * MinIO and Databricks tools), and `~/.databrickscfg` profiles are read like the Databricks CLI does.
 *
 * Other domains call `effectiveStorageConfig(ctx)` / `effectiveDatabricksConfig(ctx)` (or the
 * `require…` forms, which throw a StudioError naming what is missing) and never read settings,
 * secrets or environment variables themselves.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseIni } from 'ini';
import type { DatabricksCompute, DatabricksUpload } from '../../../shared/contract/settings';
import { StudioError } from '../../../shared/errors';
import type { Settings } from './schema';
import { EnvBackedSecretStore, type SecretStore } from './secrets';
import { SettingsService, settingsFor, type SettingsContext } from './service';

export interface StorageConfig {
  /** Normalised origin, e.g. `http://127.0.0.1:9000`. */
  endpoint: string;
  host: string;
  port: number;
  useTLS: boolean;
  region: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  source: 'settings' | 'environment';
}

export type DatabricksAuth = { kind: 'token'; token: string } | { kind: 'oauth'; clientId: string; clientSecret: string };

export interface DatabricksConfig {
  /** `https://<workspace>` without a trailing slash. */
  host: string;
  auth: DatabricksAuth;
  compute: DatabricksCompute;
  upload: DatabricksUpload;
  source: 'settings' | 'environment' | 'profile';
  /** The `~/.databrickscfg` profile used, when source is `profile`. */
  profile?: string;
}

export interface Resolution<C, S extends string> {
  config: C | null;
  source: S | null;
  /** What is missing for the service to be usable (setting names or variables), empty when configured. */
  missing: string[];
  /** Non-secret description for status displays. */
  summary: Record<string, string>;
}

const truthy = (v: string | undefined) => /^(1|true|yes|on)$/i.test(v ?? '');

/** `host:port` or a URL → origin, host, port and TLS flag. The URL's scheme, when given, decides TLS. */
export function parseEndpoint(raw: string, useTLS: boolean): { endpoint: string; host: string; port: number; useTLS: boolean } | null {
  const text = raw.trim();
  if (!text) return null;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `${useTLS ? 'https' : 'http'}://${text}`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    const tls = url.protocol === 'https:';
    const port = url.port ? Number(url.port) : tls ? 443 : 80;
    return { endpoint: `${url.protocol}//${url.host}`, host: url.hostname, port, useTLS: tls };
  } catch {
    return null;
  }
}

export async function resolveStorage(ctx: SettingsContext, service: SettingsService = settingsFor(ctx)): Promise<Resolution<StorageConfig, 'settings' | 'environment'>> {
  const env = ctx.env;
  if (env.MINIO_ENDPOINT) {
    const parsed = parseEndpoint(env.MINIO_ENDPOINT, truthy(env.MINIO_USE_SSL) || truthy(env.MINIO_USE_TLS));
    const missing = [!parsed && 'MINIO_ENDPOINT (not a valid host:port or URL)', !env.MINIO_ACCESS_KEY && 'MINIO_ACCESS_KEY', !env.MINIO_SECRET_KEY && 'MINIO_SECRET_KEY'].filter(Boolean) as string[];
    const bucket = env.MINIO_BUCKET || 'sparkpolar';
    const summary = { endpoint: parsed?.endpoint ?? env.MINIO_ENDPOINT, bucket };
    if (missing.length || !parsed) return { config: null, source: 'environment', missing, summary };
    return {
      config: { ...parsed, region: env.MINIO_REGION || 'us-east-1', accessKey: env.MINIO_ACCESS_KEY!, secretKey: env.MINIO_SECRET_KEY!, bucket, source: 'environment' },
      source: 'environment',
      missing: [],
      summary,
    };
  }
  const s = (await service.settings()).storage;
  if (!s.endpoint) return { config: null, source: null, missing: ['storage.endpoint'], summary: {} };
  const parsed = parseEndpoint(s.endpoint, s.useTLS);
  const secretKey = await service.secrets.get('storage.secretKey');
  const missing = [!parsed && 'storage.endpoint (not a valid host:port or URL)', !s.accessKey && 'storage.accessKey', !secretKey && 'storage.secretKey', !s.bucket && 'storage.bucket'].filter(Boolean) as string[];
  const summary = { endpoint: parsed?.endpoint ?? s.endpoint, bucket: s.bucket };
  if (missing.length || !parsed || !secretKey) return { config: null, source: 'settings', missing, summary };
  return { config: { ...parsed, region: s.region || 'us-east-1', accessKey: s.accessKey, secretKey, bucket: s.bucket, source: 'settings' }, source: 'settings', missing: [], summary };
}

/** The object-storage configuration in force, or null when it is incomplete. */
export async function effectiveStorageConfig(ctx: SettingsContext): Promise<StorageConfig | null> {
  return (await resolveStorage(ctx)).config;
}

/** Like effectiveStorageConfig, but throws S3_NOT_CONFIGURED naming what is missing. */
export async function requireStorageConfig(ctx: SettingsContext): Promise<StorageConfig> {
  const r = await resolveStorage(ctx);
  if (r.config) return r.config;
  throw new StudioError('S3_NOT_CONFIGURED', `Object storage is not configured: missing ${r.missing.join(', ')}.`, { missing: r.missing, source: r.source });
}

export function normaliseHost(raw: string): string {
  const text = raw.trim().replace(/\/+$/, '');
  if (!text) return '';
  return /^https?:\/\//i.test(text) ? text : `https://${text}`;
}

interface ProfileSection {
  host?: string;
  token?: string;
  client_id?: string;
  client_secret?: string;
  cluster_id?: string;
}

/** `DATABRICKS_CONFIG_FILE` or `~/.databrickscfg`, parsed; null when absent or unreadable. */
export function readDatabricksProfiles(env: NodeJS.ProcessEnv): Record<string, ProfileSection> | null {
  const home = env.HOME || env.USERPROFILE || os.homedir();
  const file = env.DATABRICKS_CONFIG_FILE || path.join(home, '.databrickscfg');
  try {
    return parseIni(fs.readFileSync(file, 'utf8')) as Record<string, ProfileSection>;
  } catch {
    return null;
  }
}

type DatabricksSource = DatabricksConfig['source'];

function authFrom(values: { token?: string | null; clientId?: string | null; clientSecret?: string | null }, prefer: 'token' | 'oauth' | null): DatabricksAuth | null {
  if (prefer !== 'oauth' && values.token) return { kind: 'token', token: values.token };
  if (prefer !== 'token' && values.clientId && values.clientSecret) return { kind: 'oauth', clientId: values.clientId, clientSecret: values.clientSecret };
  return null;
}

export async function resolveDatabricks(ctx: SettingsContext, service: SettingsService = settingsFor(ctx)): Promise<Resolution<DatabricksConfig, DatabricksSource>> {
  const env = ctx.env;
  const settings: Settings['databricks'] = (await service.settings()).databricks;
  const compute = (clusterId?: string): DatabricksCompute => (clusterId ? { kind: 'cluster', clusterId } : settings.compute);
  const done = (host: string, auth: DatabricksAuth | null, source: DatabricksSource, missing: string[], extra: { clusterId?: string; profile?: string } = {}) => {
    const summary: Record<string, string> = { host, source };
    if (auth) summary.auth = auth.kind;
    if (extra.profile) summary.profile = extra.profile;
    if (!host) missing = ['host', ...missing];
    if (!auth || !host) return { config: null, source, missing, summary };
    const config: DatabricksConfig = { host, auth, compute: compute(extra.clusterId), upload: settings.upload, source };
    if (extra.profile) config.profile = extra.profile;
    return { config, source, missing: [], summary };
  };

  if (env.DATABRICKS_HOST) {
    const auth = authFrom({ token: env.DATABRICKS_TOKEN, clientId: env.DATABRICKS_CLIENT_ID, clientSecret: env.DATABRICKS_CLIENT_SECRET }, null);
    return done(normaliseHost(env.DATABRICKS_HOST), auth, 'environment', auth ? [] : ['DATABRICKS_TOKEN (or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET)'], { clusterId: env.DATABRICKS_CLUSTER_ID });
  }

  const fromProfile = (name: string, required: boolean) => {
    const profiles = readDatabricksProfiles(env);
    const section = profiles?.[name];
    if (!section) return required ? done('', null, 'profile', [`profile [${name}] in ${env.DATABRICKS_CONFIG_FILE || '~/.databrickscfg'}`], { profile: name }) : null;
    const auth = authFrom({ token: section.token, clientId: section.client_id, clientSecret: section.client_secret }, null);
    return done(normaliseHost(section.host ?? ''), auth, 'profile', auth ? [] : [`token or client_id/client_secret in profile [${name}]`], {
      clusterId: env.DATABRICKS_CLUSTER_ID || section.cluster_id,
      profile: name,
    });
  };

  if (env.DATABRICKS_CONFIG_PROFILE) return fromProfile(env.DATABRICKS_CONFIG_PROFILE, true)!;
  if (settings.auth.kind === 'profile') return fromProfile(settings.auth.name, true)!;

  if (settings.host) {
    const secrets = service.secrets;
    const token = settings.auth.kind === 'token' ? await secrets.get('databricks.token') : null;
    const clientId = settings.auth.kind === 'oauth' ? settings.auth.clientId : null;
    const clientSecret = settings.auth.kind === 'oauth' ? await secrets.get('databricks.clientSecret') : null;
    const auth = authFrom({ token, clientId, clientSecret }, settings.auth.kind);
    const missing: string[] = [];
    if (!auth) {
      if (settings.auth.kind === 'token') missing.push('databricks.token');
      else {
        if (!clientId) missing.push('databricks.auth.clientId');
        if (!clientSecret) missing.push('databricks.clientSecret');
      }
    }
    return done(normaliseHost(settings.host), auth, 'settings', missing, { clusterId: env.DATABRICKS_CLUSTER_ID });
  }

  return fromProfile('DEFAULT', false) ?? { config: null, source: null, missing: ['databricks.host'], summary: {} };
}

/** The Databricks configuration in force, or null when it is incomplete. */
export async function effectiveDatabricksConfig(ctx: SettingsContext): Promise<DatabricksConfig | null> {
  return (await resolveDatabricks(ctx)).config;
}

/** Like effectiveDatabricksConfig, but throws DATABRICKS_NOT_CONFIGURED naming what is missing. */
export async function requireDatabricksConfig(ctx: SettingsContext): Promise<DatabricksConfig> {
  const r = await resolveDatabricks(ctx);
  if (r.config) return r.config;
  throw new StudioError('DATABRICKS_NOT_CONFIGURED', `Databricks is not configured: missing ${r.missing.join(', ')}.`, { missing: r.missing, source: r.source });
}

/** The external database the settings name (password from the secret store), or undefined for the embedded one. */
export async function settingsDatabaseUrl(service: SettingsService): Promise<string | undefined> {
  const db = (await service.settings()).database;
  if (db.mode !== 'url') return undefined;
  const url = new URL(db.url);
  const password = await service.secrets.get('database.password');
  if (password && !url.password) url.password = encodeURIComponent(password);
  return url.toString();
}

/**
 * Which PostgreSQL an engine should use: `--database-url`, then `DATABASE_URL`, then the settings,
 * else the embedded server (undefined). Hosts call this before constructing the Engine.
 */
export async function resolveDatabaseUrl(options: SettingsContext & { commandLineUrl?: string | undefined; secrets?: SecretStore }): Promise<string | undefined> {
  if (options.commandLineUrl) return options.commandLineUrl;
  if (options.env.DATABASE_URL) return options.env.DATABASE_URL;
  return settingsDatabaseUrl(new SettingsService(options, options.secrets ?? new EnvBackedSecretStore(options.env)));
}
