/**
 * Whether object storage and Databricks are configured, as publishing and Spark runs will really
 * use them (each described by its own module), for the settings view and doctor. Never returns a
 * secret. It sits beside the engine's composition because it reads two domains for two others.
 */
import type { SettingsView } from '../../shared/contract/settings';
import type { SystemInfo } from '../../shared/contract/system';
import type { SettingsContext } from './settings/service';
import { databricksStatus, describeDatabricks } from './spark/settings-adapter';
import { describeStorageConfig } from './storage/config';

export async function servicesStatus(ctx: SettingsContext): Promise<Pick<SystemInfo, 'storage' | 'databricks'>> {
  const [s, d] = await Promise.all([describeStorageConfig(ctx), describeDatabricks(ctx)]);
  const storage: SystemInfo['storage'] = { configured: s.configured };
  if (s.endpoint) storage.endpoint = s.endpoint;
  if (s.bucket) storage.bucket = s.bucket;
  if (s.configured && s.missing?.length) storage.missing = s.missing;
  const databricks: SystemInfo['databricks'] = { configured: d.configured };
  if (d.host) databricks.host = d.host;
  if (d.auth) databricks.auth = d.auth;
  if (d.source) databricks.source = d.source;
  if (d.problem) databricks.problem = d.problem;
  return { storage, databricks };
}

/** The settings view's status of each connection: configured, from where, and what is missing. */
export async function connectionsInEffect(ctx: SettingsContext): Promise<Pick<SettingsView['effective'], 'storage' | 'databricks'>> {
  const [storage, databricks] = await Promise.all([describeStorageConfig(ctx), describeDatabricks(ctx)]);
  return {
    storage: { configured: storage.configured, source: storage.source, missing: storage.missing },
    databricks: databricksStatus(databricks),
  };
}

export interface Connections {
  /** For the settings view: configured, from where, and what is missing. */
  inEffect(): Promise<Pick<SettingsView['effective'], 'storage' | 'databricks'>>;
  /** For doctor (`system/info`): configured, and where to. */
  summary(): Promise<Pick<SystemInfo, 'storage' | 'databricks'>>;
}

export function connectionsOf(ctx: SettingsContext): Connections {
  return { inEffect: () => connectionsInEffect(ctx), summary: () => servicesStatus(ctx) };
}
