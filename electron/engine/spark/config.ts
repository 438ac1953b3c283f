/**
 * Where the Databricks connection comes from, in this order: a profile named for the call
 * (`--profile`); the conventional `DATABRICKS_*` variables, merged over the `~/.databrickscfg`
 * profile DATABRICKS_CONFIG_PROFILE names (as the official SDKs merge them); the app's settings
 * (a profile chosen there, or host and credentials); the DEFAULT profile. Environment variables
 * win over settings (the convention of the Databricks tools), but a credential from the
 * environment is only ever sent to a host the environment names (DATABRICKS_HOST, or the profile
 * DATABRICKS_CONFIG_PROFILE names): never to a host from the settings or the DEFAULT profile. This is the only resolver: the
 * settings view and doctor describe it through ./settings-adapter.ts. Secrets stay in the
 * resolved object and never leave the engine: `describeConfig` is the only view handed out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ini from 'ini';
import type { DatabricksConfigView } from '../../../shared/contract/spark';
import { StudioError } from '../../../shared/errors';
import { checkCleartextEndpoint, insecureHttpAllowedByEnv } from '../settings/endpoints';
import { normaliseHost } from './http';

/** What the settings store can hold for Databricks (DESKTOP's store plugs in through this shape). */
export interface DatabricksSettings {
  host?: string | undefined;
  token?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  /** A `~/.databrickscfg` profile to use instead of the fields above. */
  profile?: string | undefined;
  clusterId?: string | undefined;
  /** Unity Catalog volume for datasets and results, e.g. `/Volumes/main/default/sparkpolar`. */
  volume?: string | undefined;
  /** DBFS folder used when the volume is not available. */
  dbfsDir?: string | undefined;
  /** `dbfs` skips the volume and uploads to DBFS directly. */
  uploadTo?: 'volume' | 'dbfs' | undefined;
  /** Workspace folder where the job notebook is imported. */
  workspaceDir?: string | undefined;
  /** `notebook` (notebook_task on the imported notebook) or `python` (spark_python_task on the uploaded file). */
  taskKind?: 'notebook' | 'python' | undefined;
  /** Unit of the polling backoff (the SDKs wait min(attempt, 10) units plus jitter); default 1000. */
  pollIntervalMs?: number | undefined;
  retryBudgetMs?: number | undefined;
  /** The user's explicit opt-in to a plain-HTTP host on another machine. */
  allowInsecureHttp?: boolean | undefined;
}

export type DatabricksAuthConfig = { kind: 'token'; token: string } | { kind: 'oauth-m2m'; clientId: string; clientSecret: string };

export interface ResolvedDatabricksConfig {
  host: string;
  auth: DatabricksAuthConfig;
  clusterId: string | null;
  volume: string;
  dbfsDir: string;
  uploadTo: 'volume' | 'dbfs';
  workspaceDir: string;
  taskKind: 'notebook' | 'python';
  pollIntervalMs: number;
  retryBudgetMs: number;
  /** `settings`, `environment`, or `profile NAME (file)`. */
  source: string;
  profile: string | null;
}

/** The view of the configuration that may leave the engine. */
export type { DatabricksConfigView };

export const DEFAULTS = {
  volume: '/Volumes/main/default/sparkpolar',
  dbfsDir: 'dbfs:/FileStore/sparkpolar',
  workspaceDir: '/Shared/sparkpolar',
  pollIntervalMs: 1000,
  retryBudgetMs: 5 * 60_000,
};

export interface ConfigSources {
  settings?: DatabricksSettings | undefined;
  env: NodeJS.ProcessEnv;
  /** A profile named for this call (CLI `--profile`). */
  profile?: string | undefined;
}

export function configFilePath(env: NodeJS.ProcessEnv): string {
  const file = env.DATABRICKS_CONFIG_FILE;
  const home = env.HOME || env.USERPROFILE || os.homedir();
  if (file) return file.startsWith('~') ? path.join(home, file.slice(1)) : file;
  return path.join(home, '.databrickscfg');
}

type Profile = Record<string, string>;

function readProfiles(file: string): Record<string, Profile> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const parsed = ini.parse(text) as Record<string, unknown>;
  const profiles: Record<string, Profile> = {};
  for (const [name, section] of Object.entries(parsed)) {
    if (section && typeof section === 'object') {
      profiles[name] = Object.fromEntries(
        Object.entries(section as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), String(v).trim()]),
      );
    }
  }
  // Keys before any [section] belong to DEFAULT, as in the Python SDK.
  const loose = Object.entries(parsed).filter(([, v]) => typeof v !== 'object');
  if (loose.length)
    profiles.DEFAULT = { ...Object.fromEntries(loose.map(([k, v]) => [k.toLowerCase(), String(v).trim()])), ...profiles.DEFAULT };
  return profiles;
}

interface Fields {
  host?: string | undefined;
  token?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  clusterId?: string | undefined;
  authType?: string | undefined;
  volume?: string | undefined;
  dbfsDir?: string | undefined;
  workspaceDir?: string | undefined;
  taskKind?: string | undefined;
  pollIntervalMs?: number | undefined;
  retryBudgetMs?: number | undefined;
}

function fromProfile(p: Profile): Fields {
  return {
    host: p.host,
    token: p.token,
    clientId: p.client_id,
    clientSecret: p.client_secret,
    clusterId: p.cluster_id,
    authType: p.auth_type,
    volume: p.sparkpolar_volume,
    dbfsDir: p.sparkpolar_dbfs_dir,
    workspaceDir: p.sparkpolar_workspace_dir,
  };
}

function fromEnv(env: NodeJS.ProcessEnv): Fields {
  const num = (v: string | undefined) => (v && Number.isFinite(Number(v)) ? Number(v) : undefined);
  return {
    host: env.DATABRICKS_HOST || undefined,
    token: env.DATABRICKS_TOKEN || undefined,
    clientId: env.DATABRICKS_CLIENT_ID || undefined,
    clientSecret: env.DATABRICKS_CLIENT_SECRET || undefined,
    clusterId: env.DATABRICKS_CLUSTER_ID || undefined,
    authType: env.DATABRICKS_AUTH_TYPE || undefined,
    volume: env.SPARKPOLAR_DATABRICKS_VOLUME || undefined,
    dbfsDir: env.SPARKPOLAR_DATABRICKS_DBFS_DIR || undefined,
    workspaceDir: env.SPARKPOLAR_DATABRICKS_WORKSPACE_DIR || undefined,
    taskKind: env.SPARKPOLAR_DATABRICKS_TASK || undefined,
    pollIntervalMs: num(env.SPARKPOLAR_DATABRICKS_POLL_MS),
    retryBudgetMs: num(env.SPARKPOLAR_DATABRICKS_RETRY_BUDGET_MS),
  };
}

/** The Spark-side tuning from the environment (not the connection). */
function envTuning(env: NodeJS.ProcessEnv): Fields {
  const e = fromEnv(env);
  return {
    clusterId: e.clusterId,
    volume: e.volume,
    dbfsDir: e.dbfsDir,
    workspaceDir: e.workspaceDir,
    taskKind: e.taskKind,
    pollIntervalMs: e.pollIntervalMs,
    retryBudgetMs: e.retryBudgetMs,
  };
}

function merge(...layers: Fields[]): Fields {
  const out: Fields = {};
  for (const layer of layers)
    for (const [k, v] of Object.entries(layer)) if (v !== undefined && v !== '') (out as Record<string, unknown>)[k] = v;
  return out;
}

const CREDENTIAL_VARIABLES = ['DATABRICKS_TOKEN', 'DATABRICKS_CLIENT_ID', 'DATABRICKS_CLIENT_SECRET'] as const;

function withoutCredentials(f: Fields): Fields {
  return { ...f, token: undefined, clientId: undefined, clientSecret: undefined, authType: undefined };
}

function envCredentialNames(env: NodeJS.ProcessEnv): string[] {
  return CREDENTIAL_VARIABLES.filter((name) => env[name]);
}

/** Why a credential the environment holds was not used: its host is not the environment's. */
function unusedNote(names: string[], source: string): string {
  if (!names.length) return '';
  const from = source === 'settings' ? 'a host from the settings' : `the host of ${source}`;
  return (
    ` ${names.join(' and ')} from the environment ${names.length > 1 ? 'are' : 'is'} not used with ${from}:` +
    ' the environment names no DATABRICKS_HOST (or DATABRICKS_CONFIG_PROFILE). Set that variable, or enter the credential for this host in Settings.'
  );
}

function notConfigured(message: string): StudioError {
  return new StudioError('DATABRICKS_NOT_CONFIGURED', message);
}

/** The connection to use; DATABRICKS_NOT_CONFIGURED with the reason when there is none. */
export function resolveDatabricksConfig(sources: ConfigSources): ResolvedDatabricksConfig {
  const { env, settings } = sources;
  const file = configFilePath(env);
  const profiles = () => readProfiles(file);
  const envHasConnection = Boolean(env.DATABRICKS_HOST || env.DATABRICKS_CONFIG_PROFILE);
  const named = sources.profile ?? (envHasConnection ? undefined : settings?.profile);
  const tuning: Fields = {
    volume: settings?.volume,
    dbfsDir: settings?.dbfsDir,
    workspaceDir: settings?.workspaceDir,
    taskKind: settings?.taskKind,
    pollIntervalMs: settings?.pollIntervalMs,
    retryBudgetMs: settings?.retryBudgetMs,
  };
  let fields: Fields;
  let source: string;
  let profileName: string | null = null;
  /** Credential variables the environment sets for a host it does not name (said when nothing else is there). */
  let unusedEnvCredentials: string[] = [];
  if (named) {
    const p = profiles()[named];
    if (!p) throw notConfigured(`No profile "${named}" in ${file}.`);
    // Environment tuning (volume, polling) still applies; the connection is the profile's.
    fields = merge(fromProfile(p), tuning, envTuning(env));
    source = `profile ${named} (${file})`;
    profileName = named;
  } else {
    const envFields = fromEnv(env);
    const envProfile = env.DATABRICKS_CONFIG_PROFILE;
    const all = profiles();
    if (envProfile && !all[envProfile]) throw notConfigured(`DATABRICKS_CONFIG_PROFILE names "${envProfile}", which is not in ${file}.`);
    if (envFields.host || envProfile || !settings?.host) {
      // Environment variables win over settings (the Databricks tools' convention), merged over
      // the profile DATABRICKS_CONFIG_PROFILE names, or the DEFAULT profile. The environment's
      // credentials go only to a host the environment names: DATABRICKS_HOST, or the profile
      // DATABRICKS_CONFIG_PROFILE names; the DEFAULT profile's host gets its own credentials only.
      const base = envProfile ? all[envProfile] : all.DEFAULT;
      const envNamesHost = Boolean(envFields.host || envProfile);
      fields = merge(base ? fromProfile(base) : {}, tuning, envNamesHost ? envFields : withoutCredentials(envFields));
      if (!envNamesHost) unusedEnvCredentials = envCredentialNames(env);
      if (envFields.host)
        source = base && fields.host === base.host ? `environment over profile ${envProfile ?? 'DEFAULT'} (${file})` : 'environment';
      else {
        source = `profile ${envProfile ?? 'DEFAULT'} (${file})`;
        profileName = envProfile ?? 'DEFAULT';
      }
    } else {
      fields = merge({ clusterId: settings.clusterId }, tuning, envTuning(env), { host: settings.host });
      // Credentials belong to the settings' host: never pair it with a token from elsewhere (the
      // settings adapter passes only secrets saved or entered in the app: settingsSecret).
      fields.token = settings.token;
      fields.clientId = settings.clientId;
      fields.clientSecret = settings.clientSecret;
      unusedEnvCredentials = envCredentialNames(env);
      source = 'settings';
    }
  }
  if (!fields.host) throw notConfigured('No Databricks host is configured.');
  let host: string;
  try {
    host = normaliseHost(fields.host);
  } catch {
    throw notConfigured(`The Databricks host "${fields.host}" is not a URL.`);
  }
  const wantsOAuth = fields.authType === 'oauth-m2m' || (!fields.token && fields.clientId);
  let auth: DatabricksAuthConfig;
  if (fields.authType && !['pat', 'oauth-m2m'].includes(fields.authType)) {
    throw notConfigured(
      `auth_type "${fields.authType}" is not supported here; use a token (pat) or an OAuth service principal (oauth-m2m).`,
    );
  }
  if (wantsOAuth) {
    if (!fields.clientId || !fields.clientSecret)
      throw notConfigured(`OAuth for ${host} needs both a client id and a client secret.${unusedNote(unusedEnvCredentials, source)}`);
    auth = { kind: 'oauth-m2m', clientId: fields.clientId, clientSecret: fields.clientSecret };
  } else if (fields.token) {
    auth = { kind: 'token', token: fields.token };
  } else {
    throw notConfigured(`No token or OAuth client is configured for ${host}.${unusedNote(unusedEnvCredentials, source)}`);
  }
  // The token would cross the network in clear: only with an explicit opt-in (settings' own, or the environment's).
  checkCleartextEndpoint(
    'The Databricks host',
    host,
    insecureHttpAllowedByEnv(env) || (source === 'settings' && settings?.allowInsecureHttp === true),
  );
  const taskKind = fields.taskKind === 'python' ? 'python' : 'notebook';
  return {
    host,
    auth,
    clusterId: fields.clusterId ?? null,
    volume: (fields.volume ?? DEFAULTS.volume).replace(/\/+$/, ''),
    dbfsDir: (fields.dbfsDir ?? DEFAULTS.dbfsDir).replace(/\/+$/, ''),
    uploadTo: settings?.uploadTo === 'dbfs' && !env.SPARKPOLAR_DATABRICKS_VOLUME ? 'dbfs' : 'volume',
    workspaceDir: (fields.workspaceDir ?? DEFAULTS.workspaceDir).replace(/\/+$/, ''),
    taskKind,
    pollIntervalMs: fields.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
    retryBudgetMs: fields.retryBudgetMs ?? DEFAULTS.retryBudgetMs,
    source,
    profile: profileName,
  };
}

/** What is configured, without secrets, and never throwing. */
export function describeConfig(sources: ConfigSources): DatabricksConfigView {
  const file = configFilePath(sources.env);
  const profiles = Object.keys(readProfiles(file));
  try {
    const c = resolveDatabricksConfig(sources);
    return {
      configured: true,
      host: c.host,
      auth: c.auth.kind,
      source: c.source,
      profile: c.profile,
      clusterId: c.clusterId,
      volume: c.volume,
      dbfsDir: c.dbfsDir,
      workspaceDir: c.workspaceDir,
      taskKind: c.taskKind,
      profiles,
      configFile: file,
    };
  } catch (err) {
    return { configured: false, profiles, configFile: file, problem: err instanceof Error ? err.message : String(err) };
  }
}
