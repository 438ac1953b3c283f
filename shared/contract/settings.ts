/**
 * Settings: the database, object storage (MinIO/S3) and Databricks sections, persisted by the
 * engine in the data folder. Secrets are write-only through this contract: `settings/get` answers
 * `{ hasSecret }` markers, never a value; `settings/set` takes a string to store a secret, `null`
 * to forget it, and no field to keep it.
 */
import { z } from 'zod';
import { request } from './define';

/** Names of every secret the app keeps. None of them is ever in the settings file. */
export const SECRET_NAMES = ['database.password', 'storage.secretKey', 'databricks.token', 'databricks.clientSecret'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

/** Where a secret lives: encrypted by the OS (safeStorage), only in memory this session, or an environment variable. */
export type SecretSource = 'stored' | 'session' | 'environment';

export interface SecretMarker {
  hasSecret: boolean;
  source?: SecretSource;
}

/** How the host keeps secrets: `encrypted` survives restarts; `session` is asked for again after each restart. */
export type SecretPersistence = 'encrypted' | 'session';

export type DatabricksCompute =
  | { kind: 'serverless' }
  | { kind: 'cluster'; clusterId: string }
  | { kind: 'new-cluster'; sparkVersion: string; nodeType: string; workers: number };

/** Where the Spark side uploads the dataset: a Unity Catalog volume (default) or legacy DBFS. */
export type DatabricksUpload = { kind: 'volume'; path: string } | { kind: 'dbfs'; path: string };

export interface SettingsView {
  version: number;
  database: { mode: 'embedded' } | { mode: 'url'; url: string; password: SecretMarker };
  storage: {
    endpoint: string;
    useTLS: boolean;
    region: string;
    accessKey: string;
    bucket: string;
    secretKey: SecretMarker;
    /** Plain HTTP to another machine allowed (off by default: credentials would cross in clear). */
    allowInsecureHttp: boolean;
  };
  databricks: {
    host: string;
    auth:
      | { kind: 'token'; token: SecretMarker }
      | { kind: 'oauth'; clientId: string; clientSecret: SecretMarker }
      | { kind: 'profile'; name: string };
    compute: DatabricksCompute;
    upload: DatabricksUpload;
    /** Plain HTTP to another machine allowed (off by default: the token would cross in clear). */
    allowInsecureHttp: boolean;
  };
  secrets: { persistence: SecretPersistence; message: string };
  /** What the engine uses right now, and where each part comes from (environment variables win). */
  effective: {
    database: { mode: 'embedded' | 'external'; source: 'settings' | 'environment' | 'command line' | 'default'; location: string };
    storage: { configured: boolean; source: 'settings' | 'environment' | null; missing: string[] };
    databricks: { configured: boolean; source: 'settings' | 'environment' | 'profile' | null; missing: string[] };
  };
  /** Absolute path of the settings file. */
  file: string;
}

/**
 * A secret field in `settings/set`: a value stores it, `null` forgets it, absent keeps it, unless
 * the patch moves its endpoint (database server and user, storage endpoint, Databricks host): then
 * absent forgets it too, so a secret never follows a changed endpoint.
 */
const secretInput = z.string().min(1).max(4096).nullable().optional();
const text = (max = 2048) => z.string().trim().max(max);

const computeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('serverless') }),
  z.object({ kind: z.literal('cluster'), clusterId: text(200).min(1) }),
  z.object({
    kind: z.literal('new-cluster'),
    sparkVersion: text(200).min(1),
    nodeType: text(200).min(1),
    workers: z.number().int().min(0).max(1000),
  }),
]);

const uploadSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('volume'),
    path: text().regex(/^\/Volumes\/[^/]+\/[^/]+\/[^/]+(\/.*)?$/, 'a volume path looks like /Volumes/<catalog>/<schema>/<volume>[/folder]'),
  }),
  z.object({ kind: z.literal('dbfs'), path: text().regex(/^(dbfs:)?\//, 'a DBFS path starts with / or dbfs:/') }),
]);

export const settingsPatchSchema = z.object({
  database: z
    .discriminatedUnion('mode', [
      z.object({ mode: z.literal('embedded') }),
      z.object({
        mode: z.literal('url'),
        url: text().regex(/^postgres(ql)?:\/\//, 'a PostgreSQL URL starts with postgres:// or postgresql://'),
        password: secretInput,
      }),
    ])
    .optional(),
  storage: z
    .object({
      endpoint: text(),
      useTLS: z.boolean(),
      region: text(100),
      accessKey: text(512),
      bucket: text(63),
      secretKey: secretInput,
      allowInsecureHttp: z.boolean(),
    })
    .partial()
    .optional(),
  databricks: z
    .object({
      host: text(),
      auth: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('token'), token: secretInput }),
        z.object({ kind: z.literal('oauth'), clientId: text(200), clientSecret: secretInput }),
        z.object({ kind: z.literal('profile'), name: text(200).min(1) }),
      ]),
      compute: computeSchema,
      upload: uploadSchema,
      allowInsecureHttp: z.boolean(),
    })
    .partial()
    .optional(),
});
export type SettingsPatch = z.input<typeof settingsPatchSchema>;

export interface DatabaseTestResult {
  ok: boolean;
  /** The server's `SELECT version()` when it answered. */
  serverVersion?: string;
  /** Where it tried, password removed. */
  location: string;
  error?: { code: string; message: string };
}

export const settingsMethods = {
  'settings/get': request<SettingsView>()(z.object({}).default({})),
  /** Merges the patch into the saved settings (each section validated whole) and answers the new view. */
  'settings/set': request<SettingsView>()(settingsPatchSchema),
  /** Connects to a PostgreSQL URL (or the one in use when none is given) and reports the server's answer. */
  'settings/test-database': request<DatabaseTestResult>()(
    z
      .object({
        url: text()
          .regex(/^postgres(ql)?:\/\//, 'a PostgreSQL URL starts with postgres:// or postgresql://')
          .optional(),
        password: z.string().max(4096).optional(),
      })
      .default({}),
  ),
};
