/**
 * Where objects go: the settings (DESKTOP's settings store) or the MINIO_* environment variables,
 * which win when MINIO_ENDPOINT is set. A secret key travels only with its own endpoint:
 * MINIO_SECRET_KEY with MINIO_ENDPOINT, the one saved in the app with the settings' endpoint. Keys left empty fall back to the docker-compose defaults,
 * so `docker compose up -d minio` plus an endpoint works out of the box.
 */
import { StudioError } from '../../../shared/errors';
import type { StorageConfigView } from '../../../shared/contract/storage';
import { checkCleartextEndpoint, endpointOrigin, insecureHttpAllowedByEnv } from '../settings/endpoints';
import type { RetryPolicy } from '../retry';
import { secretInEnvironment, settingsSecret } from '../settings/secrets';
import type { SettingsContext } from '../settings/service';

/** docker-compose.yml's MinIO root user and password (see .env.example). */
export const COMPOSE_DEFAULTS = { accessKey: 'minioadmin', secretKey: 'minioadmin', bucket: 'sparkpolar', region: 'us-east-1' } as const;

export interface StorageConfig {
  /** Normalised `http(s)://host:port`. */
  endpoint: string;
  host: string;
  port: number;
  useTLS: boolean;
  region: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  /** Objects larger than this go up in multipart (the minio client's minimum is 5 MiB). */
  partSizeBytes: number;
  retry: RetryPolicy;
  source: 'settings' | 'environment' | 'given';
}

export const DEFAULT_PART_SIZE = 64 * 1024 * 1024;
export const MIN_PART_SIZE = 5 * 1024 * 1024;
/** Storage requests: a few quick tries each (a longer outage queues the publish instead), equal jitter, no time budget. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, budgetMs: Infinity, baseDelayMs: 300, maxDelayMs: 5_000, jitter: 'equal' };

/** Accepts `http://host:9000`, `https://host`, or a bare `host:port` with `useTLS` deciding. */
export function parseEndpoint(raw: string, useTLS = false): { endpoint: string; host: string; port: number; useTLS: boolean } {
  const text = raw.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `${useTLS ? 'https' : 'http'}://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new StudioError(
      'SETTINGS_INVALID',
      `The storage endpoint "${raw}" is not a URL.`,
      { endpoint: raw },
      'Write it like http://127.0.0.1:9000.',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new StudioError('SETTINGS_INVALID', `The storage endpoint must start with http:// or https://, not ${url.protocol}//.`, {
      endpoint: raw,
    });
  }
  if ((url.pathname && url.pathname !== '/') || url.search || url.username) {
    throw new StudioError(
      'SETTINGS_INVALID',
      'The storage endpoint is a server address only: no path, query or credentials.',
      { endpoint: raw },
      'Write it like http://127.0.0.1:9000 and put the bucket in its own field.',
    );
  }
  const tls = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : tls ? 443 : 80;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return { endpoint: `${url.protocol}//${url.host}`, host, port, useTLS: tls };
}

/** S3 bucket naming rules (what MinIO enforces). */
export function checkBucketName(bucket: string): void {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) {
    throw new StudioError(
      'SETTINGS_INVALID',
      `"${bucket}" is not a valid bucket name.`,
      { bucket },
      'Use 3 to 63 lower-case letters, digits, dots or hyphens, starting and ending with a letter or digit.',
    );
  }
}

function tuning(env: NodeJS.ProcessEnv): Pick<StorageConfig, 'partSizeBytes' | 'retry'> {
  const num = (name: string) => {
    const v = env[name];
    return v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
  };
  const partMb = num('SPARKPOLAR_S3_PART_SIZE_MB');
  return {
    partSizeBytes: Math.max(MIN_PART_SIZE, partMb ? Math.round(partMb * 1024 * 1024) : DEFAULT_PART_SIZE),
    retry: {
      ...DEFAULT_RETRY,
      attempts: Math.max(1, num('SPARKPOLAR_S3_ATTEMPTS') ?? DEFAULT_RETRY.attempts),
      baseDelayMs: Math.max(1, num('SPARKPOLAR_S3_RETRY_BASE_MS') ?? DEFAULT_RETRY.baseDelayMs),
      maxDelayMs: Math.max(1, num('SPARKPOLAR_S3_RETRY_MAX_MS') ?? DEFAULT_RETRY.maxDelayMs),
    },
  };
}

export interface StorageFields {
  endpoint?: string | undefined;
  useTLS?: boolean | undefined;
  region?: string | undefined;
  accessKey?: string | undefined;
  secretKey?: string | undefined;
  bucket?: string | undefined;
  /** The user's explicit opt-in to a plain-HTTP endpoint on another machine. */
  allowInsecureHttp?: boolean | undefined;
}

/**
 * The fields `storage/test` connects with: the given ones over the saved ones, except that the
 * saved secret key is dropped when the given endpoint is another one (it belongs to its endpoint).
 */
export function fieldsToTest(saved: StorageFields, given: StorageFields): StorageFields {
  const merged: StorageFields = { ...saved, ...given };
  const origin = (f: StorageFields) => endpointOrigin(f.endpoint ?? '', f.useTLS ? 'https' : 'http');
  if (given.secretKey === undefined && origin(saved) !== origin(merged)) delete merged.secretKey;
  return merged;
}

/** Builds a config from explicit fields (the settings form's "Test connection", tests). */
export function configFromFields(
  fields: StorageFields,
  env: NodeJS.ProcessEnv = {},
  source: StorageConfig['source'] = 'given',
): StorageConfig {
  if (!fields.endpoint?.trim()) throw new StudioError('S3_NOT_CONFIGURED', 'No object storage endpoint is set.');
  const bucket = fields.bucket?.trim() || COMPOSE_DEFAULTS.bucket;
  checkBucketName(bucket);
  const endpoint = parseEndpoint(fields.endpoint, fields.useTLS);
  checkCleartextEndpoint('The storage endpoint', endpoint.endpoint, fields.allowInsecureHttp === true || insecureHttpAllowedByEnv(env));
  return {
    ...endpoint,
    region: fields.region?.trim() || COMPOSE_DEFAULTS.region,
    accessKey: fields.accessKey || COMPOSE_DEFAULTS.accessKey,
    secretKey: fields.secretKey || COMPOSE_DEFAULTS.secretKey,
    bucket,
    source,
    ...tuning(env),
  };
}

/** The fields in effect and where they come from, or null when nothing is configured. */
export async function storageFields(ctx: SettingsContext): Promise<{ fields: StorageFields; source: 'settings' | 'environment' } | null> {
  const env = ctx.env;
  const service = ctx.settings;
  // Saved or entered in the app only: MINIO_SECRET_KEY goes with MINIO_ENDPOINT and nowhere else.
  const secret = (await settingsSecret(service.secrets, 'storage.secretKey')) ?? undefined;
  if (env.MINIO_ENDPOINT) {
    const saved = await service.settings().catch(() => null);
    // The stored secret was entered for the settings' endpoint: never sent to another one.
    const sameEndpoint =
      !!saved &&
      endpointOrigin(env.MINIO_ENDPOINT, 'http') === endpointOrigin(saved.storage.endpoint, saved.storage.useTLS ? 'https' : 'http');
    return {
      source: 'environment',
      fields: {
        endpoint: env.MINIO_ENDPOINT,
        region: env.MINIO_REGION || saved?.storage.region,
        accessKey: env.MINIO_ACCESS_KEY,
        secretKey: env.MINIO_SECRET_KEY || (sameEndpoint ? secret : undefined),
        bucket: env.MINIO_BUCKET || saved?.storage.bucket,
      },
    };
  }
  const settings = await service.settings();
  const s = settings.storage;
  if (!s.endpoint.trim()) return null;
  return {
    source: 'settings',
    fields: {
      endpoint: s.endpoint,
      useTLS: s.useTLS,
      region: s.region,
      accessKey: s.accessKey,
      secretKey: secret,
      bucket: s.bucket,
      allowInsecureHttp: s.allowInsecureHttp,
    },
  };
}

/** The configuration in effect; S3_NOT_CONFIGURED when there is none. */
export async function resolveStorageConfig(ctx: SettingsContext): Promise<StorageConfig> {
  const found = await storageFields(ctx);
  if (!found) throw new StudioError('S3_NOT_CONFIGURED', 'Object storage is not configured.');
  return configFromFields(found.fields, ctx.env, found.source);
}

/** What the UI may see: never the secret. */
export async function describeStorageConfig(ctx: SettingsContext): Promise<StorageConfigView> {
  const found = await storageFields(ctx);
  if (!found) return { configured: false, source: null, missing: ['endpoint'] };
  try {
    const c = configFromFields(found.fields, ctx.env, found.source);
    const unusedEnvSecret = found.source === 'settings' ? secretInEnvironment(ctx.env, 'storage.secretKey') : null;
    const missing = [
      !found.fields.accessKey && 'accessKey (docker-compose default used)',
      !found.fields.secretKey &&
        (unusedEnvSecret
          ? `secretKey (docker-compose default used: ${unusedEnvSecret} from the environment is not used with the endpoint from settings, as the environment names no MINIO_ENDPOINT)`
          : 'secretKey (docker-compose default used)'),
    ].filter(Boolean) as string[];
    return {
      configured: true,
      source: found.source,
      endpoint: c.endpoint,
      bucket: c.bucket,
      accessKey: c.accessKey,
      region: c.region,
      missing,
    };
  } catch (err) {
    return {
      configured: false,
      source: found.source,
      endpoint: found.fields.endpoint,
      missing: [err instanceof Error ? err.message : String(err)],
    };
  }
}
