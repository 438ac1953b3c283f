/**
 * The settings file's schema, one zod schema per version, and the migrations between versions.
 * The file never holds a secret: a migration that finds one (version 1 kept the database password
 * inside the URL) hands it back so the store moves it into the secret store.
 */
import { z } from 'zod';
import type { SecretName } from '../../../shared/contract/settings';

export const CURRENT_VERSION = 2;

const computeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('serverless') }),
  z.object({ kind: z.literal('cluster'), clusterId: z.string().min(1) }),
  z.object({
    kind: z.literal('new-cluster'),
    sparkVersion: z.string().min(1),
    nodeType: z.string().min(1),
    workers: z.number().int().min(0),
  }),
]);

const uploadSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('volume'), path: z.string() }),
  z.object({ kind: z.literal('dbfs'), path: z.string() }),
]);

/** Version 2, the current layout. Every field has a default so a partial file still loads. */
export const settingsV2 = z.object({
  version: z.literal(2),
  database: z
    .discriminatedUnion('mode', [
      z.object({ mode: z.literal('embedded') }),
      // The URL is stored without its password (that is the secret `database.password`).
      z.object({ mode: z.literal('url'), url: z.string().regex(/^postgres(ql)?:\/\//) }),
    ])
    .default({ mode: 'embedded' }),
  storage: z
    .object({
      endpoint: z.string().default(''),
      useTLS: z.boolean().default(false),
      region: z.string().default('us-east-1'),
      accessKey: z.string().default(''),
      bucket: z.string().default('sparkpolar'),
      /** Explicit opt-in to a plain-HTTP endpoint on another machine (see ./endpoints.ts). */
      allowInsecureHttp: z.boolean().default(false),
    })
    .default({ endpoint: '', useTLS: false, region: 'us-east-1', accessKey: '', bucket: 'sparkpolar', allowInsecureHttp: false }),
  databricks: z
    .object({
      host: z.string().default(''),
      auth: z
        .discriminatedUnion('kind', [
          z.object({ kind: z.literal('token') }),
          z.object({ kind: z.literal('oauth'), clientId: z.string().default('') }),
          z.object({ kind: z.literal('profile'), name: z.string().min(1) }),
        ])
        .default({ kind: 'token' }),
      compute: computeSchema.default({ kind: 'serverless' }),
      upload: uploadSchema.default({ kind: 'volume', path: '/Volumes/main/default/sparkpolar' }),
      /** Explicit opt-in to a plain-HTTP host on another machine (see ./endpoints.ts). */
      allowInsecureHttp: z.boolean().default(false),
    })
    .default({
      host: '',
      allowInsecureHttp: false,
      auth: { kind: 'token' },
      compute: { kind: 'serverless' },
      upload: { kind: 'volume', path: '/Volumes/main/default/sparkpolar' },
    }),
});

export type Settings = z.output<typeof settingsV2>;

export function defaultSettings(): Settings {
  return settingsV2.parse({ version: 2 });
}

/**
 * Version 1, the first layout: a flat `databaseUrl` (password included), a `minio` block in the
 * MinIO client's own terms, and Databricks with a cluster id and a DBFS folder.
 */
export const settingsV1 = z.object({
  version: z.literal(1),
  databaseUrl: z.string().optional(),
  minio: z
    .object({
      endPoint: z.string().default(''),
      port: z.number().int().positive().optional(),
      useSSL: z.boolean().default(false),
      accessKey: z.string().default(''),
      bucket: z.string().default('sparkpolar'),
    })
    .optional(),
  databricks: z
    .object({
      host: z.string().default(''),
      profile: z.string().optional(),
      clusterId: z.string().optional(),
      dbfsPath: z.string().optional(),
    })
    .optional(),
});

export interface MigrationOutput {
  document: unknown;
  /** Secrets found in the old document, to be moved into the secret store. */
  secrets: Partial<Record<SecretName, string>>;
}

/** `migrations[n]` turns a valid version-n document into a version-(n+1) document. */
export const migrations: Record<number, (document: unknown) => MigrationOutput> = {
  1: (document) => {
    const v1 = settingsV1.parse(document);
    const secrets: Partial<Record<SecretName, string>> = {};
    let database: Settings['database'] = { mode: 'embedded' };
    if (v1.databaseUrl) {
      const url = new URL(v1.databaseUrl);
      if (url.password) secrets['database.password'] = decodeURIComponent(url.password);
      url.password = '';
      database = { mode: 'url', url: url.toString() };
    }
    const minio = v1.minio;
    const endpoint = minio?.endPoint ? `${minio.useSSL ? 'https' : 'http'}://${minio.endPoint}${minio.port ? `:${minio.port}` : ''}` : '';
    const dbx = v1.databricks;
    return {
      secrets,
      document: {
        version: 2,
        database,
        storage: { endpoint, useTLS: minio?.useSSL ?? false, accessKey: minio?.accessKey ?? '', bucket: minio?.bucket ?? 'sparkpolar' },
        databricks: {
          host: dbx?.host ?? '',
          auth: dbx?.profile ? { kind: 'profile', name: dbx.profile } : { kind: 'token' },
          compute: dbx?.clusterId ? { kind: 'cluster', clusterId: dbx.clusterId } : { kind: 'serverless' },
          upload: dbx?.dbfsPath ? { kind: 'dbfs', path: dbx.dbfsPath } : { kind: 'volume', path: '/Volumes/main/default/sparkpolar' },
        },
      },
    };
  },
};

export type UpgradeResult =
  | { kind: 'current'; settings: Settings; migratedFrom: number | null; secrets: Partial<Record<SecretName, string>> }
  | { kind: 'newer'; version: number };

/** Brings any known version up to the current one and validates it. */
export function upgrade(document: unknown): UpgradeResult {
  const version = z.object({ version: z.number().int().positive() }).parse(document).version;
  if (version > CURRENT_VERSION) return { kind: 'newer', version };
  let current = document;
  const secrets: Partial<Record<SecretName, string>> = {};
  for (let v = version; v < CURRENT_VERSION; v++) {
    const step = migrations[v];
    if (!step) throw new Error(`no migration from settings version ${v}`);
    const out = step(current);
    Object.assign(secrets, out.secrets);
    current = out.document;
  }
  return { kind: 'current', settings: settingsV2.parse(current), migratedFrom: version === CURRENT_VERSION ? null : version, secrets };
}
